"""The classic Numba speed-up kernels, written as plain loops and compiled with Numba.

Each function's pure-Python original (``f.py_func``) is what numba-check compares against.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange, vectorize


@njit
def tanh_sum(a):
    """The Numba 5-minute guide's example: a trace-like sum of tanh over a matrix."""
    trace = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            trace += np.tanh(a[i, j])
    return trace


@njit
def add_two(a, out):
    """Add 2 to every element of a 3-D array, writing into ``out`` (returns None)."""
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            for k in range(a.shape[2]):
                out[i, j, k] = a[i, j, k] + 2.0


@njit
def convolve2d(image, kernel):
    """'Valid' 2-D convolution written as four nested loops."""
    kh, kw = kernel.shape
    oh, ow = image.shape[0] - kh + 1, image.shape[1] - kw + 1
    out = np.zeros((oh, ow))
    for i in range(oh):
        for j in range(ow):
            acc = 0.0
            for u in range(kh):
                for v in range(kw):
                    acc += image[i + u, j + v] * kernel[kh - 1 - u, kw - 1 - v]
            out[i, j] = acc
    return out


@njit
def max_pool(image, size):
    """Non-overlapping max-pooling with a ``size`` x ``size`` window."""
    oh, ow = image.shape[0] // size, image.shape[1] // size
    out = np.empty((oh, ow))
    for i in range(oh):
        for j in range(ow):
            best = image[i * size, j * size]
            for u in range(size):
                for v in range(size):
                    x = image[i * size + u, j * size + v]
                    if x > best:
                        best = x
            out[i, j] = best
    return out


@njit
def monte_carlo_pi(n):
    inside = 0
    for _ in range(n):
        x = np.random.random()
        y = np.random.random()
        if x * x + y * y < 1.0:
            inside += 1
    return 4.0 * inside / n


@njit(parallel=True)
def monte_carlo_pi_parallel(n):
    inside = 0
    for _ in prange(n):
        x = np.random.random()
        y = np.random.random()
        if x * x + y * y < 1.0:
            inside += 1
    return 4.0 * inside / n


@vectorize(["float64(float64, float64, float64)"])
def clip(x, low, high):
    """A @vectorize ufunc: its reference is the scalar function applied element-wise."""
    if x < low:
        return low
    if x > high:
        return high
    return x
