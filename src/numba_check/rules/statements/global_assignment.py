from __future__ import annotations

import ast

from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.statements._scopes import binding_targets, target_names


class GlobalAssignment(Rule):
    """## What it does
    Flags an assignment (or `del`) in compiled code to a name the function declares `global`:
    `global TOTAL` then `TOTAL = ...`, `TOTAL += ...`, `for TOTAL in ...`.

    Reading a global, with or without the `global` statement, is fine and is not flagged.

    ## Why is this bad?
    Numba treats globals as compile-time constants and cannot write them: "Use of unsupported
    opcode (STORE_GLOBAL) found" (`DELETE_GLOBAL` for `del`). This holds in object mode too.

    ## Example
    ```python
    CALLS = 0

    @njit
    def f(x):
        global CALLS
        CALLS += 1
        return x * 2
    ```

    ## Use instead
    Return the new value and let the Python caller store it, or keep the state in an array
    passed in (a global array is a read-only constant in compiled code):
    ```python
    @njit
    def f(x, calls):
        calls[0] += 1
        return x * 2
    ```
    """

    code = "NB112"
    name = "global-assignment"
    severity = Severity.ERROR
    # Refused while Numba analyses the bytecode, so in object mode too (forceobj, objmode).
    object_mode = True
    message = (
        "Numba cannot assign the global `{name}` from compiled code (STORE_GLOBAL); return the "
        "value to Python or store it in an array argument"
    )

    VALID = (
        Valid(
            "import numba\nG = 5\n@numba.njit\ndef f(n):\n    global G\n    return G + n\n",
            call="f(3)",
        ),
        Valid(
            "import numba\nG = 5\n@numba.njit\ndef f(n):\n    G = n\n    return G\n",
            call="f(3)",
        ),
        Valid(
            "import numba\nG = 5\n@numba.njit\ndef f(n):\n    def g():\n        global G\n"
            "        return G\n    G = n\n    return g() + G\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\nG = 5\n@numba.njit\ndef f(n):\n    global G\n    G = n\n    return n\n",
            line=6,
            column=5,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\nG = 5\n@njit\ndef f(n):\n    global G\n    G += n\n"
            "    return n\n",
            line=6,
            call="f(3)",
        ),
        Invalid(
            "import numba as nb\nG = 5\n@nb.njit\ndef f(n):\n    global G\n"
            "    for G in range(n):\n        pass\n    return n\n",
            line=6,
            column=9,
            call="f(3)",
        ),
        Invalid(
            "import numba\nG = 5\n@numba.njit\ndef f(n):\n    def g():\n        global G\n"
            "        G = n\n        return 1\n    return g()\n",
            line=7,
            call="f(3)",
        ),
        Invalid(
            "import numba\nG = 5\n@numba.jit(forceobj=True)\ndef f(n):\n    global G\n"
            "    G, b = n, n\n    return b\n",
            line=6,
            call="f(3)",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        assert ctx.function is not None
        self._globals: list[set[str]] = [
            ctx.semantic.function(ctx.function.node).declared("global")
        ]

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._globals.append(self.ctx.semantic.function(node).declared("global"))

    def leave_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._globals.pop()

    visit_AsyncFunctionDef = visit_FunctionDef
    leave_AsyncFunctionDef = leave_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._globals.append(set())

    def leave_Lambda(self, node: ast.Lambda) -> None:
        self._globals.pop()

    def _check(self, target: ast.expr) -> None:
        if not self._globals[-1]:
            return
        for name in target_names(target):
            if name.id in self._globals[-1]:
                self.report(name, self.message.format(name=name.id))

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in binding_targets(node):
            self._check(target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._check(node.target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        for target in binding_targets(node):
            self._check(target)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self._check(node.target)

    visit_AsyncFor = visit_For

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._check(node.target)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self._check(target)
