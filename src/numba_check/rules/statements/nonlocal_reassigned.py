from __future__ import annotations

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid, since
from numba_check.rules.statements._nonlocal import NonlocalAssignments


class NonlocalReassigned(NonlocalAssignments):
    """## What it does
    Flags a `nonlocal` variable that an inner function of compiled code assigns in two or
    more places (`x = 1` then `x = x + n`, `x += 1` twice, an `if`/`else` that assigns it in
    each branch), when the compiled code calls that inner function. Numba 0.67 and later.

    One assignment, even one executed many times (`x += i` in a loop), compiles.

    ## Why is this bad?
    Since Numba 0.67 (PR #10637) compilation fails: "Reassigning the nonlocal variable 'x'
    inside an inlined closure is unsupported. Assign it once instead." (Older versions
    compiled it wrongly, see `nonlocal-reassignment-dropped`.)

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
        return x
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

    code = "NB124"
    name = "nonlocal-reassigned"
    severity = Severity.ERROR
    # Refused while closures are inlined, which object mode does too.
    object_mode = True
    message = (
        "Numba cannot assign the nonlocal `{name}` more than once in `{function}` "
        "({count} assignments); assign it once"
    )
    targets = CPU_TARGETS
    numba_versions = since("0.67")

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    x = 0\n    def g():\n        nonlocal x\n"
            "        x = n\n    g()\n    return x\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    x = 0\n    def g():\n        nonlocal x\n"
            "        for i in range(n):\n            x += i\n    g()\n    return x\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    x = 0\n    def g():\n        nonlocal x\n"
            "        x = n\n    def h():\n        nonlocal x\n        x = x + 1\n    g()\n"
            "    h()\n    return x\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    x = 0\n    def g():\n        nonlocal x\n"
            "        x = 1\n        x = 2\n    return x + n\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    x = 0\n    def g():\n        nonlocal x\n"
            "        x = 1\n        x = x + n\n    g()\n    return x\n",
            line=8,
            column=9,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(n):\n    x = 0\n    def g():\n        nonlocal x\n"
            "        if n > 2:\n            x = 1\n        else:\n            x = 2\n    g()\n"
            "    return x\n",
            line=10,
            call="f(1)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    x = 0\n    def g():\n        nonlocal x\n"
            "        x += 1\n        x += n\n    g()\n    return x\n",
            line=8,
            call="f(3)",
        ),
    )
