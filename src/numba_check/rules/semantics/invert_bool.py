from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.semantics._infer import TypedRule, literal_of


class InvertBool(TypedRule):
    """## What it does
    Flags `~` applied to a value that is certainly a scalar bool: `not ...`, `bool(...)`,
    `isinstance(...)`, a comparison of numbers, or a local bound only to those.

    ## Why is this bad?
    Numba follows NumPy: `~` on a bool is logical negation, so `~True` is `False`. Python
    treats a bool as the int 1 and gives `-2` (and `~False` is `-1`, which is truthy). The
    two disagree on every value. `~` on boolean arrays is fine in both.

    ## Example
    ```python
    @njit
    def count_long(words):
        n = 0
        for w in words:
            short = len(w) < 5
            if ~short:  # Python: -2 or -1, always true
                n += 1
        return n
    ```

    ## Use instead
    ```python
            if not short:
    ```
    """

    code = "NB511"
    name = "invert-bool"
    severity = Severity.WARNING
    message = (
        "`~` on a bool is logical negation under Numba (`~True` is False) but bitwise on "
        "Python's int (`~True` is -2); use `not`"
    )
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(a):\n    return ~(a > 1)\n",
            call="f(np.arange(4))",
        ),
        Valid("import numba\n@numba.njit\ndef f(x):\n    return ~x\n", call="f(5)"),
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    b = x > 1\n    return not b\n",
            call="f(3)",
        ),
        # CPython folds the literal `~True` to -2 before Numba sees it.
        Valid("import numba\n@numba.njit\ndef f():\n    return ~True\n", call="f()"),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(word):\n    short = len(word) < 5\n"
            "    return ~short\n",
            line=5,
            column=12,
            call="f('abc')",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(x):\n    return ~isinstance(x, int)\n",
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(a):\n    return ~(len(a) > 2)\n",
            call="f((1, 2, 3))",
        ),
    )

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if not isinstance(node.op, ast.Invert):
            return
        operand = node.operand
        if literal_of(operand, bool):
            return
        if self.types.is_bool(operand):
            self.report(node)
