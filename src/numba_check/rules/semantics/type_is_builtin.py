from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid, since
from numba_check.rules.semantics._infer import TypedRule, called_builtin

# `type(x) is <one of these>` compiles, and is False under Numba whatever x is.
NEVER_MATCHED = frozenset({"int", "float", "bool", "complex"})


class TypeIsBuiltin(TypedRule):
    """## What it does
    Flags `type(x) is int` (and `is not`, for `int`, `float`, `bool` and `complex`) in
    compiled code.

    ## Why is this bad?
    Under Numba `type(x)` is a Numba type such as `int64` or `float64`, never the Python
    class, so `type(x) is int` is always False (and `is not` always True), even for
    `type(1)`. Python says True for an int. The branch you meant to take never runs.

    ## Example
    ```python
    @njit
    def half(x):
        if type(x) is int:
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

    code = "NB508"
    name = "type-is-builtin"
    severity = Severity.WARNING
    message = (
        "Under Numba `type(...)` is never the Python class `{cls}`, so this identity test is "
        "always {always}; use `isinstance(x, {cls})`"
    )
    targets = CPU_TARGETS
    numba_versions = since("0.57")

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    return isinstance(x, int)\n",
            call="f(3)",
        ),
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(x):\n"
            "    return type(x) is np.float64\n",
            call="f(np.float64(3.0))",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x, y):\n    return type(x) is type(y)\n",
            call="f(3, 4)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x, int):\n    return type(x) is int\n",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    return type(x) is int\n",
            line=4,
            column=12,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(x):\n    if float is not type(x):\n"
            "        return 1\n    return 0\n",
            line=4,
            call="f(2.5)",
        ),
        Invalid(
            "import numba as nb\n@nb.njit\ndef f(b):\n    return 1 if type(b) is bool else 0\n",
            call="f(True)",
        ),
    )

    def visit_Compare(self, node: ast.Compare) -> None:
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, (ast.Is, ast.IsNot)):
                cls = self._builtin_class(left, right) or self._builtin_class(right, left)
                if cls is not None:
                    always = "False" if isinstance(op, ast.Is) else "True"
                    self.report(node, self.message.format(cls=cls, always=always))
                    return
            left = right

    def _builtin_class(self, call: ast.expr, other: ast.expr) -> str | None:
        if not called_builtin(self.ctx.module, call, "type"):
            return None
        name = self.ctx.semantic.builtin(other)
        return name if name in NEVER_MATCHED else None
