from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.module_context import ModuleContext
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.statements._scopes import always_bound_to, deleted, names_bound_to


def _literal_kind(module: ModuleContext, node: ast.expr) -> str | None:
    """`int`, `bool` or `str` for a constant Numba types as a Literal; None otherwise."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    if not isinstance(node, ast.Constant):
        return None
    if type(node.value) is int:
        return "int"
    if type(node.value) is bool:
        return "bool"
    if type(node.value) is str and module.strings_written(node) == 1:
        return "str"
    return None


def literal_display(module: ModuleContext, node: ast.expr) -> bool:
    """A list display of constants of one kind (`[1, 2, 3]`), or a dict display whose values
    are (`{k: 1, j: 2}`): Numba gives both an initial-value type that `del` cannot lower."""
    if isinstance(node, ast.List):
        values = [e for e in node.elts if not isinstance(e, ast.Starred)]
        if len(values) != len(node.elts):
            return False  # a `*starred` element
    elif isinstance(node, ast.Dict):
        values = [v for k, v in zip(node.keys, node.values, strict=True) if k is not None]
        if len(values) != len(node.keys):
            return False  # a `**mapping` element
    else:
        return False
    kinds = {_literal_kind(module, v) for v in values}
    return len(kinds) == 1 and None not in kinds


class DelItemOfLiteralContainer(Rule):
    """## What it does
    Flags `del c[i]` / `del c[a:b]` in compiled code when every assignment of `c` in the
    function is a list display of constants (`[1, 2, 3]`, `["a", "b"]`) or a dict display
    with constant values (`{1: 2, 3: 4}`).

    `del` on a list or dict built any other way (`list(range(n))`, `dict()`, `{}` filled
    later, a comprehension, an argument) compiles and is not flagged.

    ## Why is this bad?
    Numba types such a container with its initial value, and lowering `del` on that type
    crashes the compiler with a bare internal `AssertionError` (no message), which is hard to
    trace back to the `del`.

    ## Example
    ```python
    @njit
    def f():
        todo = [3, 1, 2]
        del todo[0]
        return len(todo)
    ```

    ## Use instead
    ```python
    @njit
    def f():
        todo = [3, 1, 2]
        todo.pop(0)
        return len(todo)
    ```
    `pop` (and `d.pop(k)` for dicts) compiles on every container.
    """

    code = "NB115"
    name = "del-item-of-literal-container"
    severity = Severity.ERROR
    message = (
        "`del {name}[...]` crashes Numba's compiler when `{name}` is built from a literal "
        "display; use `{name}.pop(...)` instead"
    )
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    l = list(range(n))\n    del l[0]\n"
            "    return len(l)\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    l = [1, 2, 3]\n    l.pop(0)\n"
            "    return len(l)\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    l = [1.0, 2.0, 3.5]\n    del l[0]\n"
            "    return len(l)\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    d = {1: n, 2: n}\n    del d[1]\n"
            "    return len(d)\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    if n > 2:\n        l = [1, 2, 3]\n"
            "    else:\n        l = list(range(n))\n    del l[0]\n    return len(l)\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(l):\n    del l[0]\n    return len(l)\n",
            call="f([1, 2, 3])",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    l = [1, 2, 3]\n    del l[0]\n"
            "    return len(l)\n",
            line=5,
            column=9,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(n):\n    d = {1: 2, 3: 4}\n    del d[1]\n"
            "    return len(d)\n",
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    l = ['a', 'b', 'c']\n    del l[0:2]\n"
            "    return len(l)\n",
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    l = [1, 2, 3]\n    def g():\n"
            "        del l[0]\n    g()\n    return len(l)\n",
            line=6,
            call="f(3)",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._literal_names: set[int] | None = None

    def visit_Delete(self, node: ast.Delete) -> None:
        module = self.ctx.module
        for target in deleted(module, node):
            if not (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)):
                continue
            if self._literal_names is None:
                assert self.ctx.function is not None
                self._literal_names = names_bound_to(
                    self.ctx, lambda value: literal_display(module, value)
                )
            if always_bound_to(module, target.value, self._literal_names):
                self.report(target, self.message.format(name=target.value.id))
