"""Helpers the NumPy rules share: naming NumPy things, finding call arguments, reading data."""

from __future__ import annotations

from collections.abc import Sequence

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
    """The positional arguments, or all of them up to a `*args` (whose length is unknown)."""
    out = []
    for arg in node.args:
        if arg.keyword is not None or arg.star == "**":
            break
        if arg.star == "*":
            break
        out.append(arg)
    return out


def has_star(node: cst.Call) -> bool:
    return any(arg.star for arg in node.args)


def find_argument(
    node: cst.Call, keyword: str, position: int | None, offset: int = 0
) -> cst.Arg | None:
    """The argument given for NumPy's parameter `keyword` at `position` (0-based), if any.

    `offset` shifts positions for method calls, whose receiver is NumPy's first argument.
    """
    for arg in node.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg
    if position is None:
        return None
    args = positional(node)
    index = position - offset
    if 0 <= index < len(args) and not any(a.star for a in node.args[: index + 1]):
        return args[index]
    return None


def literal_tuple_or_list(node: cst.BaseExpression) -> bool:
    return isinstance(node, (cst.Tuple, cst.List))


def first(names: Sequence[str] | set[str]) -> str:
    return min(names)


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
