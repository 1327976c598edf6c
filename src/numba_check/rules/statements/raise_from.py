from __future__ import annotations

import ast

from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid


class RaiseFrom(Rule):
    """## What it does
    Flags `raise X from Y` (including `from None`) in compiled code.

    ## Why is this bad?
    Numba refuses it: `Multiple argument raise is not supported.`

    ## Example
    ```python
    @njit
    def f(x):
        if x < 0:
            raise ValueError("negative") from None
        return x
    ```

    ## Use instead
    ```python
    @njit
    def f(x):
        if x < 0:
            raise ValueError("negative")
        return x
    ```

    ## Fix safety
    No automatic fix: the exception chain changes.
    """

    code = "NB104"
    name = "raise-from"
    severity = Severity.ERROR
    # Refused while Numba analyses the bytecode, so in object mode too (forceobj, objmode).
    object_mode = True
    message = "Numba does not support `raise ... from ...`; raise the exception without `from`"

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    if n < 0:\n"
            "        raise ValueError('negative')\n    return n\n",
            call="f(2)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    if n < 0:\n"
            "        raise ValueError('negative') from None\n    return n\n",
            line=5,
            column=9,
            call="f(2)",
        ),
    )

    def visit_Raise(self, node: ast.Raise) -> None:
        if node.cause is not None:
            self.report(node)
