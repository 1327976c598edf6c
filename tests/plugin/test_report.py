"""Point 7: the terminal table and the JSON report."""

from __future__ import annotations

import json

import pytest

from numba_check.pytest_plugin.report import Row, table

BODY = """
import numpy as np
import pytest

def total(a):
    s = 0.0
    for v in a:
        s += v
    return s

@pytest.mark.numba_speedup(min=2)
def test_fast(numba_check):
    numba_check(total, np.ones(5000))

@pytest.mark.numba_speedup(min=1e9)
def test_slow(numba_check):
    numba_check(total, np.ones(5000))

def test_plain():
    pass
"""


def test_terminal_table(nc: pytest.Pytester) -> None:
    nc.makepyfile(BODY)
    result = nc.runpytest()
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*= numba-check =*",
            "test * function * python * numba * speedup * required * compile * status",
            "*::test_fast * total * ?s * ?s * *x * >= 2x * ?s * ok",
            "*::test_slow * total * ?s * ?s * *x * >= 1e+09x * ?s * too slow",
            "python = best time per call*CPUs*",
        ]
    )
    assert "test_plain" not in result.stdout.str().split("= numba-check =")[1]


def test_no_table_without_checks(nc: pytest.Pytester) -> None:
    nc.makepyfile("def test_plain():\n    pass\n")
    result = nc.runpytest()
    assert "numba-check ==" not in result.stdout.str()


@pytest.mark.parametrize("how", ["cli", "ini"])
def test_json_report(nc: pytest.Pytester, how: str) -> None:
    nc.makepyfile(BODY)
    if how == "cli":
        result = nc.runpytest("--numba-report=out/report.json")
    else:
        nc.makeini(
            "[pytest]\naddopts = -p no:cacheprovider\nnumba_check_max_time = 0.05\n"
            "numba_check_report = out/report.json\n"
        )
        result = nc.runpytest()
    result.stdout.fnmatch_lines(["numba-check: JSON report written to *report.json"])
    data = json.loads((nc.path / "out" / "report.json").read_text())
    assert data["numba_version"] and data["cpu_count"]
    rows = {r["test"].split("::")[1]: r for r in data["results"]}
    assert set(rows) == {"test_fast", "test_slow"}
    fast = rows["test_fast"]
    assert fast["status"] == "ok" and fast["required"] == 2
    assert fast["speedup"] == pytest.approx(fast["python_time"] / fast["numba_time"])
    assert fast["compile_time"] > 0
    slow = rows["test_slow"]
    assert slow["status"] == "too slow" and slow["attempts"] == 3
    assert "required 1e+09x" in slow["detail"]


def test_table_formatting() -> None:
    rows = [
        Row("t.py::a", "f", "njit", 1e-3, 1e-5, 100.0, 10.0, 0.25, "ok"),
        Row("t.py::b", "g", "njit", None, None, None, None, None, "compile error"),
    ]
    lines = table(rows)
    assert lines[0].split() == [
        "test",
        "function",
        "python",
        "numba",
        "speedup",
        "required",
        "compile",
        "status",
    ]
    assert lines[2].split() == [
        "t.py::a",
        "f",
        "1",
        "ms",
        "10",
        "us",
        "100x",
        ">=",
        "10x",
        "250",
        "ms",
        "ok",
    ]
    assert lines[3].split()[-2:] == ["compile", "error"]
