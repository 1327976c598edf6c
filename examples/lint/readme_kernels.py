import numpy as np
import numba


@numba.njit
def safe_div(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        return 0.0


@numba.njit
def grid(n, m):
    return np.zeros([n, m])


@numba.njit
def halves(n):
    out = [0] * n
    for i in range(n):
        out[i] = i / 2
    return out
