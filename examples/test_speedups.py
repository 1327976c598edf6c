"""The classic kernels as speed-up tests: ``pytest examples``.

The ``min=`` values are deliberately conservative: a speed-up depends on the machine, and these
ran on a loaded two-core box (see docs/pytest-plugin.md for the measured figures).
"""

from __future__ import annotations

import numpy as np
import pytest
from kernels import (
    add_two,
    clip,
    convolve2d,
    max_pool,
    monte_carlo_pi,
    monte_carlo_pi_parallel,
    tanh_sum,
)

rng = np.random.default_rng(42)


@pytest.mark.numba_speedup(min=10)
def test_tanh_sum(numba_check):
    res = numba_check(tanh_sum, rng.random((100, 100)))
    assert res.speedup >= 10


@pytest.mark.numba_speedup(min=10)
def test_add_two_in_place(numba_check):
    a = rng.random((40, 40, 40))
    res = numba_check(add_two, a, np.zeros_like(a))
    assert res.value is None  # the kernel returns nothing: the comparison covers `out`
    np.testing.assert_array_equal(res.args[1], a + 2.0)


@pytest.mark.numba_speedup(min=10, rtol=1e-12)
def test_convolution(numba_check):
    numba_check(convolve2d, rng.random((64, 64)), rng.random((5, 5)))


@pytest.mark.numba_speedup(min=10)
def test_max_pool(numba_check):
    numba_check(max_pool, rng.random((128, 128)), 2)


# Python and Numba draw from different generators: compare the estimates with atol.
# With n = 200_000 the standard error of the estimate is about 0.004.
@pytest.mark.numba_speedup(min=10, atol=0.05)
def test_monte_carlo_pi_serial(numba_check):
    numba_check(monte_carlo_pi, 200_000)


@pytest.mark.numba_speedup(min=10, atol=0.05)
def test_monte_carlo_pi_parallel(numba_check):
    numba_check(monte_carlo_pi_parallel, 200_000)


@pytest.mark.numba_speedup(min=10)
def test_vectorize_clip(numba_check):
    numba_check(clip, rng.normal(size=10_000), -1.0, 1.0)
