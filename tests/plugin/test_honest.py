"""Issue 19, items 2-6: timing on the checked inputs, every argument and shape, isolation,
early errors, no side effects."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from numba_check.pytest_plugin import timing
from numba_check.pytest_plugin.compare import Tolerance, compare, default_rtol

HEADER = """
import numpy as np
import pytest
from numba import njit, guvectorize, typed, types
from numba.experimental import jitclass
"""


def run(nc: pytest.Pytester, body: str, *args: str) -> pytest.RunResult:
    nc.makepyfile(HEADER + body)
    return nc.runpytest("-p", "no:randomly", *args)


def test_in_place_functions_are_timed_on_fresh_inputs(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
SORTED_ON_ENTRY = []

def insertion_sort(a):
    for i in range(1, a.shape[0]):
        k = a[i]
        j = i - 1
        while j >= 0 and a[j] > k:
            a[j + 1] = a[j]
            j -= 1
        a[j + 1] = k

isort = njit(insertion_sort)

def isort_python(a):
    SORTED_ON_ENTRY.append(bool(np.all(a[:-1] <= a[1:])))
    insertion_sort(a)

@pytest.mark.numba_speedup(min=0)
def test_sort(numba_check):
    numba_check(isort, np.random.default_rng(0).random(50), reference=isort_python)
    assert len(SORTED_ON_ENTRY) > 5 and not any(SORTED_ON_ENTRY)
""",
    )
    result.assert_outcomes(passed=1)


def test_typed_containers_jitclass_and_generators(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
@jitclass([("total", types.float64), ("hits", types.int64[:])])
class Counter:
    def __init__(self, n):
        self.total = 0.0
        self.hits = np.zeros(n, dtype=np.int64)

@njit
def count(c, values):
    for v in values:
        c.total += v
        c.hits[int(v) % c.hits.shape[0]] += 1
    return c.total

@njit
def extend(lst, d):
    lst.append(len(lst) * 1.5)
    d[len(d)] = 2.0
    return len(lst)

@njit
def draw(rng, n):
    return rng.random(n).sum()

@njit
def legacy(n):
    return np.random.random(n).sum()

def test_jitclass(numba_check):
    c = Counter(3)
    res = numba_check(count, c, np.arange(5.0))
    assert c.total == 0.0  # the caller's instance is untouched
    assert res.args[0].total == 10.0

def test_typed(numba_check):
    lst = typed.List([1.0, 2.0])
    d = typed.Dict.empty(types.int64, types.float64)
    res = numba_check(extend, lst, d)
    assert len(lst) == 2 and len(res.args[0]) == 3 and len(res.args[1]) == 1

def test_generator_state(numba_check):
    numba_check(draw, np.random.default_rng(5), 10)

def test_seed(numba_check):
    res = numba_check(legacy, 10, seed=42)
    assert res.value == res.expected

def test_without_seed_differs(numba_check):
    numba_check(legacy, 10)
""",
        "--numba-min-speedup=0",
    )
    result.assert_outcomes(passed=4, failed=1)
    result.stdout.fnmatch_lines(["*test_without_seed_differs*legacy*mismatch*"])


def test_gufunc_axis_float32_and_rows(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
@guvectorize(["void(float64[:], float64[:])"], "(n)->()")
def total(x, out):
    s = 0.0
    for v in x:
        s += v
    out[0] = s

@njit
def f32_sum(a):
    s = np.float32(0)
    for v in a:
        s += v * np.float32(1.1)
    return s

@njit
def divide(a, b):
    return a // b

def test_axis(numba_check):
    res = numba_check(total, np.arange(12.0).reshape(3, 4), axis=0)
    np.testing.assert_array_equal(res.value, [12.0, 15.0, 18.0, 21.0])

def test_float32(numba_check):
    numba_check(f32_sum, np.linspace(0, 1, 1001).astype(np.float32))

def test_both_raise(numba_check):
    with pytest.raises(ZeroDivisionError):
        numba_check(divide, 1, 0)

def test_unsupported(numba_check):
    numba_check(42)
""",
        "--numba-min-speedup=0",
        "--junitxml=junit.xml",
        "--numba-report=report.json",
    )
    result.assert_outcomes(passed=3, failed=1)
    statuses = {r["test"].split("::")[1]: r["status"] for r in _rows(nc)}
    assert statuses == {
        "test_axis": "ok",
        "test_float32": "ok",
        "test_both_raise": "both raised ZeroDivisionError",
        "test_unsupported": "unsupported",
    }
    props = ET.parse(nc.path / "junit.xml").findall(".//property[@name='numba_check']")
    assert len(props) == 4
    assert all(isinstance(json.loads(p.get("value")), dict) for p in props)


def _rows(nc: pytest.Pytester) -> list[dict]:
    return json.loads((nc.path / "report.json").read_text())["results"]


def test_default_rtol_follows_the_dtype() -> None:
    import numpy as np

    assert default_rtol(np.float32(1), 1.0) == 1e-5
    assert default_rtol(np.ones(2), np.ones(2)) == 1e-7
    auto = Tolerance(rtol=None)
    assert compare(np.float32(1.0), np.float32(1.000005), "x", auto) is None
    assert compare(1.0, 1.000005, "x", auto) is not None


def test_isolation_forked_segfault_and_python_timeout(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
@njit(boundscheck=False)
def scribble(a):
    for i in range(0, 1 << 40, 1 << 20):
        a[i] = 1.0
    return a[0]

@njit
def climb(i):
    while i > 0:
        i -= 1
    return i

def endless(i):
    while i > 0:
        i += 1
    return i

@njit
def forever():
    i = 0
    while True:
        yield i
        i += 1

@pytest.mark.numba_speedup(forked=True)
def test_crash(numba_check):
    numba_check(scribble, np.zeros(4))

def test_still_running():
    pass

@pytest.mark.numba_speedup(forked=True, min=0)
def test_forked_result(numba_check):
    res = numba_check(climb, 0)
    assert res.value == 0

def test_python_never_ends(numba_check):
    numba_check(climb, 1, reference=endless)

def test_endless_generator(numba_check):
    numba_check(forever)
""",
        "--numba-timeout=2",
    )
    result.assert_outcomes(passed=2, failed=3)
    result.stdout.fnmatch_lines(["*child process died with SIGSEGV*"])
    result.stdout.fnmatch_lines(["*Python original of 'climb' ran past 2 s and was interrupted*"])
    result.stdout.fnmatch_lines(["*yielded more than 1,000,000 items*"])


def test_marker_without_fixture_and_report_path(nc: pytest.Pytester) -> None:
    body = """
import pytest

@pytest.mark.numba_speedup(min=1000)
def test_forgot():
    pass
"""
    nc.makepyfile(body)
    result = nc.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*test_forgot: @pytest.mark.numba_speedup but the test does not*"])
    result = nc.runpytest("--numba-marker-without-fixture=warn")
    result.assert_outcomes(passed=1, warnings=1)
    (nc.path / "a_file").write_text("")  # a file where a folder is needed (root ignores modes)
    result = nc.runpytest("--numba-report=a_file/r.json", "--numba-marker-without-fixture=warn")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*cannot write the JSON report to*a_file*is not a directory*"])


def test_parallel_under_busy_cores_is_inconclusive(nc: pytest.Pytester) -> None:
    nc.makeconftest(
        "from numba_check.pytest_plugin import timing\ntiming.others_running = lambda: 3\n"
    )
    result = run(
        nc,
        """
from numba import prange

@njit(parallel=True)
def psum(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i]
    return s

@pytest.mark.numba_speedup(min=1e9)
def test_busy(numba_check):
    numba_check(psum, np.ones(1000))
""",
    )
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*psum*inconclusive", "*speed-up(s) inconclusive*"])


def test_busy_reason() -> None:
    assert timing.busy_reason([0, 0, 1]) is None
    assert "inconclusive" in (timing.busy_reason([2, 3, 1]) or "")
    assert timing.busy_reason([None]) is None


def test_xdist_workers_time_and_numba_config_decides_jit(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
import numba

def total(a):
    s = 0.0
    for v in a:
        s += v
    return s

def test_on_a_worker(numba_check, monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw0")
    res = numba_check(total, np.ones(1000))
    assert res.speedup is not None and res.times.python_clock == "thread CPU time"

def test_config_says_off(numba_check, monkeypatch):
    # Numba's configuration, not the environment, says whether anything is compiled.
    monkeypatch.setattr(numba.config, "DISABLE_JIT", True)
    res = numba_check(total, np.ones(10))
    assert res.speedup is None and "NUMBA_DISABLE_JIT" in res.timing_skipped
""",
        "--numba-min-speedup=0",
    )
    result.assert_outcomes(passed=2, warnings=1)
