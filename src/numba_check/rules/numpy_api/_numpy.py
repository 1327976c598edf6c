"""Helpers the NumPy rules share: naming NumPy things, finding call arguments, reading data."""

from __future__ import annotations

import libcst as cst

from numba_check.knowledge import NumpySupport, numpy_support
from numba_check.rules.base import FunctionContext, format_version


def numpy_names(ctx: FunctionContext, node: cst.CSTNode) -> set[str]:
    """The `numpy.*` qualified names `node` may refer to (``np.tile`` -> numpy.tile)."""
    return {n for n in ctx.qualified_names(node) if n.startswith("numpy.")}


def display(qualified: str) -> str:
    """`numpy.linalg.norm` -> `np.linalg.norm`, as users write it."""
    return "np." + qualified[len("numpy.") :] if qualified.startswith("numpy.") else qualified


def support(ctx: FunctionContext) -> NumpySupport:
    return numpy_support(ctx.numba_version)


def version_text(ctx: FunctionContext) -> str:
    return format_version(ctx.numba_version)


def positional(node: cst.Call) -> list[cst.Arg]:
    """The positional arguments before any keyword or `*args` (whose length is unknown)."""
    out = []
    for arg in node.args:
        if arg.keyword is not None or arg.star:
            break
        out.append(arg)
    return out


def find_argument(node: cst.Call, keyword: str, position: int | None) -> cst.Arg | None:
    """The argument given for the parameter `keyword` at `position` (0-based), if any.

    A position of None means keyword-only. Positions after a `*args` are unknown.
    """
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg
    if position is None:
        return None
    args = positional(node)
    return args[position] if 0 <= position < len(args) else None


def numpy_alias(module: cst.Module) -> str | None:
    """The name a module-level ``import numpy [as np]`` binds, for fixes that spell NumPy."""
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if not isinstance(small, cst.Import):
                continue
            for alias in small.names:
                if isinstance(alias.name, cst.Name) and alias.name.value == "numpy":
                    if alias.asname is None:
                        return "numpy"
                    if isinstance(alias.asname.name, cst.Name):
                        return alias.asname.name.value
    return None
