"""--numba-save, --numba-autosave, --numba-compare and --numba-compare-fail, with pytester.

A saved run is plain JSON: the regression tests write the "before" run themselves, with figures
no real run can reach, so the verdict does not depend on this machine's speed.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from numba_check.pytest_plugin import history

CHECKS = """
import numpy as np
from numba import njit


@njit
def total(x):
    acc = 0.0
    for v in x:
        acc += v
    return acc


def test_total(numba_check):
    numba_check(total, np.ones(2000))
"""


def _saved(root: Path) -> list[Path]:
    return sorted((root / ".numba_check").glob("*.json"))


def test_save_and_autosave_store_the_figures(nc: pytest.Pytester) -> None:
    nc.makepyfile(test_a=CHECKS)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=nc.path, check=True)
    subprocess.run([*git, "add", "."], cwd=nc.path, check=True)
    subprocess.run([*git, "commit", "-qm", "x"], cwd=nc.path, check=True)
    result = nc.runpytest("--numba-save", "baseline")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["numba-check: figures saved in *0001_baseline.json"])
    result = nc.runpytest("--numba-autosave")
    result.assert_outcomes(passed=1)
    first, second = _saved(nc.path)
    assert first.name == "0001_baseline.json"
    assert second.name.startswith("0002_") and "_2" in second.name  # commit, then UTC date
    data = json.loads(first.read_text())
    assert data["name"] == "baseline"
    assert data["numba"] and data["numpy"] and data["python"]
    assert data["machine"]["cpu_count"] >= 1
    assert len(data["git"]["commit"]) == 40
    (check,) = data["checks"]
    assert check["test"] == "test_a.py::test_total" and check["function"] == "total"
    for key in ("speedup", "python_time", "numba_time", "compile_time"):
        assert check[key] > 0, key


def _before(nc: pytest.Pytester, speedup: float, compile_time: float, name: str = "old") -> None:
    folder = nc.path / "figures"
    folder.mkdir(exist_ok=True)
    run = {
        "format": 1,
        "name": name,
        "machine": {"node": "elsewhere"},
        "checks": [
            {
                "test": "test_a.py::test_total",
                "function": "total",
                "speedup": speedup,
                "python_time": 1.0,
                "numba_time": 1.0 / speedup,
                "compile_time": compile_time,
                "status": "ok",
            }
        ],
    }
    (folder / f"0001_{name}.json").write_text(json.dumps(run))


def test_compare_fail_lists_each_regression(nc: pytest.Pytester) -> None:
    nc.makepyfile(test_a=CHECKS)
    _before(nc, speedup=1e9, compile_time=1e-9)
    result = nc.runpytest(
        "--numba-storage=figures",
        "--numba-compare",
        "--numba-compare-fail=speedup:10%",
        "--numba-compare-fail=compile:50%",
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*numba-check: compared with 0001_old*",
            "test*function*speedup*before*change*",
            "test_a.py::test_total*total*1e+09x*-100.0%*",
            "saved on elsewhere (another machine): the figures may not compare",
            "numba-check: 2 regression(s) beyond --numba-compare-fail=speedup:10%, compile:50%:",
            "  test_a.py::test_total (total): speed-up 1e+09x -> *x (-100.0%, allowed -10%)",
            "  test_a.py::test_total (total): compile time 1 ns -> * (+*%, allowed +50%)",
        ]
    )


def test_compare_within_threshold_passes(nc: pytest.Pytester) -> None:
    nc.makepyfile(test_a=CHECKS)
    _before(nc, speedup=1e-3, compile_time=1e3, name="slow")
    nc.makeini(
        "[pytest]\naddopts = -p no:cacheprovider\nnumba_check_max_time = 0.05\n"
        "numba_check_storage = figures\n"
    )
    result = nc.runpytest("--numba-compare=slow", "--numba-compare-fail=speedup:10%,compile:5")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*compared with 0001_slow*", "test_a.py::test_total*+*%*"])
    result.stdout.no_fnmatch_line("*regression*")


def test_bad_history_options_are_clear(nc: pytest.Pytester) -> None:
    nc.makepyfile(test_a="def test_nothing():\n    pass\n")
    result = nc.runpytest("--numba-compare-fail=speed:10%", "--numba-compare")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*--numba-compare-fail: 'speed:10%'; expected speedup:PERCENT or compile:PERCENT*"]
    )
    result = nc.runpytest("--numba-compare-fail=speedup:10%")
    result.stderr.fnmatch_lines(["*--numba-compare-fail needs --numba-compare*"])
    result = nc.runpytest("--numba-save=a/b")
    result.stderr.fnmatch_lines(["*invalid value for command line option --numba-save: 'a/b'*"])
    result = nc.runpytest("--numba-compare=nothere", "--numba-compare-fail=speedup:10%")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stdout.fnmatch_lines(
        ["numba-check: no saved run named 'nothere' in */.numba_check (saved: none)"]
    )
    result.stdout.no_fnmatch_line("*Traceback*")


def test_tables_fit_the_terminal() -> None:
    found = [
        history.Change(
            "tests/very/long/path/to/test_module.py::test_a_rather_long_name[param-1]",
            "some_function",
            12.5,
            14.0,
            0.5,
            0.45,
            "ok",
        )
    ]
    wide = history.comparison_table(found, 200)
    assert "compile" in wide[0] and max(map(len, wide)) <= 200
    for width in (100, 80, 60, 40):
        lines = history.comparison_table(found, width)
        assert max(map(len, lines)) <= width, (width, lines)
        assert "speedup" in lines[0] and "12.5x" in lines[2]
        assert lines[2].split()[0].endswith("[param-1]")  # the end of the test id is kept
    assert "compile" not in history.comparison_table(found, 80)[0]


def test_summary_table_fits_the_terminal() -> None:
    from numba_check.pytest_plugin.report import Row, table

    rows = [
        Row(
            "tests/a/long/test_module.py::test_x[case-7]",
            "f",
            "njit",
            1e-3,
            1e-5,
            100.0,
            10.0,
            0.25,
            "ok",
        ),
        Row("t.py::b", "g", "njit", None, None, None, None, None, "timing skipped: xdist worker"),
    ]
    assert "required" in table(rows)[0]
    for width in (120, 80, 60, 45):
        lines = table(rows, width)
        assert max(map(len, lines)) <= width, (width, lines)
        assert lines[0].split()[:1] == ["test"] and "speedup" in lines[0]
        assert "[case-7]" in lines[2]
    assert "required" not in table(rows, 80)[0]
