"""Point 3: equality that catches real bugs, with messages that say where and by how much."""

from __future__ import annotations

import pytest

HEADER = """
import math
import numpy as np
import pytest
from numba import njit

pytestmark = pytest.mark.numba_speedup(min=0)
"""


def run(nc: pytest.Pytester, body: str) -> pytest.RunResult:
    nc.makepyfile(HEADER + body)
    return nc.runpytest()


def test_out_argument_mismatch_names_argument_and_index(nc: pytest.Pytester) -> None:
    # Python ints do not overflow; Numba's int64 does, only where a[i, j] is large.
    result = run(
        nc,
        """
@njit
def powers(a, out):
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            acc = 1
            for k in range(a[i, j]):
                acc *= 1000
            out[i, j] = acc / 1e30

def test_it(numba_check):
    a = np.ones((4, 2), dtype=np.int64)
    a[3, 0] = 10
    numba_check(powers, a, np.zeros((4, 2)))
""",
    )
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "where:    arg 1 'out'[3, 0]" in out
    result.stdout.fnmatch_lines(
        ["*expected: 1.0   (Python)", "*1 of 8 elements differ; max abs error *, max rel error *"]
    )


def test_return_index_in_tuple(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
def stats(n):
    p = 1
    for i in range(n):
        p *= 1000
    return n, n + 1, p

def test_it(numba_check):
    numba_check(stats, 7)
""",
    )
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "where:    return[2]" in out
    assert "expected: 1000000000000000000000   (Python)" in out


def test_truncation_of_list_filled_with_int_zeros(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
def halves(n):
    out = [0] * n
    for i in range(n):
        out[i] = i * 0.5
    return out

def test_it(numba_check):
    numba_check(halves, 5)

@pytest.mark.numba_speedup(min=0, check_dtype=False)
def test_values_still_differ(numba_check):
    numba_check(halves, 5)
""",
    )
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        ["*numeric kind differs: Python gives float (float), Numba gives int (int)*"]
    )
    out = result.stdout.str()
    assert "where:    return[1]" in out  # with check_dtype=False: 0.5 vs 0
    assert "expected: 0.5   (Python)" in out


def test_int64_overflow(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
def factorial(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r

def test_small(numba_check):
    assert numba_check(factorial, 20).value == math.factorial(20)

def test_big(numba_check):
    numba_check(factorial, 25)
""",
    )
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*integers differ (int64 overflow?)*",
            "*expected: 15511210043330985984000000   (Python)",
            "*got:      7034535277573963776   (Numba)",
        ]
    )


def test_exception_in_one_version_only(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
def last(a, i):
    return a[i]

def div(x, y):
    return x / y

def test_out_of_bounds(numba_check):
    numba_check(last, np.arange(3.0), 5)   # Python raises IndexError, Numba reads garbage

def test_same_exception_propagates(numba_check):
    with pytest.raises(ZeroDivisionError):
        numba_check(div, 1.0, 0.0)
""",
    )
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*an exception in one version but not the other",
            "*Python raised IndexError: index 5 is out of bounds*",
            "*Numba  returned *",
        ]
    )


def test_nan_equals_nan_and_inf_equals_inf(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
def f(a):
    return a / a, np.float64(np.inf)

def test_it(numba_check):
    numba_check(f, np.array([0.0, 1.0, 2.0]))
""",
    )
    result.assert_outcomes(passed=1)


def test_dtype_kind_and_check_dtype(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
def positive_part(x):
    return x if x > 0 else 0      # Python: int 0; Numba unifies both branches to float

def test_kind_differs(numba_check):
    numba_check(positive_part, 0.0)

@pytest.mark.numba_speedup(min=0, check_dtype=False)
def test_kind_ignored(numba_check):
    res = numba_check(positive_part, 0.0)
    assert res.value == res.expected == 0
""",
    )
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*numeric kind differs: Python gives int (int), Numba gives float (float)*"]
    )


def test_tolerances_from_marker(nc: pytest.Pytester) -> None:
    # Numba sums float32 sequentially, NumPy pairwise: about 1e-4 relative apart here.
    result = run(
        nc,
        """
def total(a):
    return a.sum()

A = np.full(10000, 0.1, dtype=np.float32)

@pytest.mark.numba_speedup(min=0, rtol=1e-6)
def test_strict(numba_check):
    numba_check(total, A)

@pytest.mark.numba_speedup(min=0, rtol=1e-3)
def test_loose(numba_check):
    numba_check(total, A)

@pytest.mark.numba_speedup(min=0, rtol=0, atol=0.5)
def test_atol(numba_check):
    numba_check(total, A)
""",
    )
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        ["*values differ beyond rtol=1e-06, atol=0*", "*abs error 0.09*, rel error 9.7*e-05*"]
    )


def test_each_version_gets_its_own_copy(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
def bump_and_sum(a):
    a += 1.0
    return a.sum()

def test_it(numba_check):
    a = np.zeros(4)
    res = numba_check(bump_and_sum, a)
    assert res.value == res.expected == 4.0      # neither saw the other's increment
    assert (a == 0).all()                         # the caller's array is untouched
    np.testing.assert_array_equal(res.args[0], np.ones(4))
""",
    )
    result.assert_outcomes(passed=1)


def test_containers_compared_element_wise(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
from numba import typed, types

def build(n):
    d = {}
    for i in range(n):
        d[i] = i * 0.5
    return d, [np.arange(i) for i in range(1, 3)]

def test_dict_and_list(numba_check):
    res = numba_check(build, 3)
    assert res.expected[0] == {0: 0.0, 1: 0.5, 2: 1.0}
""",
    )
    result.assert_outcomes(passed=1)


def test_in_place_mutation_of_list_argument(nc: pytest.Pytester) -> None:
    result = run(
        nc,
        """
import warnings

def set_first(lst):
    lst[0] = 2.7

def test_reflected_list_truncates(numba_check):
    warnings.simplefilter("ignore")
    numba_check(set_first, [1, 2, 3])
""",
    )
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "where:    arg 0 'lst'[0]" in out
