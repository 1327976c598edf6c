"""Helpers the NumPy rules share: naming NumPy things, finding call arguments, reading data."""

from __future__ import annotations

import ast

from numba_check.knowledge import NumpySupport, numpy_support
from numba_check.rules.base import FunctionContext, format_version

# A call's argument as a rule reports it: a positional argument is its expression, a keyword
# argument the ``ast.keyword`` (which starts at the keyword's name, as libcst's Arg did).
Argument = ast.expr | ast.keyword


def numpy_names(ctx: FunctionContext, node: ast.AST) -> set[str]:
    """The `numpy.*` qualified names `node` may refer to (``np.tile`` -> numpy.tile)."""
    return {n for n in ctx.qualified_names(node) if n.startswith("numpy.")}


def display(qualified: str) -> str:
    """`numpy.linalg.norm` -> `np.linalg.norm`, as users write it."""
    return "np." + qualified[len("numpy.") :] if qualified.startswith("numpy.") else qualified


def support(ctx: FunctionContext) -> NumpySupport:
    return numpy_support(ctx.numba_version)


def version_text(ctx: FunctionContext) -> str:
    return format_version(ctx.numba_version)


def has_star(node: ast.Call) -> bool:
    """Whether the call unpacks `*args` or `**kwargs` (which argument lands where is unknown)."""
    return any(isinstance(a, ast.Starred) for a in node.args) or any(
        k.arg is None for k in node.keywords
    )


def positional(node: ast.Call) -> list[ast.expr]:
    """The positional arguments before any `*args` (whose length is unknown)."""
    out = []
    for arg in node.args:
        if isinstance(arg, ast.Starred):
            break
        out.append(arg)
    return out


def argument_value(arg: Argument) -> ast.expr:
    """The expression given for an argument."""
    return arg.value if isinstance(arg, ast.keyword) else arg


def find_argument(node: ast.Call, keyword: str, position: int | None) -> Argument | None:
    """The argument given for the parameter `keyword` at `position` (0-based), if any.

    A position of None means keyword-only. Positions after a `*args` are unknown.
    """
    for kw in node.keywords:
        if kw.arg == keyword:
            return kw
    if position is None:
        return None
    args = positional(node)
    return args[position] if 0 <= position < len(args) else None


def numpy_alias(module: ast.Module) -> str | None:
    """The name a module-level ``import numpy [as np]`` binds, for fixes that spell NumPy."""
    for stmt in module.body:
        if not isinstance(stmt, ast.Import):
            continue
        for alias in stmt.names:
            if alias.name == "numpy":
                return alias.asname or "numpy"
    return None
