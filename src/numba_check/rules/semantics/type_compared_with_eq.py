from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid, since
from numba_check.rules.semantics._infer import TypedRule, called_builtin

CLASSES = frozenset(
    {"int", "float", "bool", "complex", "str", "bytes", "tuple", "list", "dict", "set"}
)


class TypeComparedWithEq(TypedRule):
    """## What it does
    Flags `type(x) == int`, `type(x) != float`, `type(x) == type(y)` and
    `type(x) == np.float64` in compiled code.

    ## Why is this bad?
    Numba cannot compare types with `==` or `!=`: compilation stops with a TypingError
    ("No implementation of function Function(<built-in function eq>)").

    ## Example
    ```python
    @njit
    def half(x):
        if type(x) == int:
            return x // 2
        return x / 2
    ```

    ## Use instead
    ```python
    @njit
    def half(x):
        if isinstance(x, int):
            return x // 2
        return x / 2
    ```
    """

    code = "NB441"
    name = "type-compared-with-eq"
    severity = Severity.ERROR
    message = "Numba cannot compare types with `==`/`!=` (TypingError); use `isinstance(x, cls)`"
    targets = CPU_TARGETS
    numba_versions = since("0.57")

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    return isinstance(x, float)\n",
            call="f(3.0)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x, y):\n    return x == y\n",
            call="f(3, 3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    return len(x) == int(2)\n",
            call="f((1, 2))",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    return type(x) == float\n",
            line=4,
            column=12,
            call="f(3.0)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(x, y):\n    if type(x) != type(y):\n"
            "        return 1\n    return 0\n",
            line=4,
            call="f(1, 2.0)",
        ),
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(x):\n"
            "    return np.float64 == type(x)\n",
            call="f(1.0)",
        ),
    )

    def visit_Compare(self, node: ast.Compare) -> None:
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, (ast.Eq, ast.NotEq)) and (
                self._type_vs_class(left, right) or self._type_vs_class(right, left)
            ):
                self.report(node)
                return
            left = right

    def _type_vs_class(self, call: ast.expr, other: ast.expr) -> bool:
        module = self.ctx.module
        if not called_builtin(module, call, "type"):
            return False
        if called_builtin(module, other, "type") or module.semantic.builtin(other) in CLASSES:
            return True
        return isinstance(other, (ast.Name, ast.Attribute)) and any(
            q.startswith("numpy.") for q in module.qualified_names(other)
        )
