from __future__ import annotations

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid, before
from numba_check.rules.statements._nonlocal import NonlocalAssignments


class NonlocalReassignmentDropped(NonlocalAssignments):
    """## What it does
    Flags a `nonlocal` variable that an inner function of compiled code assigns in two or
    more places, when the compiled code calls that inner function, on Numba older than 0.67.

    One assignment, even one executed many times (`x += i` in a loop), works.

    ## Why is this bad?
    Before 0.67 Numba compiled it wrongly, without a word: the assignments after the first
    are lost (the result of `x = 1; x = x + n` is `1`), and sometimes all of them are. Numba
    0.67 made it a compile error (see `nonlocal-reassigned`).

    ## Example
    ```python
    @njit
    def f(n):
        x = 0
        def bump():
            nonlocal x
            x = 1
            x = x + n
        bump()
        return x      # 1 under Numba < 0.67, 1 + n in Python
    ```

    ## Use instead
    Compute the value in locals and assign the `nonlocal` once, or return it:
    ```python
    @njit
    def f(n):
        x = 0
        def bump():
            nonlocal x
            x = 1 + n
        bump()
        return x
    ```
    """

    code = "NB125"
    name = "nonlocal-reassignment-dropped"
    severity = Severity.WARNING
    # Object mode inlines closures the same way and loses the same writes.
    object_mode = True
    message = (
        "Numba < 0.67 silently drops all but the first assignment to the nonlocal `{name}` "
        "in `{function}` ({count} assignments); assign it once"
    )
    targets = CPU_TARGETS
    numba_versions = before("0.67")

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    x = 0\n    def g():\n        nonlocal x\n"
            "        x = n\n    g()\n    return x\n",
            target_numba="0.57",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    x = 0\n    def g():\n        nonlocal x\n"
            "        for i in range(n):\n            x += i\n    g()\n    return x\n",
            target_numba="0.63",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    x = 0\n    def g():\n        nonlocal x\n"
            "        x = 1\n        x = x + n\n    g()\n    return x\n",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    x = 0\n    def g():\n        nonlocal x\n"
            "        x = 1\n        x = x + n\n    g()\n    return x\n",
            line=8,
            column=9,
            target_numba="0.57",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(n):\n    x = 0\n    def g():\n        nonlocal x\n"
            "        x = 5\n        for x in range(n):\n            pass\n    g()\n    return x\n",
            line=8,
            target_numba="0.63",
        ),
    )
