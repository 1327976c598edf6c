from __future__ import annotations

import ast

from numba_check import matching as m
from numba_check.compiled import CPU_TARGETS, FunctionNode
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.types._literals import (
    FUNCTION_LIKE,
    names_and_constants_in,
    names_in,
    own_bindings,
    required_parameter,
)
from numba_check.semantic import types as t
from numba_check.semantic.infer import literal_type

# Builtins whose result Numba knows at compile time: a branch they guard may be pruned.
COMPILE_TIME_TESTS = frozenset({"isinstance", "issubclass", "hasattr", "callable", "type"})


class IncompatibleReturnTypes(Rule):
    """## What it does
    Flags a compiled function whose `return` statements give values of types Numba cannot
    unify, when every returned value's type is certain: a str (a literal, an f-string,
    `str(...)`) in one place and a number or bool in another, bytes and anything else, or
    NumPy arrays built in the return statements (`np.zeros(3)`, `np.ones((3, 3))`,
    `np.array([1, 2])`) with different dtypes or numbers of dimensions, or an array and a
    number.

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
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(x):\n    if x > 0:\n"
            "        return np.zeros((1, 3))\n    else:\n        return np.zeros((3, 3))\n",
            call="f(1)",
        ),
        Valid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(n):\n    if n > 0:\n"
            "        return np.arange(n)\n    return np.array([1, 2])\n",
            call="f(1)",
        ),
        Valid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(n):\n    if n > 0:\n"
            "        return np.zeros(n)\n    return None\n",
            call="f(1)",
        ),
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
        # Blocks on their headers' lines: the `return "x"` is as dead as it is above.
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    if n > 0: return 1\n"
            "    else: return 2\n    return 'x'\n",
            call="f(1)",
        ),
        Valid("import numba\n@numba.njit\ndef f(x): return 1; return 'unreachable'\n", call="f(3)"),
    )
    INVALID = (
        # numba#7880: the number of dimensions is part of an array's type.
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(x):\n    if x > 0:\n"
            "        return np.zeros(3)\n    else:\n        return np.zeros((3, 3))\n",
            line=8,
            column=9,
            call="f(1)",
        ),
        Invalid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(n):\n    if n > 0:\n"
            "        return np.ones(2, dtype=np.int64)\n    return np.array([1.5, 2.0])\n",
            line=7,
            call="f(1)",
        ),
        Invalid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(n):\n    if n > 0:\n"
            "        return np.zeros(2)\n    return 0.0\n",
            line=7,
            call="f(1)",
        ),
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
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    if n > 0: return 1\n    return 'x'\n",
            line=5,
            call="f(1)",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._depth = 0  # inside nested functions and lambdas, whose returns are their own
        self._returns: list[tuple[ast.Return, list[t.Type | None]]] = []
        self._tests: list[ast.expr] = []
        self._generator = False
        self._parent: dict[ast.AST, ast.AST] = {}
        self._runtime: dict[str, bool] = {}

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._depth += 1

    def leave_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef
    leave_AsyncFunctionDef = leave_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._depth += 1

    def leave_Lambda(self, node: ast.Lambda) -> None:
        self._depth -= 1

    def visit_Yield(self, node: ast.Yield | ast.YieldFrom) -> None:
        if not self._depth:
            self._generator = True

    visit_YieldFrom = visit_Yield

    def visit_If(self, node: ast.If) -> None:
        if not self._depth:
            self._tests.append(node.test)

    def visit_While(self, node: ast.While) -> None:
        if not self._depth:
            self._tests.append(node.test)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        if not self._depth:
            self._tests.append(node.test)

    def visit_Return(self, node: ast.Return) -> None:
        if not self._depth:
            self._returns.append((node, self._kinds(node.value)))

    def visit_Match(self, node: ast.Match) -> None:
        self._generator = True  # case patterns are matched in ways not modelled here

    def finish(self) -> None:
        if self._generator or any(None in kinds for _, kinds in self._returns):
            return  # a generator, or some returned type is not certain
        function = self.ctx.function
        assert function is not None
        self._parent = m.parents(function.node)
        self._runtime: dict[str, bool] = {}
        if not all(self._runtime_test(test) for test in self._tests):
            return
        seen: list[tuple[t.Type, ast.Return]] = []
        for node, kinds in self._returns:
            if self._unreachable(node, function.node):
                continue  # CPython drops dead code: Numba never sees this return
            for kind in kinds:
                assert kind is not None
                if kind == t.NONE:
                    continue
                clash = next((s for s in seen if t.unify(s[0], kind) is t.REFUSED), None)
                if clash is not None:
                    line = clash[1].lineno
                    self.report(
                        node,
                        self.message.format(
                            kind=t.short_name(kind), line=line, other=t.short_name(clash[0])
                        ),
                    )
                    return
                seen.append((kind, node))

    def _kinds(self, value: ast.expr | None) -> list[t.Type | None]:
        if value is None:
            return [t.NONE]
        if isinstance(value, ast.IfExp):
            return [*self._kinds(value.body), *self._kinds(value.orelse)]
        return [self._kind(value)]

    def _kind(self, value: ast.expr) -> t.Type | None:
        kind = literal_type(value)
        if kind is not None:
            return kind
        if isinstance(value, ast.Call) and self.ctx.semantic.builtin(value.func) == "str":
            return t.Str()
        if isinstance(value, ast.Call):
            # An array built in the return statement (`np.zeros((3, 3))`): its dtype and number
            # of dimensions are certain, and arrays differing in either do not unify.
            found = self.ctx.semantic.type_of(value)
            if isinstance(found, t.Array) and t.known(found):
                return found
        if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
            left, right = self._kind(value.left), self._kind(value.right)
            return t.Str() if left == right == t.Str() else None
        return None

    def _runtime_test(self, test: ast.expr) -> bool:
        """Whether Numba must evaluate `test` at run time, so neither branch is pruned.

        Numba's dead-branch pass folds conditions on constants, globals, None-valued
        arguments and locals bound to those, and `isinstance` is decided from types. `and` /
        `or` become separate branches, so each operand must be a run-time test.
        """
        if isinstance(test, ast.BoolOp):
            return all(self._runtime_test(value) for value in test.values)
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            return self._runtime_test(test.operand)
        for comparison in _comparisons(test):
            if any(isinstance(op, (ast.Is, ast.IsNot)) for op in comparison.ops):
                return False
        runtime = False
        for name in names_and_constants_in(test):
            if isinstance(name, ast.Constant):  # `None`, `True`, `False`
                return False
            if self.ctx.semantic.builtin(name) in COMPILE_TIME_TESTS:
                return False
            runtime = runtime or self._runtime_name(name)
        return runtime

    def _runtime_name(self, name: ast.Name) -> bool:
        """Whether the local `name` only ever holds values computed at run time: parameters
        without defaults, loop targets, and results of expressions of those."""
        function = self.ctx.function
        assert function is not None
        bindings = own_bindings(self.ctx.module, name, function.node)
        if bindings is None:
            return False
        key = name.id
        if key in self._runtime:
            return self._runtime[key]
        self._runtime[key] = False  # a cycle (x = x + 1) proves nothing by itself
        result = bool(bindings) and all(self._runtime_binding(b.node) for b in bindings)
        self._runtime[key] = result
        return result

    def _runtime_binding(self, node: ast.AST) -> bool:
        function = self.ctx.function
        assert function is not None
        if isinstance(node, ast.arg):
            return required_parameter(function.node.args, node)
        up = self._parent.get(node)
        if isinstance(up, (ast.For, ast.AsyncFor)):
            return up.target is node
        if isinstance(up, ast.Assign) and any(target is node for target in up.targets):
            value: ast.expr | None = up.value
        elif isinstance(up, ast.AugAssign) and up.target is node:
            value = up.value
        else:
            return False
        return value is not None and any(
            self._runtime_name(n) for n in names_in(value) if n is not node
        )

    def _unreachable(self, node: ast.AST, function: FunctionNode) -> bool:
        """Whether a statement before `node`, in its block or an enclosing one, always exits."""
        while node is not function:
            up = self._parent.get(node)
            if up is None:
                return False
            block = _block_of(up, node)
            if block is not None:
                for sibling in block:
                    if sibling is node:
                        break
                    if self._always_exits(sibling):
                        return True
            node = up
        return False

    def _always_exits(self, stmt: ast.stmt) -> bool:
        """Whether control never passes `stmt` (return, raise, break, continue, or an if/else
        whose every branch exits)."""
        if isinstance(stmt, (ast.Return, ast.Raise, ast.Break, ast.Continue)):
            return True
        if isinstance(stmt, ast.If):
            if not stmt.orelse:
                return False
            return self._block_exits(stmt.body) and self._block_exits(stmt.orelse)
        return False

    def _block_exits(self, block: list[ast.stmt]) -> bool:
        return any(self._always_exits(s) for s in block)


def _block_of(parent: ast.AST, node: ast.AST) -> list[ast.stmt] | None:
    """The statement list of `parent` (a body, an `else`, a `finally`) that holds `node`."""
    if not isinstance(node, ast.stmt):
        return None
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if type(block) is list and any(s is node for s in block):
            return block
    return None


def _comparisons(node: ast.AST) -> list[ast.Compare]:
    out = []
    for found in m.walk(node, prune=FUNCTION_LIKE):
        if isinstance(found, ast.Compare):
            out.append(found)
    return out
