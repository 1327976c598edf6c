from __future__ import annotations

import ast

from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.statements._scopes import target_names


class DelVariable(Rule):
    """## What it does
    Flags `del name` in compiled code: deleting a local variable or an argument of the
    compiled function, or a `nonlocal` variable from a nested function.

    `del lst[i]` and `del d[k]` are different statements and are not flagged here; a `del` of
    a name declared `global` is reported as `global-assignment`.

    ## Why is this bad?
    Numba's IR has no way to unbind a local: compilation fails with "Illegal IR, del found at:
    del x" (for a `nonlocal` name, "Use of unsupported opcode (DELETE_DEREF)"), in object mode
    too. A `del` to free memory early buys nothing in compiled code anyway: Numba releases
    arrays when they are no longer used.

    ## Example
    ```python
    @njit
    def f(a):
        tmp = a * 2
        total = tmp.sum()
        del tmp
        return total
    ```

    ## Use instead
    ```python
    @njit
    def f(a):
        tmp = a * 2
        return tmp.sum()
    ```
    """

    code = "NB113"
    name = "del-variable"
    severity = Severity.ERROR
    # Refused while Numba builds its IR, so in object mode too (forceobj, objmode).
    object_mode = True
    message = (
        "Numba cannot `del` the variable `{name}`; drop the `del` (Numba frees it when unused)"
    )

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    l = list(range(n))\n    del l[0]\n"
            "    return len(l)\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    def g():\n        x = 1\n        del x\n"
            "        return n\n    return g()\n",
            call="f(3)",
        ),
        Valid("import numba\ndef f(n):\n    x = n\n    del x\n    return n\n", call="f(3)"),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    x = n * 2\n    y = x + 1\n    del x\n"
            "    return y\n",
            line=6,
            column=9,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(n):\n    del n\n    return 1\n",
            line=4,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    l = list(range(n))\n    x = 1\n"
            "    del l[0], x\n    return len(l)\n",
            line=6,
            column=15,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    x = 0\n    def g():\n        nonlocal x\n"
            "        del x\n    g()\n    return n\n",
            line=7,
            call="f(3)",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        assert ctx.function is not None
        # Per scope: the names a `del` may not unbind there (None: any name but globals).
        self._scopes: list[tuple[set[str], set[str] | None]] = [
            (ctx.semantic.function(ctx.function.node).declared("global"), None)
        ]

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        # `del` of a plain local of a nested function compiles (the closure is inlined);
        # only a `nonlocal` one fails.
        self._scopes.append((set(), self.ctx.semantic.function(node).declared("nonlocal")))

    def leave_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef
    leave_AsyncFunctionDef = leave_FunctionDef

    def visit_Delete(self, node: ast.Delete) -> None:
        globals_, only = self._scopes[-1]
        for target in node.targets:
            for name in target_names(target):
                if name.id in globals_ or (only is not None and name.id not in only):
                    continue
                self.report(name, self.message.format(name=name.id))
