"""Functions copied from published Numba packages, unchanged but for imports and names.

- ``resample_loop``, ``resample_loop_p``, ``resample_loop_s``, ``resample_f_s``:
  resampy 0.4.3, ``resampy/interpn.py`` (ISC licence, (c) 2016 Brian McFee; see LICENSES.md).
  A gufunc whose core calls a compiled helper; the helper writes its output in place; the same
  loop compiled with ``parallel=True``.
- ``gini_coefficient`` (``parallel=True``), ``cartesian_nearest_indices`` and ``cartesian_index``
  (``cache=True``, a compiled helper), ``comb_jit`` (an explicit signature ``intp(intp, intp)``
  with ``cache=True``): quantecon 0.11.4, ``quantecon/_inequality.py``,
  ``quantecon/_gridtools.py``, ``quantecon/util/numba.py`` (MIT licence, (c) 2013-2025 Thomas J.
  Sargent and John Stachurski; see LICENSES.md).

fastdist (MIT) is installed as a test dependency and used directly.
"""

from __future__ import annotations

import numpy as np
from numba import guvectorize, jit, njit, prange, types

# -- resampy 0.4.3, resampy/interpn.py --------------------------------------------------------


def resample_loop(x, t_out, interp_win, interp_delta, num_table, scale, y):
    index_step = int(scale * num_table)
    time_register = 0.0

    n = 0
    frac = 0.0
    index_frac = 0.0
    offset = 0
    eta = 0.0
    weight = 0.0

    nwin = interp_win.shape[0]
    n_orig = x.shape[0]
    n_out = t_out.shape[0]

    for t in prange(n_out):
        time_register = t_out[t]

        # Grab the top bits as an index to the input buffer
        n = int(time_register)

        # Grab the fractional component of the time index
        frac = scale * (time_register - n)

        # Offset into the filter
        index_frac = frac * num_table
        offset = int(index_frac)

        # Interpolation factor
        eta = index_frac - offset

        # Compute the left wing of the filter response
        i_max = min(n + 1, (nwin - offset) // index_step)
        for i in range(i_max):
            weight = (
                interp_win[offset + i * index_step]
                + eta * interp_delta[offset + i * index_step]
            )
            y[t] += weight * x[n - i]

        # Invert P
        frac = scale - frac

        # Offset into the filter
        index_frac = frac * num_table
        offset = int(index_frac)

        # Interpolation factor
        eta = index_frac - offset

        # Compute the right wing of the filter response
        k_max = min(n_orig - n - 1, (nwin - offset) // index_step)
        for k in range(k_max):
            weight = (
                interp_win[offset + k * index_step]
                + eta * interp_delta[offset + k * index_step]
            )
            y[t] += weight * x[n + k + 1]


resample_loop_p = jit(nopython=True, nogil=True, parallel=True)(resample_loop)
resample_loop_s = jit(nopython=True, nogil=True, parallel=False)(resample_loop)


@guvectorize(
    "(n),(m),(p),(p),(),()->(m)",
    nopython=True,
)
def resample_f_s(x, t_out, interp_win, interp_delta, num_table, scale, y):
    resample_loop_s(x, t_out, interp_win, interp_delta, num_table, scale, y)


# -- quantecon 0.11.4, quantecon/_inequality.py ------------------------------------------------


@njit(parallel=True)
def gini_coefficient(y):
    n = len(y)
    i_sum = np.zeros(n)
    for i in prange(n):
        for j in range(n):
            i_sum[i] += abs(y[i] - y[j])
    return np.sum(i_sum) / (2 * n * np.sum(y))


# -- quantecon 0.11.4, quantecon/_gridtools.py -------------------------------------------------


@njit(cache=True)
def cartesian_nearest_indices(X, nodes, order="C"):
    m, n = X.shape  # m vectors of length n
    nums_grids = np.empty(n, dtype=np.intp)
    for i in range(n):
        nums_grids[i] = len(nodes[i])

    ind = np.empty(n, dtype=np.intp)
    out = np.empty(m, dtype=np.intp)

    step = -1 if order == "F" else 1
    slice_ = slice(None, None, step)

    for t in range(m):
        for i in range(n):
            if X[t, i] <= nodes[i][0]:
                ind[i] = 0
            elif X[t, i] >= nodes[i][-1]:
                ind[i] = nums_grids[i] - 1
            else:
                k = np.searchsorted(nodes[i], X[t, i])
                ind[i] = k if nodes[i][k] - X[t, i] < X[t, i] - nodes[i][k - 1] else k - 1
        out[t] = cartesian_index(ind[slice_], nums_grids[slice_])

    return out


@njit(cache=True)
def cartesian_index(indices, nums_grids):
    n = len(indices)
    idx = 0
    de_cumprod = 1
    for i in range(1, n + 1):
        idx += de_cumprod * indices[n - i]
        de_cumprod *= nums_grids[n - i]
    return idx


# -- quantecon 0.11.4, quantecon/util/numba.py -------------------------------------------------


@jit(types.intp(types.intp, types.intp), nopython=True, cache=True)
def comb_jit(N, k):
    # From scipy.special._comb_int_long
    # github.com/scipy/scipy/blob/v1.0.0/scipy/special/_comb.pyx
    INTP_MAX = np.iinfo(np.intp).max
    if N < 0 or k < 0 or k > N:
        return 0
    if k == 0:
        return 1
    if k == 1:
        return N
    if N == INTP_MAX:
        return 0

    M = N + 1
    nterms = min(k, N - k)

    val = 1

    for j in range(1, nterms + 1):
        # Overflow check
        if val > INTP_MAX // (M - j):
            return 0

        val *= M - j
        val //= j

    return val
