from __future__ import annotations

import ast

from numba_check import matching as m
from numba_check.compiled import CPU_TARGETS, FunctionNode
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.types._literals import own_bindings, references

# Builtin constructors of an empty container, and what Numba makes of them.
EMPTY_BUILTINS = {"list": "list", "dict": "dict", "set": "set"}
EMPTY_TYPED = {
    "numba.typed.List": "typed List",
    "numba.typed.typedlist.List": "typed List",
    "numba.typed.Dict": "typed Dict",
    "numba.typed.typeddict.Dict": "typed Dict",
}
# Uses that read the container but never give Numba its element type. Numba refuses each of
# them on a container that has none (verified on 0.57.1, 0.60.0, 0.63.1, 0.68.1); any other use
# (append, insert, extend, `d[k] = v`, passing it to a function, `+=`...) may type it.
READING_BUILTINS = frozenset({"len", "print", "bool", "sorted", "sum", "min", "max"})
READING_METHODS = frozenset(
    {"pop", "clear", "copy", "count", "index", "reverse", "sort", "get", "keys", "values", "items"}
)
FIXES = {
    "list": "`numba.typed.List.empty_list(numba.int64)`",
    "typed List": "`numba.typed.List.empty_list(numba.int64)`",
    "dict": "`numba.typed.Dict.empty(key_type, value_type)`",
    "typed Dict": "`numba.typed.Dict.empty(key_type, value_type)`",
    "set": "`{x}` with a first element, or a typed container",
}


class UntypedEmptyContainer(Rule):
    """## What it does
    Flags an empty list, dict or set (`[]`, `{}`, `list()`, `dict()`, `set()`, an untyped
    `numba.typed.List()` / `numba.typed.Dict()`) that the compiled function only reads,
    returns or ignores: nothing ever appends, inserts, extends or stores into it.

    Any use that might give it an element type (a method that adds, an item assignment,
    passing it to another function) keeps the rule silent.

    ## Why is this bad?
    Numba types a container by what goes into it. One that never receives anything has no
    element type, and compilation stops with "Cannot infer the type of variable 'l', have
    imprecise type: list(undefined)" (or `DictType[undefined,undefined]`, `set(undefined)`).

    ## Example
    ```python
    @njit
    def no_hits(n):
        hits = []
        return len(hits) == 0
    ```

    ## Use instead
    ```python
    from numba import int64
    from numba.typed import List

    @njit
    def no_hits(n):
        hits = List.empty_list(int64)
        return len(hits) == 0
    ```
    Or append to it: `hits.append(n)` tells Numba the element type.
    """

    code = "NB401"
    name = "untyped-empty-container"
    severity = Severity.ERROR
    message = (
        "`{name}` is an empty {kind} that nothing in this function adds to, so Numba cannot "
        'infer its element type ("Cannot infer the type of variable"); create it typed, '
        "e.g. {fix}"
    )
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    out = []\n    for i in range(n):\n"
            "        out.append(i)\n    return len(out)\n",
            call="f(3)",
        ),
        Valid(
            "from numba import njit\n@njit\ndef f(n):\n    d = {}\n    d[n] = 1.5\n"
            "    return len(d)\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    l = []\n    if n > 5:\n"
            "        l.append(n)\n    return len(l)\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    l = list()\n    l.insert(0, n)\n"
            "    return len(l)\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    l = []\n    def add(x):\n"
            "        x.append(1)\n    add(l)\n    return len(l)\n",
            call="f(3)",
        ),
        Valid(
            "import numba\nfrom numba.typed import List\n@numba.njit\ndef f(n):\n"
            "    l = List.empty_list(numba.int64)\n    return len(l)\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    def g(k):\n        l = []\n"
            "        return len(l)\n    return n\n",
            call="f(3)",
        ),
        # An argument, not a literal: its type comes from the caller.
        Valid("import numba\n@numba.njit\ndef f(l):\n    return len(l)\n", call="f([1])"),
        # Not compiled at all.
        Valid("def f(n):\n    l = []\n    return len(l)\n"),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    l = []\n    return len(l)\n",
            line=4,
            column=9,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(n):\n    d = {}\n    return d\n",
            line=4,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.jit(nopython=True)\ndef f(n):\n    s = 0\n    l = list()\n"
            "    for x in l:\n        s += x\n    return s\n",
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    d = dict()\n    return d.get(n, 0)\n",
            line=4,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    seen = set()\n    return n in seen\n",
            line=4,
            call="f(3)",
        ),
        Invalid(
            "import numba\nfrom numba.typed import List\n@numba.njit\ndef f(n):\n"
            "    l = List()\n    return len(l)\n",
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    unused = []\n    return n\n",
            line=4,
            call="f(3)",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._candidates: list[tuple[ast.Name, ast.expr, str]] = []

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
            return
        kind = self._empty_kind(node.value)
        if kind is not None:
            self._candidates.append((node.targets[0], node.value, kind))

    def finish(self) -> None:
        if not self._candidates:
            return
        function = self.ctx.function
        assert function is not None
        parent = m.parents(function.node)
        for target, value, kind in self._candidates:
            if self._never_typed(target, function.node, parent):
                self.report(
                    value,
                    self.message.format(name=target.id, kind=kind, fix=FIXES[kind]),
                )

    def _empty_kind(self, value: ast.expr) -> str | None:
        if isinstance(value, ast.List) and not value.elts:
            return "list"
        if isinstance(value, ast.Dict) and not value.keys:
            return "dict"
        if isinstance(value, ast.Call) and not value.args and not value.keywords:
            builtin = self.ctx.semantic.builtin(value.func)
            if builtin in EMPTY_BUILTINS:
                return EMPTY_BUILTINS[builtin]
            for qualified in self.ctx.qualified_names(value.func):
                if qualified in EMPTY_TYPED:
                    return EMPTY_TYPED[qualified]
        return None

    def _never_typed(
        self,
        target: ast.Name,
        function: FunctionNode,
        parent: dict[ast.AST, ast.AST],
    ) -> bool:
        # Only the compiled function's own locals: a nested def may never be compiled.
        bindings = own_bindings(self.ctx.module, target, function)
        if bindings is None:
            return False
        if len(bindings) != 1 or bindings[0].node is not target:
            return False  # rebound, a parameter, or declared global/nonlocal somewhere
        if _declared_shared(function, target.id):
            return False
        return all(
            self._reads_only(access, parent)
            for access in references(self.ctx.module, bindings[0], function)
        )

    def _reads_only(self, node: ast.Name, parent: dict[ast.AST, ast.AST]) -> bool:
        up = parent.get(node)
        if isinstance(up, ast.Return):
            return up.value is node
        if isinstance(up, (ast.For, ast.AsyncFor)):
            return up.iter is node
        if isinstance(up, (ast.If, ast.While)):
            return up.test is node
        if isinstance(up, ast.UnaryOp):
            return isinstance(up.op, ast.Not)
        if isinstance(up, ast.Compare):
            return True
        if isinstance(up, ast.Call):
            # A positional argument (not `*l`, not `key=l`, not the callee).
            return any(a is node for a in up.args) and (
                self.ctx.semantic.builtin(up.func) in READING_BUILTINS
            )
        if isinstance(up, ast.Attribute) and up.value is node:
            call = parent.get(up)
            return isinstance(call, ast.Call) and call.func is up and up.attr in READING_METHODS
        return False


def _declared_shared(function: FunctionNode, name: str) -> bool:
    """Whether any `global`/`nonlocal` statement in `function` names `name`."""
    for stmt in m.findall(function, m.Global() | m.Nonlocal()):
        assert isinstance(stmt, (ast.Global, ast.Nonlocal))
        if name in stmt.names:
            return True
    return False
