"""A CUDA add kernel checked against NumPy. Without a GPU it runs in Numba's CUDA simulator,
which the plugin turns on before this module imports numba.cuda; timing is then skipped."""

from __future__ import annotations

import numpy as np
from numba import cuda


@cuda.jit
def add_kernel(x, y, out):
    i = cuda.grid(1)
    if i < out.shape[0]:  # the launch has more threads than elements
        out[i] = x[i] + y[i]


def add_reference(x, y, out):
    out[:] = x + y


def test_cuda_add(numba_check):
    n = 1000  # the simulator runs one Python thread per CUDA thread: keep it small
    threads = 128
    blocks = (n + threads - 1) // threads
    x, y = np.arange(n, dtype=np.float32), np.ones(n, dtype=np.float32)
    res = numba_check.kernel(add_kernel, blocks, threads, reference=add_reference)(
        x, y, np.zeros(n, dtype=np.float32)
    )
    np.testing.assert_array_equal(res.args[2], x + y)
