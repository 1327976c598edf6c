from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.metadata import FunctionScope

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.module_context import builtin_name
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.types._literals import (
    Kind,
    describe,
    literal_kind,
    parents,
    safely_converts,
    scope_of,
    unifies,
)

RANGES = frozenset({"numba.prange", "numba.misc.special.prange"})

# How Numba types the display, what fails, and what to write instead.
LIST = (
    "literal list",
    '"Cannot __getitem__ on a literal list"',
    "Give the elements one type, or loop over a tuple with `literal_unroll` (from numba)",
)
DICT = (
    "literal str-key dict",
    '"Cannot get{item}() on a literal dictionary"',
    "Give the values one type, or index with constant keys only",
)
TUPLE = (
    "heterogeneous tuple",
    '"No implementation of function getitem"',
    "Give the elements one type, or loop with `literal_unroll` (from numba)",
)
LOOP_ERROR = '"Invalid use of getiter"'


@dataclass(frozen=True)
class _Literal:
    name: cst.Name
    kinds: tuple[Kind, ...]
    shape: tuple[str, str, str]


class LiteralContainerDynamicIndex(Rule):
    """## What it does
    Flags a list, tuple or str-keyed dict literal whose elements have types Numba cannot
    unify (`[1, "a"]`, `(1, "a")`, `(1, 2.5)`, `{"a": 1, "b": "x"}`) when the compiled
    function indexes it with a value known only at run time (a parameter, a loop index, an
    expression of them), slices the list, or loops over it.

    Indexing with a constant (`t[0]`, `d["b"]`) compiles, and so do lists Numba can unify:
    `[1, 2.5]` is a `list(float64)`.

    ## Why is this bad?
    With no common element type, Numba gives the literal a type that records each element
    separately (`LiteralList`, `LiteralStrKeyDict`, `Tuple(int64, unicode_type)`). Which
    element `t[i]` returns, and so its type, is then unknown at compile time: "Cannot
    __getitem__ on a literal list, return type cannot be statically determined".

    ## Example
    ```python
    @njit
    def label(i):
        names = [0, "one", "two"]
        return names[i]
    ```

    ## Use instead
    ```python
    @njit
    def label(i):
        names = ["zero", "one", "two"]
        return names[i]
    ```
    To visit each element of a mixed tuple, `from numba import literal_unroll` and loop with
    `for x in literal_unroll(t):` (the attribute spelling `numba.literal_unroll(t)` is not
    recognised by Numba and fails the same way).
    """

    code = "NB403"
    name = "literal-container-dynamic-index"
    severity = Severity.ERROR
    message = (
        "`{name}` mixes {kinds}, so Numba types it as a {shape}, which takes constant indices "
        "only: {use} does not compile ({error}). {fix}"
    )
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(i):\n    t = [1, 'a']\n    return t[1]\n",
            call="f(0)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(i):\n    t = [1, 'a']\n    k = 1\n    return t[k]\n",
            call="f(0)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(i):\n    t = [1, 2.5]\n    return t[i]\n",
            call="f(1)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(i):\n    t = ['a', 'b']\n    return t[i]\n",
            call="f(1)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(k):\n    d = {'a': 1, 'b': 'x'}\n    return d['b']\n",
            call="f('a')",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(k):\n    d = {'a': 2.5, 'b': 1}\n    return d[k]\n",
            call="f('a')",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(i):\n    t = (1, 2)\n    return t[i]\n",
            call="f(1)",
        ),
        Valid(
            "import numba\nfrom numba import literal_unroll\n@numba.njit\ndef f(n):\n"
            "    t = (1, 'a')\n    c = 0\n    for x in literal_unroll(t):\n        c += 1\n"
            "    return c\n",
            call="f(0)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(i):\n    t = [1, None]\n    return t[i]\n",
            call="f(0)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(i):\n    t = [1, 'a']\n    return t[i]\n",
            line=5,
            column=12,
            call="f(0)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(n):\n    t = [1, 'a', 2.5]\n    c = 0\n"
            "    for i in range(n):\n        if t[i % 3] == 1:\n            c += 1\n    return c\n",
            line=7,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(k):\n    d = {'a': 1, 'b': 'x'}\n    return d[k]\n",
            line=5,
            call="f('a')",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(k):\n    d = {'a': 1, 'b': 2.5}\n    return d[k]\n",
            line=5,
            call="f('a')",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(i):\n    t = (1, 2.5)\n    return t[i]\n",
            line=5,
            call="f(1)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    t = [1, 'a']\n    c = 0\n    for x in t:\n"
            "        c += 1\n    return c\n",
            line=6,
            column=14,
            call="f(0)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    t = [1, 'a', 2.0]\n    return len(t[1:])\n",
            line=5,
            call="f(0)",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._literals: list[_Literal] = []

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0].target, cst.Name):
            return
        found = _classify(node.value)
        if found is not None:
            kinds, shape = found
            self._literals.append(_Literal(node.targets[0].target, kinds, shape))

    def finish(self) -> None:
        if not self._literals:
            return
        function = self.ctx.function
        assert function is not None
        parent = parents(function.node)
        for literal in self._literals:
            scope = scope_of(self.ctx.module, literal.name)
            if not isinstance(scope, FunctionScope) or scope.node is not function.node:
                continue
            assignments = list(scope.assignments[literal.name.value])
            if len(assignments) != 1 or assignments[0].node is not literal.name:
                continue
            for access in assignments[0].references:
                use = self._runtime_use(access.node, literal, parent, function.node)
                if use is None:
                    continue
                if use is access.node:
                    text, error = "a `for` loop over it", LOOP_ERROR
                else:
                    text = f"`{self.ctx.module.module.code_for_node(use).strip()}`"
                    error = literal.shape[1]
                label, _, fix = literal.shape
                self.report(
                    use,
                    self.message.format(
                        name=literal.name.value,
                        kinds=describe(literal.kinds),
                        shape=label,
                        use=text,
                        error=error,
                        fix=fix + ".",
                    ),
                )

    def _runtime_use(
        self,
        node: cst.CSTNode,
        literal: _Literal,
        parent: dict[cst.CSTNode, cst.CSTNode],
        function: cst.FunctionDef,
    ) -> cst.CSTNode | None:
        """The subscript or loop that reads `literal` at a run-time position, if `node` is one."""
        up = parent.get(node)
        if isinstance(up, cst.For) and up.iter is node:
            return node
        if not isinstance(up, cst.Subscript) or up.value is not node or len(up.slice) != 1:
            return None
        index = up.slice[0].slice
        if isinstance(index, cst.Slice):
            # Any slice of a literal list fails; tuples slice fine with constant bounds.
            return up if literal.shape is LIST else None
        assert isinstance(index, cst.Index)
        return up if self._dynamic(index.value, parent, function) else None

    def _dynamic(
        self,
        expr: cst.BaseExpression,
        parent: dict[cst.CSTNode, cst.CSTNode],
        function: cst.FunctionDef,
    ) -> bool:
        """Whether `expr` certainly has no compile-time value: built from a parameter or a
        `range` loop index (a local bound to a constant is folded by Numba)."""
        if isinstance(expr, cst.BinaryOperation):
            return self._dynamic(expr.left, parent, function) or self._dynamic(
                expr.right, parent, function
            )
        if isinstance(expr, cst.UnaryOperation) and not isinstance(expr.operator, cst.Not):
            return self._dynamic(expr.expression, parent, function)
        if not isinstance(expr, cst.Name):
            return False
        scope = scope_of(self.ctx.module, expr)
        if not isinstance(scope, FunctionScope) or scope.node is not function:
            return False
        assignments = list(scope.assignments[expr.value])
        return bool(assignments) and all(
            self._runtime_binding(a.node, parent, function) for a in assignments
        )

    def _runtime_binding(
        self,
        node: cst.CSTNode,
        parent: dict[cst.CSTNode, cst.CSTNode],
        function: cst.FunctionDef,
    ) -> bool:
        if isinstance(node, cst.Param):
            # A default could reach Numba as an omitted (constant) argument.
            positional = (*function.params.params, *function.params.kwonly_params)
            return node.default is None and any(p is node for p in positional)
        up = parent.get(node)
        if isinstance(up, cst.For) and up.target is node and isinstance(up.iter, cst.Call):
            func = up.iter.func
            return builtin_name(self.ctx.module, func) == "range" or bool(
                self.ctx.qualified_names(func) & RANGES
            )
        return False


def _classify(value: cst.BaseExpression) -> tuple[tuple[Kind, ...], tuple[str, str, str]] | None:
    """Element kinds and shape of a display Numba cannot give one element type, else None."""
    if isinstance(value, (cst.List, cst.Tuple)):
        if len(value.elements) < 2 or not all(isinstance(e, cst.Element) for e in value.elements):
            return None
        kinds = [literal_kind(e.value) for e in value.elements]
        if None in kinds:
            return None
        known = tuple(k for k in kinds if k is not None)
        if isinstance(value, cst.List):
            return None if unifies(known) else (known, LIST)
        # Tuples are not unified: any two element types make a heterogeneous Tuple.
        return (known, TUPLE) if len(set(known)) > 1 else None
    if isinstance(value, cst.Dict):
        if len(value.elements) < 2:
            return None
        values: list[Kind] = []
        for element in value.elements:
            if not isinstance(element, cst.DictElement):
                return None
            if literal_kind(element.key) is not Kind.STR or isinstance(
                element.key, cst.FormattedString
            ):
                return None
            kind = literal_kind(element.value)
            if kind is None:
                return None
            values.append(kind)
        # A typed Dict takes the first value's type; the rest must cast to it safely.
        if all(safely_converts(v, values[0]) for v in values):
            return None
        return tuple(values), DICT
    return None
