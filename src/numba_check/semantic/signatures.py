"""Explicit signatures written as strings (``@njit("float64(int64, float64[:])")``), as types."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from numba_check.semantic import types as t

# Numba's short spellings of scalar types (numba/core/types/__init__.py).
_ALIASES = {
    "b1": "boolean", "bool_": "boolean", "boolean": "boolean",
    "i1": "int8", "i2": "int16", "i4": "int32", "i8": "int64", "intp": "int64", "int_": "int64",
    "u1": "uint8", "u2": "uint16", "u4": "uint32", "u8": "uint64", "uintp": "uint64",
    "f4": "float32", "f8": "float64", "float_": "float32", "double": "float64",
    "c8": "complex64", "c16": "complex128",
}  # fmt: skip
_SCALARS = {
    "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float32", "float64", "complex64", "complex128",
}  # fmt: skip


@dataclass(frozen=True)
class Signature:
    """One signature: `params` its argument types, `ret` its return type (None: not given)."""

    node: ast.expr
    params: tuple[t.Type, ...]
    ret: t.Type | None


def parse(node: ast.expr) -> Signature | None:
    """The signature a string literal spells, or None when it is not one this reads."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return None
    try:
        expr = ast.parse(node.value.strip(), mode="eval").body
    except SyntaxError:
        return None
    if isinstance(expr, ast.Call) and not expr.keywords:
        if any(isinstance(a, ast.Starred) for a in expr.args):
            return None
        return Signature(node, tuple(_type(a) for a in expr.args), _type(expr.func))
    if isinstance(expr, ast.Tuple):
        return Signature(node, tuple(_type(a) for a in expr.elts), None)
    return None


def _type(expr: ast.expr) -> t.Type:
    if isinstance(expr, ast.Name):
        name = _ALIASES.get(expr.id, expr.id)
        if name in _SCALARS or name == "boolean":
            return t.Scalar(name)
        if name in ("void", "none"):
            return t.NONE
        if name == "unicode_type":
            return t.Str()
        return t.UNKNOWN
    if isinstance(expr, ast.Subscript):
        dtype = _type(expr.value)
        parts = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
        if isinstance(dtype, t.Scalar) and all(isinstance(p, ast.Slice) for p in parts):
            return t.Array(dtype, len(parts))
    return t.UNKNOWN
