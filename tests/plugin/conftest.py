"""Shared pytester setup for the plugin's tests: small budgets so every run stays fast."""

from __future__ import annotations

import contextlib
import os

import pytest


def _warm_numba() -> None:
    """Import and exercise numba here, once.

    In-process pytester runs restore ``sys.modules`` afterwards; a C extension first imported
    inside such a run (numpy's core, numba's thread pool) cannot be imported a second time.
    """
    import warnings

    import numba
    import numpy as np

    @numba.njit(parallel=True)
    def par(n):
        acc = 0.0
        for i in numba.prange(n):
            acc += np.random.random() + np.tanh(i)
        return acc

    @numba.njit
    def gen(n):
        yield from range(n)

    @numba.vectorize
    def vec(x):
        return x + 1

    @numba.guvectorize(["void(float64[:], float64[:])"], "(n)->()")
    def guv(x, out):
        out[0] = x.sum()

    @numba.njit
    def broken(x):
        return undefined_name(x)  # noqa: F821

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        par(10)
        vec(np.ones(2))
        guv(np.ones((2, 2)))
        # Both fail to compile; exercising the error path imports what it needs.
        with contextlib.suppress(Exception):
            list(gen(2))
        with contextlib.suppress(Exception):
            broken(1)
    import numpy.testing  # noqa: F401
    from numba.core import event  # noqa: F401


@pytest.fixture(scope="session", autouse=True)
def _numba_warmed() -> None:
    # Before the first test of this folder, not at its collection: a run of the linter's own
    # tests (-m "not compiler") never imports Numba for them.
    _warm_numba()


FAST_INI = """
[pytest]
addopts = -p no:cacheprovider
numba_check_max_time = 0.05
"""


@pytest.fixture
def nc(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester project with a fast ini and no numba-check settings leaking from outside."""
    for name in list(os.environ):
        if name.startswith("NUMBA_CHECK_"):
            monkeypatch.delenv(name)
    # Wide enough for every column of the summary tables (narrower terminals drop some).
    monkeypatch.setenv("COLUMNS", "200")
    pytester.makeini(FAST_INI)
    return pytester


@pytest.fixture
def nc_sub(nc: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """Like ``nc``, for subprocess runs that must start with a clean CUDA-simulator choice."""
    monkeypatch.delenv("NUMBA_ENABLE_CUDASIM", raising=False)
    monkeypatch.delenv("NUMBA_DISABLE_JIT", raising=False)
    return nc


@pytest.fixture
def linter_available() -> bool:
    """Whether ``numba_check.check_source`` (written alongside the plugin) can be called."""
    try:
        import numba_check

        numba_check.check_source  # noqa: B018 - resolves the lazy attribute
    except (ImportError, AttributeError):
        return False
    return True
