from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid, since
from numba_check.rules.statements._handlers import InsideHandler


class RaiseInExceptHandler(InsideHandler):
    """## What it does
    Flags `raise SomeError(...)` inside an `except` block of compiled code when no enclosing
    `try` catches it again, so the exception would leave the function.

    ## Why is this bad?
    Numba compiles it, but on Python 3.11 and later, when the handler runs, the compiled code
    does not raise your exception: it stops with an internal `AssertionError: Unreachable
    condition reached (op code RERAISE executed)`. Python raises the exception you wrote.
    (Numba's own test `test_dynamic_raise` is marked as an expected failure on 3.11+ for
    this.) A raise that an enclosing `try` in the same function catches works, and is not
    flagged.

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
        "Numba compiles `raise` inside `except`, but on Python 3.11+ running it fails with an internal "
        "AssertionError instead of raising this exception; raise outside the handler"
    )
    targets = CPU_TARGETS
    numba_versions = since("0.47")

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    r = 0\n    try:\n        try:\n"
            "            x = 1 / n\n        except Exception:\n            raise ValueError('z')\n"
            "    except Exception:\n        r = -1\n    return r\n",
            call="f(0)",
        ),
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

    def visit_Raise(self, node: ast.Raise) -> None:
        if node.exc is not None and self.in_handler and self.escapes_function:
            self.report(node)
