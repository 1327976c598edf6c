from __future__ import annotations

import libcst as cst
from libcst.metadata import FunctionScope

from numba_check import matching as m
from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.module_context import builtin_name
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.types._literals import (
    Kind,
    literal_kind,
    names_in,
    parents,
    scope_of,
    unifies,
)

# Builtins whose result Numba knows at compile time: a branch they guard may be pruned.
COMPILE_TIME_TESTS = frozenset({"isinstance", "issubclass", "hasattr", "callable", "type"})


class IncompatibleReturnTypes(Rule):
    """## What it does
    Flags a compiled function whose `return` statements give values of types Numba cannot
    unify, when every returned value's type is certain: a str (a literal, an f-string,
    `str(...)`) in one place and a number or bool in another, or bytes and anything else.

    `int` and `float` returns unify to float, and `None` with anything makes an Optional;
    neither is flagged. A function whose branches Numba may prune at compile time
    (`if x is None:`, `isinstance`, tests on constants or globals) is left alone.

    ## Why is this bad?
    A compiled function has a single return type. Numba unifies the types of all returns and
    stops when there is none: "Can't unify return type from the following types:
    Literal[int](1), Literal[str](neg)".

    ## Example
    ```python
    @njit
    def sign(x):
        if x >= 0:
            return 1
        return "negative"
    ```

    ## Use instead
    ```python
    @njit
    def sign(x):
        if x >= 0:
            return 1
        return -1
    ```
    """

    code = "NB404"
    name = "incompatible-return-types"
    severity = Severity.ERROR
    message = (
        "This returns `{kind}` but line {line} returns `{other}`; a compiled function has one "
        'return type and Numba cannot unify these ("Can\'t unify return type"). Return one type'
    )
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    if n > 0:\n        return 1.0\n"
            "    return 2.5\n",
            call="f(-1)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    if n > 0:\n        return 1\n"
            "    return None\n",
            call="f(1)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    if n > 0:\n        return 'pos'\n"
            "    return\n",
            call="f(1)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    if n > 0:\n        return 'pos'\n"
            "    return 'neg'\n",
            call="f(1)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x=None):\n    if x is None:\n"
            "        return 'none'\n    return 1\n",
            call="f()",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    if isinstance(x, str):\n"
            "        return 'a'\n    return 1\n",
            call="f(3)",
        ),
        Valid(
            "import numba\nDEBUG = False\n@numba.njit\ndef f(x):\n    if DEBUG:\n"
            "        return 'debug'\n    return 1\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    def g():\n        return 'a'\n"
            "    g()\n    return 1\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    if x > 0:\n        return str(x)\n"
            "    return x\n",
        ),
        # A local bound to a constant, `while True` and `and GLOBAL` are folded by Numba.
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    flag = True\n    if flag:\n"
            "        return 'a'\n    return 1\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    while True:\n        if x > 0:\n"
            "            return 'a'\n        x += 1\n    return 1\n",
            call="f(3)",
        ),
        Valid(
            "import numba\nDEBUG = False\n@numba.njit\ndef f(x):\n    if x > 0 and DEBUG:\n"
            "        return 'a'\n    return 1\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    return 1\n    return 'unreachable'\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    if n > 0:\n        return 1\n"
            "    return 'neg'\n",
            line=6,
            column=5,
            call="f(1)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(n):\n    for i in range(n):\n"
            "        if i == 3:\n            return 'found'\n    return -1\n",
            line=7,
            call="f(5)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    if n > 0:\n        return f'{n}'\n"
            "    return 0.0\n",
            line=6,
            call="f(1)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    if n > 0:\n        return str(n)\n"
            "    return False\n",
            line=6,
            call="f(1)",
        ),
        Invalid(
            "import numba\nLIMIT = 5\n@numba.njit\ndef f(x):\n    y = x * 2\n    if y > LIMIT:\n"
            "        return b'big'\n    return 1\n",
            line=8,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    return 'pos' if n > 0 else 0\n",
            line=4,
            call="f(1)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    if n > 1:\n        return None\n"
            "    if n > 0:\n        return 'one'\n    return 0\n",
            line=8,
            call="f(1)",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._depth = 0  # inside nested functions and lambdas, whose returns are their own
        self._returns: list[tuple[cst.Return, list[Kind | None]]] = []
        self._tests: list[cst.BaseExpression] = []
        self._generator = False
        self._parent: dict[cst.CSTNode, cst.CSTNode] = {}
        self._runtime: dict[str, bool] = {}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._depth += 1

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._depth -= 1

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._depth += 1

    def leave_Lambda(self, node: cst.Lambda) -> None:
        self._depth -= 1

    def visit_Yield(self, node: cst.Yield) -> None:
        if not self._depth:
            self._generator = True

    def visit_If(self, node: cst.If) -> None:
        if not self._depth:
            self._tests.append(node.test)

    def visit_While(self, node: cst.While) -> None:
        if not self._depth:
            self._tests.append(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        if not self._depth:
            self._tests.append(node.test)

    def visit_Return(self, node: cst.Return) -> None:
        if not self._depth:
            self._returns.append((node, self._kinds(node.value)))

    def visit_Match(self, node: cst.CSTNode) -> None:
        self._generator = True  # case patterns are matched in ways not modelled here

    def finish(self) -> None:
        if self._generator or any(None in kinds for _, kinds in self._returns):
            return  # a generator, or some returned type is not certain
        function = self.ctx.function
        assert function is not None
        self._parent = parents(function.node)
        self._runtime: dict[str, bool] = {}
        if not all(self._runtime_test(test) for test in self._tests):
            return
        seen: list[tuple[Kind, cst.Return]] = []
        for node, kinds in self._returns:
            if self._unreachable(node, function.node):
                continue  # CPython drops dead code: Numba never sees this return
            for kind in kinds:
                assert kind is not None
                if kind is Kind.NONE:
                    continue
                clash = next((s for s in seen if not unifies((s[0], kind))), None)
                if clash is not None:
                    line = self.ctx.module.positions[clash[1]].start.line
                    self.report(
                        node, self.message.format(kind=kind.value, line=line, other=clash[0].value)
                    )
                    return
                seen.append((kind, node))

    def _kinds(self, value: cst.BaseExpression | None) -> list[Kind | None]:
        if value is None:
            return [Kind.NONE]
        if isinstance(value, cst.IfExp):
            return [*self._kinds(value.body), *self._kinds(value.orelse)]
        return [self._kind(value)]

    def _kind(self, value: cst.BaseExpression) -> Kind | None:
        kind = literal_kind(value)
        if kind is not None:
            return kind
        if isinstance(value, cst.Call) and builtin_name(self.ctx.module, value.func) == "str":
            return Kind.STR
        if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Add):
            left, right = self._kind(value.left), self._kind(value.right)
            return Kind.STR if left is right is Kind.STR else None
        return None

    def _runtime_test(self, test: cst.BaseExpression) -> bool:
        """Whether Numba must evaluate `test` at run time, so neither branch is pruned.

        Numba's dead-branch pass folds conditions on constants, globals, None-valued
        arguments and locals bound to those, and `isinstance` is decided from types. `and` /
        `or` become separate branches, so each operand must be a run-time test.
        """
        if isinstance(test, cst.BooleanOperation):
            return self._runtime_test(test.left) and self._runtime_test(test.right)
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            return self._runtime_test(test.expression)
        for comparison in _comparisons(test):
            if any(isinstance(t.operator, (cst.Is, cst.IsNot)) for t in comparison.comparisons):
                return False
        runtime = False
        for name in names_in(test):
            if name.value in ("None", "True", "False"):
                return False
            if builtin_name(self.ctx.module, name) in COMPILE_TIME_TESTS:
                return False
            runtime = runtime or self._runtime_name(name)
        return runtime

    def _runtime_name(self, name: cst.Name) -> bool:
        """Whether the local `name` only ever holds values computed at run time: parameters
        without defaults, loop targets, and results of expressions of those."""
        function = self.ctx.function
        assert function is not None
        scope = scope_of(self.ctx.module, name)
        if not isinstance(scope, FunctionScope) or scope.node is not function.node:
            return False
        key = name.value
        if key in self._runtime:
            return self._runtime[key]
        self._runtime[key] = False  # a cycle (x = x + 1) proves nothing by itself
        assignments = list(scope.assignments[key])
        result = bool(assignments) and all(self._runtime_binding(a.node) for a in assignments)
        self._runtime[key] = result
        return result

    def _runtime_binding(self, node: cst.CSTNode) -> bool:
        function = self.ctx.function
        assert function is not None
        if isinstance(node, cst.Param):
            positional = (*function.node.params.params, *function.node.params.kwonly_params)
            return node.default is None and any(p is node for p in positional)
        up = self._parent.get(node)
        if isinstance(up, cst.For):
            return up.target is node
        if isinstance(up, cst.AssignTarget):
            assign = self._parent.get(up)
            value = assign.value if isinstance(assign, cst.Assign) else None
        elif isinstance(up, cst.AugAssign):
            value = up.value
        else:
            return False
        return value is not None and any(
            self._runtime_name(n) for n in names_in(value) if n is not node
        )

    def _unreachable(self, node: cst.CSTNode, function: cst.FunctionDef) -> bool:
        """Whether a statement before `node`, in its block or an enclosing one, always exits."""
        while node is not function:
            up = self._parent.get(node)
            if up is None:
                return False
            if isinstance(up, (cst.IndentedBlock, cst.SimpleStatementLine)):
                for sibling in up.body:
                    if sibling is node:
                        break
                    if _always_exits(sibling):
                        return True
            node = up
        return False


def _always_exits(stmt: cst.CSTNode) -> bool:
    """Whether control never passes `stmt` (return, raise, break, continue, or an if/else
    whose every branch exits)."""
    if isinstance(stmt, (cst.Return, cst.Raise, cst.Break, cst.Continue)):
        return True
    if isinstance(stmt, cst.SimpleStatementLine):
        return any(_always_exits(small) for small in stmt.body)
    if isinstance(stmt, cst.IndentedBlock):
        return any(_always_exits(inner) for inner in stmt.body)
    if isinstance(stmt, cst.If):
        orelse = stmt.orelse
        if orelse is None:
            return False
        rest = orelse if isinstance(orelse, cst.If) else orelse.body
        return _always_exits(stmt.body) and _always_exits(rest)
    return False


def _comparisons(node: cst.CSTNode) -> list[cst.Comparison]:
    out = []
    if isinstance(node, cst.Comparison):
        out.append(node)
    for child in m.children(node):
        if not isinstance(child, (cst.FunctionDef, cst.Lambda)):
            out.extend(_comparisons(child))
    return out
