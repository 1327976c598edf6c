from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid, since
from numba_check.rules.statements._handlers import InsideHandler


class BareReraise(InsideHandler):
    """## What it does
    Flags a bare `raise` (re-raise) inside an `except` block of compiled code.

    ## Why is this bad?
    Numba refuses it: `The re-raising of an exception is not yet supported.`

    ## Example
    ```python
    @njit
    def f(x):
        try:
            return 1 / x
        except Exception:
            raise
    ```

    ## Use instead
    Let the exception propagate (no `try`), or raise a new exception outside the handler:
    ```python
    @njit
    def f(x):
        if x == 0:
            raise ZeroDivisionError("x is zero")
        return 1 / x
    ```
    """

    code = "NB103"
    name = "bare-reraise"
    severity = Severity.ERROR
    # Refused while Numba analyses the bytecode, so in object mode too (forceobj, objmode).
    object_mode = True
    message = (
        "Numba cannot re-raise a caught exception (bare `raise`); "
        "remove the try/except or raise a new exception after it"
    )
    targets = CPU_TARGETS
    numba_versions = since("0.47")

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    if n == 0:\n"
            "        raise ZeroDivisionError('zero')\n    return 1 / n\n",
            call="f(2)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except Exception:\n        raise\n    return x\n",
            line=7,
            column=9,
            call="f(2)",
        ),
    )

    def visit_Raise(self, node: ast.Raise) -> None:
        if node.exc is None and self.in_handler:
            self.report(node)
