"""benchmarks/speed.py: its pure parts, its RSS measurement, and the numba-check part of a run on
a tiny local tree.

No network and no timing assertions: flake8, flake8-numba and ruff are never installed here (the
parts that need them are left out, or their installer is replaced).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.benchmark_scripts import load_script


@pytest.fixture(scope="module")
def speed() -> ModuleType:
    return load_script("speed")


# -- command line ----------------------------------------------------------------------------


def test_defaults(speed: ModuleType) -> None:
    args = speed.parse_args([])
    assert args.runs == 5
    assert args.parts == speed.PARTS
    assert args.dir == speed.real_code.DEFAULT_DIR
    assert (args.jobs, args.json, args.tools) == (None, None, None)
    assert args.byte_compile is True
    assert speed.parse_args(["--no-byte-compile"]).byte_compile is False


def test_only_takes_commas_and_repeats_in_a_fixed_order(speed: ModuleType) -> None:
    args = speed.parse_args(["--only", "ruff, cold", "--only", "memory", "--runs", "2"])
    assert args.parts == ("cold", "ruff", "memory")
    assert args.runs == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--only", "cold,fast"], "argument --only: unknown part 'fast'; choose from cold, warm"),
        (["--only", ","], "argument --only: unknown part ','"),
        (["--runs", "0"], "argument --runs: must be at least 1, got 0"),
        (["--runs", "many"], "argument --runs: not a whole number: 'many'"),
        (["--jobs", "-2"], "argument --jobs: must be at least 1, got -2"),
    ],
)
def test_bad_arguments_name_the_option(
    speed: ModuleType, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as stop:
        speed.parse_args(argv)
    assert stop.value.code == 2
    assert message in capsys.readouterr().err


# -- numbers and their report ----------------------------------------------------------------


def _measurement(speed: ModuleType, seconds: list[float], **kwargs: Any) -> Any:
    m = speed.Measurement("tool", ["tool"], **kwargs)
    m.runs = [speed.Run(s, 0, int(s * speed.MIB)) for s in seconds]
    return m


def test_median_minimum_and_peak(speed: ModuleType) -> None:
    m = _measurement(speed, [3.0, 1.0, 2.0])
    assert (m.median, m.min, m.peak_rss, m.ok) == (2.0, 1.0, 3 * speed.MIB, True)
    assert _measurement(speed, [4.0, 1.0, 3.0, 2.0]).median == 2.5
    empty = speed.Measurement("tool", ["tool"])
    assert (empty.median, empty.min, empty.peak_rss, empty.ok) == (None, None, None, False)


def test_an_unexpected_exit_fails_the_measurement(speed: ModuleType) -> None:
    m = _measurement(speed, [1.0], accepted_exits=(0, 1))
    m.runs.append(speed.Run(1.0, 2, None))
    data = m.to_json()
    assert data["ok"] is False
    assert [r["exit"] for r in data["runs"]] == [0, 2]
    assert data["runs"][1]["max_rss_mib"] is None
    assert data["peak_rss_mib"] == 1.0


def test_table_aligns_columns(speed: ModuleType) -> None:
    rows = [
        _measurement(speed, [120.5, 118.25]).to_json(),
        {**_measurement(speed, [0.31]).to_json(), "label": "ruff cold", "peak_rss_mib": None},
        {**_measurement(speed, [2.0]).to_json(), "label": "flake8", "ok": False},
    ]
    lines = speed.measurement_table(rows).splitlines()
    assert lines[0].split() == ["tool", "/", "mode", "runs", "median", "s", "min", "s", "peak"] + [
        "RSS",
        "MiB",
    ]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].split() == ["tool", "2", "119.4", "118.2", "120.5"]
    assert lines[3].split() == ["ruff", "cold", "1", "0.310", "0.310", "-"]
    assert lines[4].split()[:2] == ["flake8", "(FAILED)"]
    # Numbers are right-aligned: every row ends where the header does.
    assert len({len(line) for line in lines[:2]}) == 1
    assert all(len(line) == len(lines[0]) for line in lines[2:])


def _medians(**values: float | None) -> dict[str, dict[str, Any]]:
    return {k: {"median_s": v, "ok": v is not None} for k, v in values.items()}


def test_ratios_against_the_goals(speed: ModuleType) -> None:
    checks = speed.ratio_checks(
        _medians(
            nc_cold=10.0,
            flake8=130.0,
            ruff_cold=1.2,
            nc_warm=0.5,
            ruff_warm=0.3,
            nc_one_compiled=0.35,
        )
    )
    assert [c.line() for c in checks] == [
        "numba-check cold vs flake8 + flake8-numba: 13.0x faster (goal >= 6x): PASS",
        "numba-check cold / ruff cold: 8.3x (goal <= 10x): PASS",
        "numba-check warm / ruff warm: 1.7x (goal <= 2x): PASS",
        "one file (tslearn/metrics/_dtw.py): 0.35 s (goal < 0.4 s): PASS",
    ]


def test_ratios_that_miss(speed: ModuleType) -> None:
    checks = speed.ratio_checks(
        _medians(nc_cold=30.0, flake8=90.0, ruff_cold=1.0, nc_warm=3.0, ruff_warm=1.0)
        | _medians(nc_one_compiled=0.4)
    )
    assert [c.verdict for c in checks] == ["MISS"] * 4
    assert checks[0].value == "3.0x faster"
    slower = speed.ratio_checks(_medians(nc_cold=100.0, flake8=40.0))
    assert slower[0].line() == (
        "numba-check cold vs flake8 + flake8-numba: 2.5x slower (goal >= 6x): MISS"
    )
    assert checks[3].value == "0.40 s"


def test_ruff_fully_cached_is_a_reference_without_goal(speed: ModuleType) -> None:
    checks = speed.ratio_checks(_medians(nc_warm=0.3, ruff_warm=0.9, ruff_warm_cached=0.01))
    assert [c.line() for c in checks] == [
        "numba-check warm / ruff warm: 0.3x (goal <= 2x): PASS",
        "numba-check warm / ruff warm with every file in its cache: 30.0x",
    ]
    assert (checks[1].goal, checks[1].passed) == (None, None)


def test_ratios_need_both_sides(speed: ModuleType) -> None:
    # Only what was measured is compared; a failed measurement gives n/a, not a number.
    assert speed.ratio_checks(_medians(nc_cold=10.0)) == []
    checks = speed.ratio_checks(_medians(nc_cold=10.0, flake8=None))
    assert [c.line() for c in checks] == [
        "numba-check cold vs flake8 + flake8-numba: n/a (goal >= 6x): n/a"
    ]


def test_tool_codes_separate_errors_from_findings(speed: ModuleType) -> None:
    def d(code: str, severity: str, row: int = 1) -> dict[str, Any]:
        return {
            "code": code,
            "severity": severity,
            "filename": "pkg/f.py",
            "location": {"row": row, "column": 1},
            "message": f"{code} here",
        }

    found = speed.tool_codes(
        [d("NB903", "info"), d("NB101", "error"), d("NB901", "error", 3), d("NB903", "info")]
    )
    assert found == {
        "counts": {"NB901": 1, "NB903": 2},
        "errors": {"NB901": ["pkg/f.py:3: NB901 here"]},
    }


def test_warm_results_are_compared_with_cold(speed: ModuleType) -> None:
    def d(code: str, row: int) -> dict[str, Any]:
        return {"code": code, "filename": "f.py", "location": {"row": row, "column": 1}}

    cold = [d("NB101", 1), d("NB202", 5), d("NB202", 5)]
    assert speed.same_results(cold, list(reversed(cold))).line() == (
        "warm run reports what the cold run reports: yes (goal yes): PASS"
    )
    assert speed.same_results(cold, [d("NB101", 1), d("NB202", 5), d("NB303", 9)]).value == (
        "no: 1 missing, 1 extra"
    )
    assert speed.same_results(cold, None).passed is False


def _report(speed: ModuleType) -> dict[str, Any]:
    checks = speed.ratio_checks(
        _medians(nc_cold=10.0, flake8=130.0, nc_warm=0.3, ruff_warm_cached=0.01)
    )
    return {
        "machine": {
            "cpus": 2,
            "cpu_model": "Test CPU",
            "platform": "Linux",
            "python": "3.11.7",
            "load_start": [1.0, 2.0, 3.0],
            "load_end": None,
        },
        "versions": {"numba-check": "0.1.0", "flake8": "7.5.0"},
        "tree": {"folder": "/t", "files": 10, "packages": [{"root": "a-1", "files": 10}]},
        "runs": 3,
        "notes": ["--jobs 2 not passed on"],
        "measurements": {"nc_cold": _measurement(speed, [10.0, 11.0, 9.0]).to_json()},
        "checks": [c.to_json() for c in checks],
        "flake8_excluded": {"a-1/x.py": "IndexError: list index out of range"},
        "numba_check_tree": {
            "exit": 1,
            "diagnostics": 40,
            "tool_codes": {
                "counts": {"NB901": 1, "NB903": 3},
                "errors": {"NB901": ["a-1/y.py:2: Syntax error"]},
            },
        },
        "numba_check_cache": {"files": 12, "bytes": 5000},
        "memory": {
            "packages": [
                {"label": "a-1", "files": 2, "diagnostics": 5, "peak_rss_mib": 50.0, "seconds": 2},
                {
                    "label": "b-1",
                    "files": 8,
                    "diagnostics": None,
                    "peak_rss_mib": 70.0,
                    "seconds": 9,
                },
            ],
            "tree": {
                "label": "the whole tree",
                "files": 10,
                "diagnostics": 40,
                "peak_rss_mib": 75.0,
                "seconds": 10.5,
            },
        },
    }


def test_render_reports_everything(speed: ModuleType) -> None:
    text = speed.render(_report(speed))
    assert "machine: 2 CPUs (Test CPU), Linux, Python 3.11.7\n" in text
    assert "load average (1, 5, 15 min): start 1.00 2.00 3.00, end n/a\n" in text
    assert "versions: numba-check 0.1.0, flake8 7.5.0\n" in text
    assert "tree: 10 .py files in /t (a-1 10); runs per measurement: 3\n" in text
    assert "note: --jobs 2 not passed on\n" in text
    row = next(line for line in text.splitlines() if line.startswith("tool  "))
    assert row.split() == ["tool", "3", "10.0", "9.000", "11.0"]
    assert "flake8-numba crashes on 1 file(s)" in text
    assert "  a-1/x.py: IndexError: list index out of range\n" in text
    assert "numba-check NB901 on 1 file(s) of the tree:\n  a-1/y.py:2: Syntax error\n" in text
    assert "numba-check's filled cache: 12 files, 5 KiB\n" in text
    memory = text[text.index("memory (") :].splitlines()
    assert [line.split() for line in memory[3:6]] == [
        ["a-1", "2", "5", "50.0", "2.000"],
        ["b-1", "8", "-", "70.0", "9.000"],
        ["the", "whole", "tree", "10", "40", "75.0", "10.5"],
    ]
    assert (
        memory[6:]
        == [
            "the whole tree's peak is 1.07x that of b-1 alone "
            "(the largest of the packages' peaks), for 1.2x its files",
            "",
            "goals:",
        ]
        + memory[9:]
    )
    assert text.endswith(
        "goals:\n  numba-check cold vs flake8 + flake8-numba: 13.0x faster (goal >= 6x): PASS\n"
        "\nfor reference:\n"
        "  numba-check warm / ruff warm with every file in its cache: 30.0x\n"
    )


# -- running commands ------------------------------------------------------------------------

needs_wait4 = pytest.mark.skipif(not hasattr(os, "wait4"), reason="no os.wait4 on this platform")

ALLOCATE = "b = bytearray({mib} * 2**20); b[::4096] = b'x' * len(b[::4096])"


@needs_wait4
def test_run_once_gives_exit_output_and_peak_rss(speed: ModuleType, tmp_path: Path) -> None:
    code = ALLOCATE.format(mib=64) + "; print('done'); raise SystemExit(3)"
    out, err = tmp_path / "out", tmp_path / "err"
    run = speed.run_once([sys.executable, "-c", code], tmp_path, out, err)
    assert run.exit == 3
    assert out.read_text() == "done\n"
    assert run.max_rss >= 64 * speed.MIB
    assert run.seconds > 0


@needs_wait4
def test_run_once_counts_the_largest_process_of_the_command(
    speed: ModuleType, tmp_path: Path
) -> None:
    # A small parent whose child (a worker, say) is the big one.
    child = ALLOCATE.format(mib=96)
    code = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}])"
    out, err = tmp_path / "out", tmp_path / "err"
    run = speed.run_once([sys.executable, "-c", code], tmp_path, out, err)
    assert run.exit == 0
    assert run.max_rss >= 96 * speed.MIB


# -- flake8-numba's crashes ------------------------------------------------------------------


class FakePlugin:
    """Raises as flake8-numba 0.4.0 does on a decorator it cannot read (here: `@boom`)."""

    def __init__(self, tree: Any) -> None:
        self.tree = tree

    def run(self) -> Any:
        import ast

        for node in ast.walk(self.tree):
            if isinstance(node, ast.FunctionDef):
                yield node.lineno, 0, "NBA000 fine", type(self)
                if any(isinstance(d, ast.Name) and d.id == "boom" for d in node.decorator_list):
                    raise IndexError("list index out of range")


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_flake8_files_walks_as_flake8_does(speed: ModuleType, tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "pkg/a.py": "",
            "pkg/sub/b.py": "",
            "pkg/stub.pyi": "",
            "pkg/notes.txt": "",
            "pkg/__pycache__/c.py": "",
            "pkg/.git/d.py": "",
            "pkg/old.egg/e.py": "",
        },
    )
    found = speed.flake8_files([tmp_path / "pkg"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["pkg/a.py", "pkg/sub/b.py"]


def test_crashes_are_found_per_file(speed: ModuleType, tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "ok.py": "def f():\n    pass\n",
            "bad.py": "@boom\ndef g():\n    pass\n",
            "broken.py": "def (:\n",  # flake8 reports E999; the plugin never sees it
        },
    )
    files = sorted(tmp_path.glob("*.py"))
    crashes = speed.find_plugin_crashes(files, FakePlugin)
    assert crashes == {str(tmp_path / "bad.py"): "IndexError: list index out of range"}


def test_crash_scan_is_cached_by_key(speed: ModuleType, tmp_path: Path) -> None:
    cache = tmp_path / "tools" / "crashes.json"
    scans: list[str] = []

    def scan(result: dict[str, str]) -> Any:
        def run() -> dict[str, str]:
            scans.append("scanned")
            return result

        return run

    assert speed.cached_scan(cache, "k1", scan({"a.py": "IndexError: x"})) == {
        "a.py": "IndexError: x"
    }
    assert speed.cached_scan(cache, "k1", scan({})) == {"a.py": "IndexError: x"}
    assert len(scans) == 1
    assert speed.cached_scan(cache, "k2", scan({})) == {}  # another tree or version
    assert len(scans) == 2
    for junk in ("{not json", "[]", '{"key": "k2", "crashes": []}'):
        cache.write_text(junk)
        assert speed.cached_scan(cache, "k2", scan({"b.py": "E"})) == {"b.py": "E"}
    assert len(scans) == 5


def test_crash_key_follows_contents_and_versions(speed: ModuleType, tmp_path: Path) -> None:
    _tree(tmp_path, {"pkg/a.py": "x = 1\n"})
    files = [tmp_path / "pkg/a.py"]
    key = speed.crash_key(files, tmp_path, {"flake8-numba": "0.4.0"})
    assert key == speed.crash_key(files, tmp_path, {"flake8-numba": "0.4.0"})
    assert key != speed.crash_key(files, tmp_path, {"flake8-numba": "0.5.0"})
    (tmp_path / "pkg/a.py").write_text("x = 2\n")
    assert key != speed.crash_key(files, tmp_path, {"flake8-numba": "0.4.0"})


def test_flake8_command_leaves_the_crashing_files_out(speed: ModuleType) -> None:
    command = speed.flake8_command(Path("/v/bin/flake8"), ["a-1", "b-2"], ["/t/z.py", "/t/a.py"])
    assert command == [
        "/v/bin/flake8",
        "--isolated",
        "--select=NBA",
        "--exit-zero",
        "--extend-exclude=/t/a.py,/t/z.py",
        "a-1",
        "b-2",
    ]
    assert "--extend-exclude" not in " ".join(speed.flake8_command(Path("f"), ["a"], []))


# -- tools -----------------------------------------------------------------------------------


def _fake_venv(speed: ModuleType, folder: Path) -> Any:
    tools = speed._venv_tools(folder / "venv")
    for path in (tools.python, tools.flake8, tools.ruff):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    return tools


def test_tools_are_reused_while_the_pins_match(
    speed: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = _fake_venv(speed, tmp_path)
    (tmp_path / "pins.txt").write_text("".join(p + "\n" for p in speed.TOOL_PINS))

    def no_install(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"installed again: {args}")

    monkeypatch.setattr(speed.subprocess, "run", no_install)
    assert speed.ensure_tools(tmp_path, io.StringIO()) == tools


def test_tools_are_installed_again_when_the_pins_change(
    speed: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_venv(speed, tmp_path)
    (tmp_path / "pins.txt").write_text("ruff==0.0.1\n")
    calls: list[list[str]] = []

    def record(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        calls.append(command)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(speed.subprocess, "run", record)
    log = io.StringIO()
    speed.ensure_tools(tmp_path, log)
    assert calls[0] == [sys.executable, "-m", "venv", str(tmp_path / "venv")]
    assert calls[1][-len(speed.TOOL_PINS) :] == list(speed.TOOL_PINS)
    assert "flake8-numba==0.4.0" in log.getvalue()
    assert (tmp_path / "pins.txt").read_text().splitlines() == list(speed.TOOL_PINS)


def test_a_failed_install_says_where(
    speed: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 1)

    monkeypatch.setattr(speed.subprocess, "run", fail)
    with pytest.raises(speed.SetupError, match="could not install the benchmark's tools into"):
        speed.ensure_tools(tmp_path, io.StringIO())
    assert not (tmp_path / "pins.txt").exists()


# -- numba-check's parts of a run, on a tiny tree ---------------------------------------------

KERNELS = """\
from numba import njit


def helper(x):
    return x + 1


@njit
def calls_plain(x):
    return helper(x)
"""


def test_numba_check_parts_on_a_tiny_tree(
    speed: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    downloads = tmp_path / "tree" / "downloads"
    downloads.mkdir(parents=True)
    with zipfile.ZipFile(downloads / "demo_pkg-1.0-py3-none-any.whl", "w") as wheel:
        wheel.writestr("demo_pkg/__init__.py", "")
        wheel.writestr("demo_pkg/kernels.py", KERNELS)
        wheel.writestr("demo_pkg/plain.py", "x = 1\n")
        wheel.writestr("demo_pkg/empty.py", "")  # an NB9xx that is a finding, not a failure
    monkeypatch.setattr(speed.real_code, "PINS", {"demo-pkg": "demo-pkg==1.0"})
    report = tmp_path / "report.json"
    out = io.StringIO()
    argv = ["--only", "cold,warm,memory", "--runs", "1", "--dir", str(tmp_path / "tree")]
    assert speed.main([*argv, "--jobs", "3", "--json", str(report)], out=out) == 0

    data = json.loads(report.read_text())
    assert data["parts"] == ["cold", "warm", "memory"]
    assert list(data["measurements"]) == ["nc_cold", "nc_fill", "nc_warm"]
    for m in data["measurements"].values():
        assert m["ok"], m
        assert [r["exit"] for r in m["runs"]] == [1]  # calls_plain calls an uncompiled helper
    assert data["tree"]["files"] == 4
    assert data["numba_check_tree"]["exit"] == 1
    assert data["numba_check_tree"]["tool_codes"] == {"counts": {"NB903": 1}, "errors": {}}
    assert data["numba_check_cache"]["cachedir_tag"] is True
    assert data["numba_check_cache"]["gitignore_all"] is True
    [package] = data["memory"]["packages"]
    assert (package["label"], package["files"]) == ("demo_pkg-1.0", 4)
    assert package["diagnostics"] == data["memory"]["tree"]["diagnostics"] > 0
    verdicts = {c["name"]: c["passed"] for c in data["checks"]}
    assert verdicts == {
        "numba-check exit status on the tree": True,
        "NB9xx errors on the tree (unparsed, undecoded, unread files)": True,
        "cache folder marked (CACHEDIR.TAG, .gitignore of *)": True,
        "warm run reports what the cold run reports": True,
        "tree left unchanged": True,
    }
    text = out.getvalue()
    assert "numba-check warm (cache filled, nothing changed)" in text
    cold_command = data["measurements"]["nc_cold"]["command"]
    if "--jobs" in cold_command:  # numba-check has the option: it is passed on
        assert cold_command[cold_command.index("--jobs") + 1] == "3"
    else:
        assert "note: --jobs 3 not passed on: `numba-check check` has no --jobs option" in text
    assert "tree left unchanged: yes (goal yes): PASS" in text
    assert "note: numba-check's modules byte-compiled first, as pip does on install" in text
    # Nothing was written into the tree but the unpacked package and its mark.
    assert sorted(p.name for p in (tmp_path / "tree").iterdir()) == ["demo_pkg-1.0", "downloads"]
