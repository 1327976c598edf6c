from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid

COMPREHENSIONS = (ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp)


class WalrusValueUsed(Rule):
    """## What it does
    Flags an assignment expression `(y := expr)` in compiled code whose value is used by a
    larger expression: an `if`/`while` condition (`if (y := n * 2) > 3:`), an operand, a call
    argument, an index, a `return`. Only when `expr` is not a local variable's name.

    Compiling forms: the walrus as the whole right-hand side of an assignment
    (`z = (y := n + 1)`), as a statement of its own, or naming a plain variable
    (`if (y := n) > 1:`). Walruses inside comprehensions are `walrus-in-comprehension`.

    ## Why is this bad?
    Numba loses the type of the value the walrus passes on (numba issue #6895): "Type of
    variable '$18compare_op.4' cannot be determined". Object mode fails as well.

    ## Example
    ```python
    @njit
    def f(a):
        if (total := a.sum()) > 0:
            return total
        return 0.0
    ```

    ## Use instead
    ```python
    @njit
    def f(a):
        total = a.sum()
        if total > 0:
            return total
        return 0.0
    ```
    """

    code = "NB121"
    name = "walrus-value-used"
    severity = Severity.ERROR
    # Object mode fails on it too (an internal error while lowering).
    object_mode = True
    message = (
        "Numba cannot use the value of `({name} := ...)` in a larger expression; assign "
        "`{name} = ...` first, then use `{name}`"
    )
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    z = (y := n + 1)\n    return z + y\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    if (y := n) > 1:\n        return y\n"
            "    return 0\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    (y := n * 2)\n    return y\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    z = (a := (b := n * 2))\n"
            "    return z + a + b\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    return abs((y := n)) + y\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    l = [0, 0]\n    l[0] = (y := n * 2)\n"
            "    return l[0] + y\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    if (y := n * 2) > 3:\n        return y\n"
            "    return 0\n",
            line=4,
            column=9,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(n):\n    y = 0\n    while (y := y + 1) < n:\n"
            "        pass\n    return y\n",
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    return (y := n * 2)\n",
            line=4,
            call="f(3)",
        ),
        Invalid(
            "import numba\nG = 4\n@numba.njit\ndef f(n):\n    if (y := G) > 1:\n"
            "        return y\n    return 0\n",
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(a):\n"
            "    if (s := a.sum()) > 3:\n        return s\n    return 0.0\n",
            line=5,
            call="f(np.ones(5))",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._safe: set[int] = set()
        self._comprehensions = 0

    def _whole_value(self, value: ast.expr | None) -> None:
        if isinstance(value, ast.NamedExpr):
            self._safe.add(id(value))

    def visit_Assign(self, node: ast.Assign) -> None:
        self._whole_value(node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._whole_value(node.value)

    def visit_Expr(self, node: ast.Expr) -> None:
        self._whole_value(node.value)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        if id(node) in self._safe:
            self._whole_value(
                node.value
            )  # `z = (a := (b := x))`: the inner one is a whole value too
            return
        if self._comprehensions or self._local_name(node.value):
            return
        if isinstance(node.target, ast.Name):
            self.report(node, self.message.format(name=node.target.id))

    def _local_name(self, value: ast.expr) -> bool:
        # A local variable is passed on as is; a global is loaded into a temporary first.
        return isinstance(value, ast.Name) and not self.ctx.module.refers_to_module_level(value)

    def _enter(self, node: ast.expr) -> None:
        self._comprehensions += 1

    def _leave(self, node: ast.expr) -> None:
        self._comprehensions -= 1

    visit_ListComp = visit_DictComp = visit_SetComp = visit_GeneratorExp = _enter
    leave_ListComp = leave_DictComp = leave_SetComp = leave_GeneratorExp = _leave
