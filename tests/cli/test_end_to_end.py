"""The installed console script and `python -m numba_check`, in real processes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.snippets import CLEAN, NB101, NB302, NB302_FIXED


def script() -> list[str]:
    exe = Path(sys.executable).with_name("numba-check")
    found = str(exe) if exe.exists() else shutil.which("numba-check")
    if found is None:
        pytest.skip("numba-check console script is not installed")
    return [found]


def run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("how", ["script", "module"])
def test_exit_codes(tmp_path, how):
    cmd = script() if how == "script" else [sys.executable, "-m", "numba_check"]
    (tmp_path / "bad.py").write_text(NB101)
    (tmp_path / "ok.py").write_text(CLEAN)
    bad = run([*cmd, "--output-format", "concise", "bad.py"], tmp_path)
    assert bad.returncode == 1
    assert bad.stdout.startswith("bad.py:8:5: NB101")
    assert run([*cmd, "ok.py"], tmp_path).returncode == 0
    usage = run([*cmd, "--select", "NB999", "ok.py"], tmp_path)
    assert usage.returncode == 2
    assert usage.stderr == "numba-check: error: --select: unknown rule selector 'NB999'\n"


def test_fix_in_a_process(tmp_path):
    (tmp_path / "a.py").write_text(NB302)
    done = run([*script(), "check", "--fix", "--no-cache", "a.py"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "a.py").read_text() == NB302_FIXED


def test_rule_subcommand_in_a_process(tmp_path):
    done = run([sys.executable, "-m", "numba_check", "rule", "NB101"], tmp_path)
    assert done.returncode == 0
    assert "## What it does" in done.stdout


def test_broken_pipe_is_quiet(tmp_path):
    for i in range(30):
        (tmp_path / f"m{i}.py").write_text(NB101)
    cmd = " ".join([*script(), "--output-format", "concise", "--no-cache", ".", "|", "head", "-1"])
    done = subprocess.run(cmd, shell=True, cwd=tmp_path, capture_output=True, text=True)
    assert done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr
