from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.entry_points import EntryKind
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid

COMPILERS = frozenset(
    {EntryKind.JIT, EntryKind.NJIT, EntryKind.VECTORIZE, EntryKind.GUVECTORIZE, EntryKind.CFUNC}
)


class JitInCompiledCode(Rule):
    """## What it does
    Flags a Numba compiler (`njit`, `jit`, `vectorize`, `guvectorize`, `cfunc`) used inside
    compiled code: as the decorator of a nested function, or called (`g = njit(f)`).

    ## Why is this bad?
    Compiling is something the interpreter does; compiled code cannot call the compiler:
    "Untyped global name 'njit': Cannot determine Numba type of <class 'function'>".

    ## Example
    ```python
    @njit
    def outer(n):
        @njit
        def double(x):
            return 2 * x
        return double(n)
    ```

    ## Use instead
    ```python
    @njit
    def double(x):
        return 2 * x

    @njit
    def outer(n):
        return double(n)
    ```
    Or leave the nested function undecorated: Numba compiles it with the outer one.
    """

    code = "NB412"
    name = "jit-in-compiled-code"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "compiled code cannot call Numba's compiler; define and decorate the function at module "
        "level and call it, or leave a nested function undecorated"
    )

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    def g(x):\n        return x * 2\n    return g(n)\n",
            call="f(3)",
        ),
        Valid(
            "from numba import njit\n@njit\ndef g(x):\n    return x * 2\n@njit\ndef f(n):\n    return g(n)\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    @numba.jit(nopython=True)\n"
            "    def g(x):\n        return x * 2\n    return g(n)\n",
            line=4,
            column=6,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(n):\n    @njit\n    def g(x):\n        return x * 2\n"
            "    return g(n)\n",
            line=4,
            column=6,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\ndef g(x):\n    return x * 2\n@njit\ndef f(n):\n    h = njit(g)\n"
            "    return h(n)\n",
            line=6,
            call="f(3)",
        ),
    )

    def _compiler(self, node: ast.expr) -> bool:
        return self.ctx.module.finder.entry_kind(node) in COMPILERS

    def visit_Call(self, node: ast.Call) -> None:
        if self._compiler(node.func):
            self.report(node.func)

    def finish(self) -> None:
        # Decorators of nested functions: a nested compiled function is linted on its own,
        # and the engine does not look into it from here.
        function = self.ctx.function
        assert function is not None
        for nested in self.ctx.semantic.function(function.node).nested:
            if isinstance(nested, ast.Lambda):
                continue
            if id(nested) not in self.ctx.module.compiled_nodes:
                continue  # its decorators are calls of this function's body, seen above
            for deco in nested.decorator_list:
                target = deco.func if isinstance(deco, ast.Call) else deco
                if self._compiler(target):
                    self.report(target)
