from __future__ import annotations

import ast

from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid


class WalrusInComprehension(Rule):
    """## What it does
    Flags an assignment expression `(y := ...)` inside a list, dict, set or generator
    comprehension in compiled code.

    ## Why is this bad?
    The walrus binds `y` in the enclosing function, which turns it into a cell variable
    shared with the comprehension's hidden function. Numba cannot compile that:
    "NotImplementedError: Unsupported use of cell variable encountered" ("Unsupported use of
    op_LOAD_CLOSURE" before 0.58), in object mode too.

    ## Example
    ```python
    @njit
    def f(n):
        return [(y := i * i) + y for i in range(n)]
    ```

    ## Use instead
    Write the loop, or compute the value twice:
    ```python
    @njit
    def f(n):
        out = []
        for i in range(n):
            y = i * i
            out.append(y + y)
        return out
    ```
    """

    code = "NB122"
    name = "walrus-in-comprehension"
    severity = Severity.ERROR
    # Refused while Numba builds its IR, so in object mode too (forceobj, objmode).
    object_mode = True
    message = (
        "Numba cannot compile a walrus (`{name} := ...`) inside a comprehension; write the loop out"
    )

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    l = [i * 2 for i in range(n)]\n"
            "    z = (y := len(l))\n    return z + y\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    return [(y := i) for i in range(n)]\n",
            line=4,
            column=14,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(n):\n"
            "    return [i for i in range(n) if (y := i * 2) > 1]\n",
            line=4,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n"
            "    return len({i: (y := i * 2) for i in range(n)})\n",
            line=4,
            call="f(3)",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._depth = 0

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        if self._depth and isinstance(node.target, ast.Name):
            self.report(node, self.message.format(name=node.target.id))

    def _enter(self, node: ast.expr) -> None:
        self._depth += 1

    def _leave(self, node: ast.expr) -> None:
        self._depth -= 1

    visit_ListComp = visit_DictComp = visit_SetComp = visit_GeneratorExp = _enter
    leave_ListComp = leave_DictComp = leave_SetComp = leave_GeneratorExp = _leave
