from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Valid
from numba_check.rules.semantics._infer import (
    INT64_MIN,
    UINT64_MAX,
    TypedRule,
    descendants,
    is_int_literal,
)


class IntConstantTooLarge(TypedRule):
    """## What it does
    Flags an integer constant in compiled code beyond what 64 bits hold: a literal such as
    `100000000000000000000`, or an expression CPython folds into one (`10**20`, `1 << 70`,
    `-2**64`, `10**10 * 10**10`).

    ## Why is this bad?
    Numba types every integer constant as a 64-bit integer (int64, or uint64 up to
    `2**64 - 1`) and stops with "Int value is too large" when it does not fit. Python's ints
    have no limit. (A power CPython does not fold, such as `2**70`, compiles instead and
    wraps around: see `int64-overflow`.)

    ## Example
    ```python
    @njit
    def scaled(x):
        return x * 10**20
    ```

    ## Use instead
    Use a float when the magnitude matters more than exactness:
    ```python
    @njit
    def scaled(x):
        return x * 1e20
    ```
    """

    code = "NB440"
    name = "int-constant-too-large"
    severity = Severity.ERROR
    message = (
        "Numba types integer constants as 64-bit and refuses {value} ('Int value is too "
        "large'); use a float (`1e20`) or keep the value in Python"
    )
    targets = CPU_TARGETS

    VALID = (
        Valid("import numba\n@numba.njit\ndef f(x):\n    return x * 1e20\n", call="f(3)"),
        Valid("import numba\n@numba.njit\ndef f():\n    return 2**64 - 1\n", call="f()"),
        Valid("import numba\n@numba.njit\ndef f():\n    return -2**63\n", call="f()"),
        Valid("import numba\n@numba.njit\ndef f(x):\n    return x + 10**18\n", call="f(1)"),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    return x * 10**20\n",
            line=4,
            column=16,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f():\n    return 100000000000000000000\n",
            call="f()",
        ),
        Invalid("import numba\n@numba.njit\ndef f():\n    return 1 << 70\n", call="f()"),
        Invalid("import numba\n@numba.njit\ndef f():\n    return -2**64\n", call="f()"),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._inside: set[int] = set()

    def _check(self, node: ast.expr) -> None:
        if id(node) in self._inside:
            return
        const = self.ctx.semantic.int_constant(node)
        if const is None or not const.folded:
            return
        # Only the outermost folded expression is one constant for Numba.
        self._inside.update(id(n) for n in descendants(node))
        if not INT64_MIN <= const.value <= UINT64_MAX:
            self.report(node, self.message.format(value=_short(const.value)))

    def visit_Constant(self, node: ast.Constant) -> None:
        if is_int_literal(node):
            self._check(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        self._check(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        self._check(node)


def _short(value: int) -> str:
    text = str(value)
    return text if len(text) <= 24 else f"{text[:10]}...({len(text)} digits)"
