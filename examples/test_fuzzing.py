"""Differential fuzzing of the classic kernels: ``pytest examples/test_fuzzing.py``.

hypothesis draws inputs like the ones given (same dtypes and ranks, other sizes, NaN, inf, -0.0,
Fortran-ordered and strided arrays) and each compiled kernel must agree with its Python original
on every one. The last test shows what a difference looks like; see docs/fuzzing.md.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import strategies as st
from kernels import clip, max_pool, tanh_sum
from numba import njit

rng = np.random.default_rng(42)


def test_max_pool_agrees(numba_check):
    # A window of 0 or less means nothing here: the strategy keeps it to 1..4.
    res = numba_check.fuzz(
        max_pool, rng.random((8, 8)), 2, n=100, strategies={"size": st.integers(1, 4)}
    )
    assert res.examples > 0


def test_clip_agrees(numba_check):
    numba_check.fuzz(clip, rng.random(50), 0.2, 0.8, n=100)


@pytest.mark.numba_speedup(min=5)
@pytest.mark.numba_fuzz(n=50)
def test_tanh_sum_checked_and_fuzzed(numba_check):
    # The marker fuzzes every numba_check call of the test, with its arguments as examples.
    numba_check(tanh_sum, rng.random((100, 100)))


@njit
def mean(x):
    return x.sum() / x.size


@pytest.mark.xfail(strict=True, reason="an empty array: NaN in Python, ZeroDivisionError in Numba")
def test_mean_of_empty_array(numba_check):
    numba_check.fuzz(mean, rng.random(10), n=100)
