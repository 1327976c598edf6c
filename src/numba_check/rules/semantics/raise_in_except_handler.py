from __future__ import annotations

import libcst as cst

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid, since
from numba_check.rules.statements._handlers import InsideHandler


class RaiseInExceptHandler(InsideHandler):
    """## What it does
    Flags `raise SomeError(...)` inside an `except` block of compiled code.

    ## Why is this bad?
    Numba compiles it, but when the handler runs, the compiled code does not raise your
    exception: it stops with an internal `AssertionError: Unreachable condition reached (op
    code RERAISE executed)`. Python raises the exception you wrote.

    ## Example
    ```python
    @njit
    def inverse(x):
        try:
            return 1 / x
        except Exception:
            raise ValueError("x must not be zero")
    ```

    ## Use instead
    Check the condition before the operation and raise outside any handler:
    ```python
    @njit
    def inverse(x):
        if x == 0:
            raise ValueError("x must not be zero")
        return 1 / x
    ```
    """

    code = "NB502"
    name = "raise-in-except-handler"
    severity = Severity.WARNING
    message = (
        "Numba compiles `raise` inside `except`, but running it fails with an internal "
        "AssertionError instead of raising this exception; raise outside the handler"
    )
    targets = CPU_TARGETS
    numba_versions = since("0.47")

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    if n == 0:\n        raise ValueError('zero')\n"
            "    return 1 / n\n",
            call="f(2)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n    except Exception:\n"
            "        raise ValueError('zero')\n    return x\n",
            line=7,
            column=9,
            call="f(0)",
        ),
    )

    def visit_Raise(self, node: cst.Raise) -> None:
        if node.exc is not None and self.in_handler:
            self.report(node)
