"""One fixed set of diagnostics that every format's golden file is rendered from."""

from __future__ import annotations

from numba_check.model import Applicability, Diagnostic, Edit, Fix, Location, Severity
from numba_check.output import RuleInfo

KERNELS = "src/pkg/kernels.py"
ODD = "src/pkg/odd name, v2.py"
NOTEBOOK = "notebooks/demo.ipynb"

KERNELS_SOURCE = """\
import numba
import numpy as np


def helper(x):
    return x * 2


@numba.njit
def total(xs):
    acc = 0
    for x in xs:
        acc += helper(x)
    return acc


@numba.njit(parallel=True)
def scale(xs, k):
    out = np.empty_like(xs)
    for i in range(len(xs)):
        out[i] = xs[i] // k
    return out
"""

CELL_SOURCE = """\
@njit
def f(n):
    return n ** 40
"""

# A message that needs escaping in every format that escapes anything.
AWKWARD_MESSAGE = '100% unsupported: f"{a:,}" <str> & co\nNumba rejects `str.__mod__`'

URL = "https://numba-check.readthedocs.io/en/latest/rules/"


def _loc(line: int, column: int) -> Location:
    return Location(line, column)


DIAGNOSTICS = [
    Diagnostic(
        code="NB502",
        name="integer-overflow",
        message="Integer arithmetic wraps around at 64 bits in Numba; Python integers do not",
        severity=Severity.WARNING,
        filename=NOTEBOOK,
        location=_loc(3, 11),
        end_location=_loc(3, 18),
        cell=3,
    ),
    Diagnostic(
        code="NB201",
        name="untyped-global-call",
        message="`helper` is called from compiled function `total` but is not compiled itself",
        severity=Severity.ERROR,
        filename=KERNELS,
        location=_loc(13, 15),
        end_location=_loc(13, 24),
        fix=Fix(
            Applicability.SAFE,
            "Decorate `helper` with `@numba.njit`",
            (Edit(_loc(5, 0), _loc(5, 0), "@numba.njit\n"),),
        ),
        url=URL + "untyped-global-call/",
    ),
    Diagnostic(
        code="NB510",
        name="uninitialised-array",
        message="`np.empty_like` returns uninitialised memory, which differs from run to run",
        severity=Severity.WARNING,
        filename=KERNELS,
        location=_loc(19, 10),
        end_location=_loc(19, 27),
        fix=Fix(
            Applicability.UNSAFE,
            "Replace with `np.zeros_like`",
            (Edit(_loc(19, 10), _loc(19, 23), "np.zeros_like"),),
        ),
        url=URL + "uninitialised-array/",
    ),
    Diagnostic(
        code="NB701",
        name="range-in-parallel-function",
        message="`range` in a `parallel=True` function runs serially; use `numba.prange`",
        severity=Severity.INFO,
        filename=KERNELS,
        location=_loc(20, 13),
        end_location=_loc(20, 27),
    ),
    Diagnostic(
        code="NB204",
        name="percent-format",
        message=AWKWARD_MESSAGE,
        severity=Severity.ERROR,
        filename=ODD,
        location=_loc(3, 4),
        end_location=_loc(4, 8),
    ),
]

RULES = {
    "NB101": RuleInfo("NB101", "try-finally", Severity.ERROR, "`finally` is not supported"),
    "NB201": RuleInfo(
        "NB201",
        "untyped-global-call",
        Severity.ERROR,
        "A compiled function calls a function that Numba does not compile",
        URL + "untyped-global-call/",
    ),
}
