from __future__ import annotations

import ast
from dataclasses import dataclass

from numba_check.compiled import CPU_TARGETS, FunctionNode
from numba_check.matching import parents
from numba_check.model import Severity
from numba_check.module_context import ModuleContext
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.types._literals import own_bindings, references, required_parameter
from numba_check.semantic import types as t
from numba_check.semantic.infer import literal_type

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
    name: ast.Name
    kinds: tuple[t.Type, ...]
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

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
            return
        found = _classify(node.value, self.ctx.module)
        if found is not None:
            kinds, shape = found
            self._literals.append(_Literal(node.targets[0], kinds, shape))

    def finish(self) -> None:
        if not self._literals:
            return
        function = self.ctx.function
        assert function is not None
        parent = parents(function.node)
        for literal in self._literals:
            bindings = own_bindings(self.ctx.module, literal.name, function.node)
            if bindings is None:
                continue
            if len(bindings) != 1 or bindings[0].node is not literal.name:
                continue
            for access in references(self.ctx.module, bindings[0], function.node):
                use = self._runtime_use(access, literal, parent, function.node)
                if use is None:
                    continue
                if use is access:
                    text, error = "a `for` loop over it", LOOP_ERROR
                else:
                    text = f"`{self.ctx.module.quote(use)}`"
                    error = literal.shape[1]
                label, _, fix = literal.shape
                self.report(
                    use,
                    self.message.format(
                        name=literal.name.id,
                        kinds=t.short_names(literal.kinds),
                        shape=label,
                        use=text,
                        error=error,
                        fix=fix + ".",
                    ),
                )

    def _runtime_use(
        self,
        node: ast.Name,
        literal: _Literal,
        parent: dict[ast.AST, ast.AST],
        function: FunctionNode,
    ) -> ast.AST | None:
        """The subscript or loop that reads `literal` at a run-time position, if `node` is one."""
        up = parent.get(node)
        if isinstance(up, (ast.For, ast.AsyncFor)) and up.iter is node:
            return node
        if not isinstance(up, ast.Subscript) or up.value is not node:
            return None
        # `t[i, j]` (a tuple index) never counts: _dynamic finds no name in it.
        index = up.slice
        if (
            isinstance(index, ast.Tuple)
            and len(index.elts) == 1
            and self.ctx.module.code_for(index).endswith(",")
        ):
            # `t[i,]`: libcst, which this rule was written for, read one index and a comma.
            index = index.elts[0]
        if isinstance(index, ast.Slice):
            # Any slice of a literal list fails; tuples slice fine with constant bounds.
            return up if literal.shape is LIST else None
        return up if self._dynamic(index, parent, function) else None

    def _dynamic(
        self,
        expr: ast.expr,
        parent: dict[ast.AST, ast.AST],
        function: FunctionNode,
    ) -> bool:
        """Whether `expr` certainly has no compile-time value: built from a parameter or a
        `range` loop index (a local bound to a constant is folded by Numba)."""
        if isinstance(expr, ast.BinOp):
            return self._dynamic(expr.left, parent, function) or self._dynamic(
                expr.right, parent, function
            )
        if isinstance(expr, ast.UnaryOp) and not isinstance(expr.op, ast.Not):
            return self._dynamic(expr.operand, parent, function)
        if not isinstance(expr, ast.Name):
            return False
        bindings = own_bindings(self.ctx.module, expr, function)
        if not bindings:
            return False
        return all(self._runtime_binding(b.node, parent, function) for b in bindings)

    def _runtime_binding(
        self,
        node: ast.AST,
        parent: dict[ast.AST, ast.AST],
        function: FunctionNode,
    ) -> bool:
        if isinstance(node, ast.arg):
            # A default could reach Numba as an omitted (constant) argument.
            return required_parameter(function.args, node)
        up = parent.get(node)
        if (
            isinstance(up, (ast.For, ast.AsyncFor))
            and up.target is node
            and isinstance(up.iter, ast.Call)
        ):
            func = up.iter.func
            return self.ctx.semantic.builtin(func) == "range" or bool(
                self.ctx.qualified_names(func) & RANGES
            )
        return False


def _classify(
    value: ast.expr, module: ModuleContext
) -> tuple[tuple[t.Type, ...], tuple[str, str, str]] | None:
    """Element kinds and shape of a display Numba cannot give one element type, else None."""
    if isinstance(value, (ast.List, ast.Tuple)):
        if len(value.elts) < 2 or any(isinstance(e, ast.Starred) for e in value.elts):
            return None
        kinds = [literal_type(e) for e in value.elts]
        if None in kinds:
            return None
        known = tuple(k for k in kinds if k is not None)
        if isinstance(value, ast.List):
            return None if t.unify_all(known) is not t.REFUSED else (known, LIST)
        # Tuples are not unified: any two element types make a heterogeneous Tuple.
        return (known, TUPLE) if len(set(known)) > 1 else None
    if isinstance(value, ast.Dict):
        if len(value.keys) < 2:
            return None
        values: list[t.Type] = []
        for key, item in zip(value.keys, value.values, strict=True):
            if key is None:  # `**other`
                return None
            if literal_type(key) != t.Str() or (
                isinstance(key, ast.JoinedStr) and module.strings_written(key) == 1
            ):
                return None
            kind = literal_type(item)
            if kind is None:
                return None
            values.append(kind)
        # A typed Dict takes the first value's type; the rest must cast to it safely.
        if all(t.converts_safely(v, values[0]) for v in values):
            return None
        return tuple(values), DICT
    return None
