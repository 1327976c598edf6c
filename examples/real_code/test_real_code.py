"""numba-check on functions of published Numba packages: ``pytest examples/real_code``.

fastdist 1.1.7 is a test dependency (``pip install -e .[test]``); the resampy and quantecon
functions are copied in vendored.py with their licences (LICENSES.md). Each test is one shape
the plugin must get right on real code:

- nested helpers: the reference runs them as Python (``res.reference_replaced``);
- an explicit signature with ``cache=True``: the user's own dispatcher is checked;
- in-place kernels: every timed call gets fresh copies of the arrays it writes;
- a gufunc whose core calls a compiled helper;
- ``parallel=True``: timed by the wall clock, "inconclusive" rather than failed on busy cores;
- ``cache=True`` with a compiled helper.

The ``min=`` values are about a tenth of what a loaded two-core machine measured: speed-ups
depend on the machine.
"""

from __future__ import annotations

import numpy as np
import pytest
from vendored import (
    cartesian_nearest_indices,
    comb_jit,
    gini_coefficient,
    resample_f_s,
    resample_loop_p,
    resample_loop_s,
)

fastdist = pytest.importorskip("fastdist.fastdist")

RNG = np.random.default_rng(19)


@pytest.mark.numba_speedup(min=50)
def test_fastdist_braycurtis_nested_helper(numba_check):
    u, v = RNG.random((2, 1000))
    res = numba_check(fastdist.braycurtis, u, v)
    assert res.reference_replaced == ("init_w",)


@pytest.mark.numba_speedup(min=20)
def test_fastdist_seuclidean_calls_euclidean(numba_check):
    u, v = RNG.random((2, 1000))
    res = numba_check(fastdist.seuclidean, u, v, RNG.random(1000) + 0.5)
    assert "euclidean" in res.reference_replaced


@pytest.mark.numba_speedup(min=5)
def test_quantecon_comb_explicit_signature(numba_check):
    # intp(intp, intp): the user's dispatcher, not an uncached copy without the signature.
    res = numba_check(comb_jit, 60, 30)
    assert res.value == 118264581564861424


def _resample_inputs(n_in=2000, n_out=1500):
    x = RNG.random(n_in)
    t_out = np.linspace(0, n_in - 2, n_out)
    win = np.hanning(257)
    return x, t_out, win, np.diff(win, append=0.0), 16, 1.0


@pytest.mark.numba_speedup(min=20)
def test_resampy_in_place_loop(numba_check):
    x, t_out, win, delta, num_table, scale = _resample_inputs()
    y = np.zeros(t_out.shape[0])
    res = numba_check(resample_loop_s, x, t_out, win, delta, num_table, scale, y)
    assert np.count_nonzero(res.args[6]) > 0  # y was written in place


@pytest.mark.numba_speedup(min=20)
def test_resampy_gufunc_with_compiled_core_helper(numba_check):
    x, t_out, win, delta, num_table, scale = _resample_inputs()
    # A gufunc built without signatures compiles for the arguments and needs its output passed.
    y = np.zeros(t_out.shape[0])
    res = numba_check(resample_f_s, x, t_out, win, delta, num_table, scale, y)
    assert res.reference_replaced == ("resample_loop",)  # resample_loop_s.__name__


@pytest.mark.numba_speedup(min=10)
def test_resampy_parallel_loop(numba_check):
    x, t_out, win, delta, num_table, scale = _resample_inputs()
    numba_check(resample_loop_p, x, t_out, win, delta, num_table, scale, np.zeros(len(t_out)))


@pytest.mark.numba_speedup(min=10)
def test_quantecon_gini_parallel(numba_check):
    numba_check(gini_coefficient, RNG.pareto(3.0, 400))


@pytest.mark.numba_speedup(min=5)
def test_quantecon_cartesian_cache_and_helper(numba_check):
    nodes = (np.linspace(0, 1, 11), np.linspace(-1, 1, 21))
    X = RNG.random((300, 2))
    res = numba_check(cartesian_nearest_indices, X, nodes)
    assert res.reference_replaced == ("cartesian_index",)
