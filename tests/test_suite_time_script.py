"""benchmarks/suite_time.py: the command it times, how it reads a run, and its refusals (it is
never run on the real suite here: that would be the suite running itself)."""

from __future__ import annotations

import sys
from types import ModuleType

import pytest

from tests.benchmark_scripts import load_script


@pytest.fixture(scope="module")
def suite_time() -> ModuleType:
    return load_script("suite_time")


def test_the_command_is_the_readmes(suite_time: ModuleType) -> None:
    assert suite_time.command("auto")[1:] == [
        "-m", "pytest", "-m", "not compiler", "-q", "-p", "no:cacheprovider", "-n", "auto",
    ]  # fmt: skip
    assert "-n" not in suite_time.command("0")


def test_a_run_is_timed_and_its_tests_counted(
    suite_time: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = [
        sys.executable,
        "-c",
        "import time; time.sleep(0.05); print('12 passed, 1 skipped in 0.1s')",
    ]
    monkeypatch.setattr(suite_time, "command", lambda workers: fake)
    assert suite_time.main(["--runs", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line.split() for line in lines[2:4]]
    assert [r[0] for r in rows] == ["1", "2"]
    assert all(float(r[1]) >= 0.05 and r[3] == "12" for r in rows)
    assert lines[-1].startswith("median wall ") and lines[-1].endswith(": PASS")


def test_a_failing_suite_is_not_reported_as_a_time(
    suite_time: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = [sys.executable, "-c", "print('1 failed, 3 passed in 0.1s'); raise SystemExit(1)"]
    monkeypatch.setattr(suite_time, "command", lambda workers: fake)
    assert suite_time.main(["--runs", "3"]) == 1
    assert "pytest exited with 1" in capsys.readouterr().out


def test_runs_must_be_positive(suite_time: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        suite_time.main(["--runs", "0"])
    assert "--runs must be at least 1" in capsys.readouterr().err
