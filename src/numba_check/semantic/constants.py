"""Integer constants as CPython folds them, and the values Numba computes from them.

CPython's AST optimiser folds integer arithmetic only while the result stays small
(Python/ast_opt.c, MAX_INT_SIZE = 128 bits): `10**20` and `1 << 70` become one constant that
Numba must type (and refuses: "Int value is too large"), `2**70` is computed at run time, by
Numba in int64 (and wraps to 0).
"""

from __future__ import annotations

import ast
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from numba_check.semantic.model import Semantic

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

# CPython's limit on the size of a folded integer, in bits.
MAX_INT_SIZE = 128
# Beyond this many bits we do not compute the exact value (and stay silent).
MAX_BITS = 4096


@dataclass(frozen=True)
class IntConst:
    value: int
    # CPython folds the whole expression into one constant.
    folded: bool
    # Some constant CPython folds inside it lies outside int64 (uint64 or too large for Numba).
    wide: bool


def fits_int64(value: int) -> bool:
    return INT64_MIN <= value <= INT64_MAX


def _bits(value: int) -> int:
    return abs(value).bit_length()


def _cpython_folds(op: ast.operator, left: int, right: int) -> bool:
    """Whether CPython 3.8-3.13 folds `left op right` (safe_multiply/power/lshift limits)."""
    if isinstance(op, ast.Mult):
        return not (left and right) or _bits(left) + _bits(right) <= MAX_INT_SIZE
    if isinstance(op, ast.Pow):
        if left and right > 0:
            return _bits(left) <= MAX_INT_SIZE // right
        return right >= 0
    if isinstance(op, ast.LShift):
        if right < 0:
            return False
        if left and right:
            return right <= MAX_INT_SIZE and _bits(left) <= MAX_INT_SIZE - right
        return True
    return True


def _apply(op: ast.operator, left: int, right: int) -> int | None:
    """The exact Python int result, or None when it is not an int or too big to compute."""
    if isinstance(op, ast.Add):
        return left + right
    if isinstance(op, ast.Sub):
        return left - right
    if isinstance(op, ast.Mult):
        return left * right
    if isinstance(op, ast.Pow):
        if right < 0 or _bits(left) * right > MAX_BITS:
            return None
        return left**right
    if isinstance(op, ast.LShift):
        if right < 0 or _bits(left) + right > MAX_BITS:
            return None
        return left << right
    if isinstance(op, ast.RShift):
        return None if right < 0 else left >> right
    if isinstance(op, ast.FloorDiv):
        return None if right == 0 else left // right
    if isinstance(op, ast.Mod):
        return None if right == 0 else left % right
    if isinstance(op, ast.BitAnd):
        return left & right
    if isinstance(op, ast.BitOr):
        return left | right
    if isinstance(op, ast.BitXor):
        return left ^ right
    return None


# Operations Numba performs on int64 at run time with wrap-around, like C.
WRAPPING = (ast.Add, ast.Sub, ast.Mult, ast.Pow, ast.LShift)


class IntConstants:
    """The integer constants of one module, each worked out once: rules ask about every link
    of a sum, and each answer builds on the one below."""

    def __init__(self, sem: Semantic) -> None:
        # Weakly: the model holds this, and a cycle would keep the module's tree alive until
        # the cyclic collector ran (tests/robustness/test_memory.py).
        self._sem_ref = weakref.ref(sem)
        self._found: dict[int, IntConst | None] = {}

    def __call__(self, node: ast.expr) -> IntConst | None:
        """The value of an integer expression made of literals, and what CPython folds of it."""
        key = id(node)
        if key in self._found:
            return self._found[key]
        found = self._found[key] = self._int_constant(node)
        return found

    def _int_constant(self, node: ast.expr) -> IntConst | None:
        if isinstance(node, ast.Constant) and type(node.value) is int:
            assert isinstance(node, ast.Constant)
            value = node.value
            return IntConst(value, True, not fits_int64(value))
        if isinstance(node, ast.UnaryOp):
            inner = self(node.operand)
            if inner is None:
                return None
            if isinstance(node.op, ast.USub):
                value = -inner.value
            elif isinstance(node.op, ast.UAdd):
                value = inner.value
            elif isinstance(node.op, ast.Invert) and inner.folded:
                value = ~inner.value
            else:
                return None
            if inner.folded:
                return IntConst(value, True, not fits_int64(value))
            return IntConst(value, False, inner.wide)
        if isinstance(node, ast.BinOp):
            left = self(node.left)
            right = self(node.right) if left is not None else None
            if left is None or right is None:
                return None
            value = _apply(node.op, left.value, right.value)
            if value is None:
                return None
            if left.folded and right.folded and _cpython_folds(node.op, left.value, right.value):
                return IntConst(value, True, not fits_int64(value))
            if not isinstance(node.op, WRAPPING):
                return None
            return IntConst(value, False, left.wide or right.wide)
        if self._abs_call(node):
            assert isinstance(node, ast.Call)
            inner = self(node.args[0])
            if inner is None:
                return None
            return IntConst(abs(inner.value), False, inner.wide)
        return None

    def _abs_call(self, node: ast.expr) -> bool:
        return (
            isinstance(node, ast.Call)
            and self._sem_ref().builtin(node.func)  # type: ignore[union-attr] == "abs"
            and len(node.args) == 1
            and not node.keywords
            and not isinstance(node.args[0], ast.Starred)
        )
