from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.semantic import types as t


def module_values(rule: Rule, name: ast.Name) -> tuple[t.Type, ...] | None:
    """The types of the module-level values a read of `name` in compiled code may get, when
    every binding it may refer to is a module-level assignment; else None."""
    sem = rule.ctx.semantic
    kinds = sem.module_types(name.id)
    if not kinds:
        return None
    bindings = sem.names.bindings(name)
    if not bindings or any(b.is_builtin or b.scope.kind != "module" for b in bindings):
        return None  # a local, a parameter or a closure variable of the same name
    return kinds


class GlobalContainer(Rule):
    """## What it does
    Flags a read, in compiled code, of a module-level name bound to a Python list, set or dict
    (a display, a comprehension), a `numba.typed.List` or `numba.typed.Dict`, or an instance
    of a jitclass; and such a name as the default value of a compiled function's parameter.

    ## Why is this bad?
    Numba freezes the globals a compiled function reads as compile-time constants, and it has
    no way to make a constant of these: "The use of a reflected list(int64) type, assigned to
    variable 'G' in globals, is not supported as globals are considered compile-time
    constants", "Untyped global name 'G': Cannot determine Numba type of <class 'dict'>", and
    for a jitclass instance a failure while lowering.

    ## Example
    ```python
    WEIGHTS = [0.2, 0.3, 0.5]

    @njit
    def score(x):
        return x * WEIGHTS[0]
    ```

    ## Use instead
    ```python
    WEIGHTS = (0.2, 0.3, 0.5)  # or np.array([...]); or pass it as an argument

    @njit
    def score(x):
        return x * WEIGHTS[0]
    ```
    """

    code = "NB409"
    name = "global-container"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "`{name}` is a module-level {kind}, which Numba cannot freeze as a compile-time "
        "constant; pass it as an argument, or make it a tuple or a NumPy array"
    )

    VALID = (
        Valid("import numba\nG = (1, 2, 3)\n@numba.njit\ndef f():\n    return G[0]\n", call="f()"),
        Valid(
            "import numba\nimport numpy as np\nG = np.array([1, 2, 3])\n@numba.njit\ndef f():\n"
            "    return G[0]\n",
            call="f()",
        ),
        Valid(
            "import numba\nG = [1, 2, 3]\n@numba.njit\ndef f(G):\n    return G[0]\n",
            call="f((1, 2))",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\nG = [1, 2, 3]\n@numba.njit\ndef f():\n    return G[0]\n",
            line=5,
            column=12,
            call="f()",
        ),
        Invalid(
            "import numba\nA = [1.0, 2.0]\n@numba.njit\ndef f(x, values=A):\n"
            "    return x * values[0]\n",
            line=4,
            column=17,
            call="f(2.0)",
        ),
        Invalid(
            "import numba\nG = {1: 2}\n@numba.njit\ndef f():\n    return G[1]\n",
            line=5,
            call="f()",
        ),
        Invalid(
            "import numba\nG = {1, 2}\n@numba.njit\ndef f():\n    return 1 in G\n",
            line=5,
            call="f()",
        ),
        Invalid(
            "import numba\nfrom numba.typed import List\nG = List([1, 2])\n@numba.njit\n"
            "def f():\n    return G[0]\n",
            line=6,
            call="f()",
        ),
        Invalid(
            "import numba\nfrom numba import types\nfrom numba.typed import Dict\n"
            "G = Dict.empty(types.int64, types.int64)\nG[1] = 2\n@numba.njit\ndef f():\n"
            "    return G[1]\n",
            line=8,
            call="f()",
        ),
        Invalid(
            "import numba\nfrom numba.experimental import jitclass\n"
            "@jitclass([('x', numba.int64)])\nclass C:\n    def __init__(self, x):\n"
            "        self.x = x\nc = C(3)\n@numba.njit\ndef f():\n    return c.x\n",
            line=10,
            call="f()",
        ),
    )

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._seen: set[str] = set()

    def finish(self) -> None:
        # A default is evaluated at module level, and Numba freezes it like a global.
        function = self.ctx.function
        assert function is not None
        args = function.node.args
        for default in (*args.defaults, *args.kw_defaults):
            if isinstance(default, ast.Name):
                self.visit_Name(default)

    def visit_Name(self, node: ast.Name) -> None:
        if not isinstance(node.ctx, ast.Load) or node.id in self._seen:
            return
        kinds = module_values(self, node)
        if not kinds:
            return
        described = {_container(k) for k in kinds}
        if None in described or len(described) != 1:
            return
        self._seen.add(node.id)
        self.report(node, self.message.format(name=node.id, kind=described.pop()))


def _container(kind: t.Type) -> str | None:
    if isinstance(kind, t.ListOf):
        return "typed List" if kind.typed else "list"
    if isinstance(kind, t.DictOf):
        return "typed Dict" if kind.typed else "dict"
    if isinstance(kind, t.SetOf):
        return "set"
    if isinstance(kind, t.Instance) and kind.jitclass:
        return f"jitclass instance ({kind.name})"
    return None
