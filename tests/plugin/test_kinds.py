"""Point 2: what numba_check accepts, and object mode as a failure."""

from __future__ import annotations

import pytest

HEADER = """
import numpy as np
import pytest
from numba import guvectorize, jit, njit, prange, vectorize

pytestmark = pytest.mark.numba_speedup(min=0)
"""


def run(nc: pytest.Pytester, body: str, *args: str) -> pytest.RunResult:
    nc.makepyfile(HEADER + body)
    return nc.runpytest("-rA", *args)


def test_cpu_dispatchers(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
def total(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s

nj = njit(total)
jt = jit(total)
fast = njit(fastmath=True)(total)
cached = njit(cache=True)(total)

@njit(parallel=True)
def par(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i]
    return s

IDS = ["njit", "jit", "fastmath", "cache", "parallel"]

@pytest.mark.parametrize("f", [nj, jt, fast, cached, par], ids=IDS)
def test_it(numba_check, f):
    res = numba_check(f, np.arange(100.0))
    assert res.value == res.expected == 4950.0
    assert res.compile_time is not None and res.compile_time > 0
""",
    )
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(["*::test_it?cache?*total*ok"])


def test_plain_function_is_compiled_by_the_plugin(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
def scale(a, k):
    return a * k

def test_it(numba_check):
    res = numba_check(scale, np.arange(5.0), 2.0)
    np.testing.assert_array_equal(res.value, [0, 2, 4, 6, 8])
    assert res.kind == "python -> njit"
    assert res.compile_time > 0
""",
    )
    result.assert_outcomes(passed=1)


def test_generator_functions_are_materialised(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
def halves(n):
    for i in range(n):
        yield i * 0.5

@njit
def jhalves(n):
    for i in range(n):
        yield i * 0.5

def test_plain(numba_check):
    assert numba_check(halves, 4).value == [0.0, 0.5, 1.0, 1.5]

def test_jitted(numba_check):
    assert numba_check(jhalves, 3).value == [0.0, 0.5, 1.0]

@njit
def powers(n):
    acc = 1
    for i in range(n):
        acc *= 2 ** 40
        yield acc

def test_generator_difference_found(numba_check):
    numba_check(powers, 3)
""",
    )
    result.assert_outcomes(passed=2, failed=1)
    assert "where:    return[1]" in result.stdout.str()
    result.stdout.fnmatch_lines(["*integers differ (int64 overflow?)*"])


def test_vectorize_reference_is_the_scalar_function(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
@vectorize
def clip(x):
    return min(max(x, 0.0), 1.0)

@vectorize(["float64(float64, float64)"])
def hyp(x, y):
    return (x * x + y * y) ** 0.5

def test_dynamic(numba_check):
    res = numba_check(clip, np.linspace(-1, 2, 7))
    np.testing.assert_array_equal(res.expected, [0, 0, 0, 0.5, 1, 1, 1])

def test_broadcast_and_out(numba_check):
    out = np.zeros((3, 4))
    res = numba_check(hyp, np.ones((3, 1)), np.arange(4.0), out)
    assert res.args[2][0, 3] == pytest.approx(10 ** 0.5)

@vectorize(["int64(float64)"])
def trunc(x):
    return x * 2.5

def test_declared_int_output_differs_from_python(numba_check):
    numba_check(trunc, np.array([1.0, 2.0]))
""",
    )
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        ["*dtype kind differs: Python gives float (float64), Numba gives int (int64)*"]
    )


def test_guvectorize_reference_loops_the_core_function(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
@guvectorize(["void(float64[:], float64[:])"], "(n)->()")
def row_sum(x, res):
    s = 0.0
    for v in x:
        s += v
    res[0] = s

@guvectorize("(n),()->(n)")
def shift(x, k, out):
    for i in range(x.shape[0]):
        out[i] = x[i] + k

def test_returned_output(numba_check):
    res = numba_check(row_sum, np.arange(12.0).reshape(3, 4))
    np.testing.assert_array_equal(res.expected, [6.0, 22.0, 38.0])

def test_out_argument(numba_check):
    out = np.zeros((2, 3))
    res = numba_check(shift, np.ones((2, 3)), 2.0, out)
    np.testing.assert_array_equal(res.args[2], np.full((2, 3), 3.0))
""",
    )
    result.assert_outcomes(passed=2)


def test_object_mode_is_a_failure(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
@jit(forceobj=True)
def objective(a):
    return a.sum()

def test_it(numba_check):
    numba_check(objective, np.ones(3))
""",
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*'objective' compiled in object mode*not nopython*"])
    result.stdout.fnmatch_lines(["*objective*not nopython"])


def test_unsupported_object_is_rejected(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
def test_it(numba_check):
    numba_check(np.add, 1, 2)
""",
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*numba_check() takes a Numba CPU dispatcher*got numpy.ufunc*"])
