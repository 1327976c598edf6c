"""Source snippets with a known verdict, shared by the command-line tests."""

from __future__ import annotations

# NB101: Numba only catches `Exception`.
NB101 = """\
import numba


@numba.njit
def f(x):
    try:
        return 1 / x
    except ZeroDivisionError:
        return 0.0
"""

# NB302 (safe fix): a shape given as a list.
NB302 = """\
import numba
import numpy as np


@numba.njit
def f(n, m):
    return np.zeros([n, m])
"""
NB302_FIXED = NB302.replace("np.zeros([n, m])", "np.zeros((n, m))")

# NB301 (safe fix): np.concatenate given a list.
NB301 = """\
import numba
import numpy as np


@numba.njit
def f(a, b):
    return np.concatenate([a, b])
"""
NB301_FIXED = NB301.replace("[a, b]", "(a, b)")

# NB501 (unsafe fix): a list of ints later given floats.
NB501 = """\
import numba


@numba.njit
def f(n):
    out = [0] * n
    for i in range(n):
        out[i] = i * 0.5
    return out
"""
NB501_FIXED = NB501.replace("[0] * n", "[0.0] * n")

CLEAN = """\
import numba


@numba.njit
def f(x):
    return x + 1
"""

NOT_NUMBA = "print('hello')\n"

SYNTAX_ERROR = "from numba import njit\n\ndef f(:\n    pass\n"
