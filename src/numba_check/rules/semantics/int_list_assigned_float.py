from __future__ import annotations

import ast
from dataclasses import dataclass

from numba_check.model import Applicability, Severity
from numba_check.rules.base import Invalid, Replacement, Rule, Valid

# Calls whose result is a float whatever their (numeric) arguments are.
FLOAT_FUNCTIONS = frozenset(
    {"builtins.float"}
    | {
        f"math.{n}"
        for n in (
            "sqrt",
            "exp",
            "log",
            "log2",
            "log10",
            "log1p",
            "expm1",
            "sin",
            "cos",
            "tan",
            "asin",
            "acos",
            "atan",
            "atan2",
            "sinh",
            "cosh",
            "tanh",
            "hypot",
            "pow",
            "fabs",
            "erf",
            "erfc",
            "gamma",
            "lgamma",
            "radians",
            "degrees",
            "fmod",
            "copysign",
        )
    }
    | {f"numpy.{n}" for n in ("float64", "float32", "sqrt", "exp", "log", "sin", "cos", "tan")}
    | {
        "random.random",
        "random.uniform",
        "random.gauss",
        "numpy.random.random",
        "numpy.random.rand",
    }
)
FLOAT_NAMES = frozenset(
    {
        "math.pi",
        "math.e",
        "math.tau",
        "math.inf",
        "math.nan",
        "numpy.pi",
        "numpy.e",
        "numpy.inf",
        "numpy.nan",
    }
)


@dataclass
class _IntList:
    assign: ast.Assign
    value: ast.expr
    literals: list[ast.Constant]


class IntListAssignedFloat(Rule):
    """## What it does
    Flags a list created with integer elements (`[0] * n`, `[0 for _ in range(n)]`,
    `[0, 0, 0]`) that the same compiled function later fills with float values.

    ## Why is this bad?
    Numba types the list from its first elements as `list(int64)`, and every later store
    into it is silently truncated: `out = [0] * 3; out[i] = i + 0.5` gives `[0, 1, 2]` where
    Python gives `[0.5, 1.5, 2.5]`. No error, no warning.

    ## Example
    ```python
    @njit
    def halves(n):
        out = [0] * n
        for i in range(n):
            out[i] = i / 2
        return out
    ```

    ## Use instead
    ```python
    @njit
    def halves(n):
        out = [0.0] * n
        for i in range(n):
            out[i] = i / 2
        return out
    ```
    Better still, `np.empty(n)` or `np.zeros(n)`.

    ## Fix safety
    Unsafe: the list becomes `list(float64)`, which changes code that relies on its
    elements being integers (using one as an index, say).
    """

    code = "NB501"
    name = "int-list-assigned-float"
    severity = Severity.WARNING
    message = (
        "`{name}` is created as a list of ints but is assigned floats on line {line}; Numba "
        "truncates them silently. Initialise it with floats (`[0.0] * n`)"
    )
    fix_applicability = Applicability.UNSAFE
    fix_message = "Initialise the list with float literals"

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    out = [0.0] * n\n    for i in range(n):\n"
            "        out[i] = i / 2\n    return out\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    out = [0] * n\n    for i in range(n):\n"
            "        out[i] = i * 2\n    return out\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    out = [0] * n\n    for i in range(n):\n"
            "        out[i] = int(i / 2)\n    return out\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    out = [0] * n\n    for i in range(n):\n"
            "        out[i] = i + 0.5\n    return out\n",
            line=4,
            column=11,
            fixed="import numba\n@numba.njit\ndef f(n):\n    out = [0.0] * n\n    for i in range(n):\n"
            "        out[i] = i + 0.5\n    return out\n",
            call="f(3)",
        ),
        Invalid(
            "import math\nimport numba\n@numba.njit\ndef f(n):\n    out = [0 for _ in range(n)]\n"
            "    for i in range(n):\n        out[i] = math.sqrt(i)\n    return out\n",
            line=5,
            fixed="import math\nimport numba\n@numba.njit\ndef f(n):\n    out = [0.0 for _ in range(n)]\n"
            "    for i in range(n):\n        out[i] = math.sqrt(i)\n    return out\n",
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    acc = [0, 0, 0]\n    for i in range(n):\n"
            "        acc[i % 3] += i / 4\n    return acc\n",
            line=4,
            fixed="import numba\n@numba.njit\ndef f(n):\n    acc = [0.0, 0.0, 0.0]\n    for i in range(n):\n"
            "        acc[i % 3] += i / 4\n    return acc\n",
            call="f(5)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    idx = [0] * n\n    out = [0] * n\n"
            "    for i in range(n):\n        idx[i] = i\n        out[i] = i * 0.5\n    return out\n",
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import numba\ndef g(n):\n    out = n * [-1]\n    out[0] = 2.5\n    return out\nh = numba.njit(g)\n",
            line=3,
            fixed="import numba\ndef g(n):\n    out = n * [-1.0]\n    out[0] = 2.5\n    return out\nh = numba.njit(g)\n",
            call="h(2)",
        ),
    )

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._lists: dict[str, _IntList] = {}
        self._float_store: dict[str, ast.AST] = {}

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            literals = _int_list_literals(node.value)
            name = node.targets[0].id
            if literals:
                self._lists.setdefault(name, _IntList(node, node.value, literals))
            return
        for target in node.targets:
            self._store(target, node.value, node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._store(node.target, node.value, node)

    def _store(self, target: ast.expr, value: ast.expr, node: ast.AST) -> None:
        is_item = isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
        if is_item and self._is_float(value):
            self._float_store.setdefault(target.value.id, node)  # type: ignore[attr-defined]

    def finish(self) -> None:
        for name, created in self._lists.items():
            store = self._float_store.get(name)
            if store is None:
                continue
            line = self.ctx.module.span(store)[0].line
            self.report(
                created.value,
                self.message.format(name=name, line=line),
                replacements=[Replacement(lit, repr(float(lit.value))) for lit in created.literals],
            )

    def _is_float(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Constant) and type(node.value) is float:
            return True
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Div):
                return True
            return self._is_float(node.left) or self._is_float(node.right)
        if isinstance(node, ast.UnaryOp):
            return self._is_float(node.operand)
        if isinstance(node, ast.IfExp):
            return self._is_float(node.body) or self._is_float(node.orelse)
        if isinstance(node, ast.Call):
            return bool(self.ctx.qualified_names(node.func) & FLOAT_FUNCTIONS) or (
                isinstance(node.func, ast.Name) and node.func.id == "float"
            )
        if isinstance(node, (ast.Attribute, ast.Name)):
            return bool(self.ctx.qualified_names(node) & FLOAT_NAMES)
        return False


def _int_list_literals(value: ast.expr) -> list[ast.Constant]:
    """The int literals to turn into floats when `value` builds a list of ints, else []."""
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Mult):
        for side in (value.left, value.right):
            if isinstance(side, ast.List):
                return _int_elements(side)
        return []
    if isinstance(value, ast.ListComp):
        lit = _integer(value.elt)
        return [lit] if lit is not None else []
    if isinstance(value, ast.List):
        return _int_elements(value)
    return []


def _int_elements(lst: ast.List) -> list[ast.Constant]:
    out = []
    for element in lst.elts:
        if isinstance(element, ast.Starred):
            return []
        lit = _integer(element)
        if lit is None:
            return []
        out.append(lit)
    return out


def _integer(node: ast.expr) -> ast.Constant | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    # `True` is an int to Python, but was never an int literal here.
    return node if isinstance(node, ast.Constant) and type(node.value) is int else None
