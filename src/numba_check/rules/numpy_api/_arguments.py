"""Matching calls against the argument limits of numpy-limits.toml (NB304, NB311)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from numba_check.knowledge import ArgumentLimit, numpy_limits
from numba_check.rules.base import FunctionContext, format_version
from numba_check.rules.numpy_api._numpy import (
    Argument,
    argument_value,
    display,
    find_argument,
    has_star,
    numpy_names,
)
from numba_check.rules.numpy_api._receivers import Receivers

FORMS = {"any": "", "not-none": "", "none": "=None", "tuple": " as a tuple"}


@dataclass(frozen=True)
class LimitedArgument:
    arg: Argument
    limit: ArgumentLimit
    # How the message names the callee: `np.mean`, `ndarray.mean`.
    func: str

    def describe(self) -> dict[str, str]:
        """The message fields: argument, form, func, until, instead."""
        limit = self.limit
        until = f" (accepted from Numba {format_version(limit.until)})" if limit.until else ""
        return {
            "argument": limit.argument,
            "form": FORMS.get(limit.rejected, ""),
            "func": self.func,
            "until": until,
            "instead": limit.instead,
        }


class ArgumentLimits:
    """Finds the arguments of a call that a limit of the target Numba version covers."""

    def __init__(self, ctx: FunctionContext, effects: frozenset[str]) -> None:
        self.ctx = ctx
        self.effects = effects
        self.limits = numpy_limits(ctx.numba_version)
        self.receivers = Receivers(ctx)

    def find(self, node: ast.Call) -> Iterator[LimitedArgument]:
        """At most one hit per call: the first limited argument."""
        if has_star(node):
            return  # which argument lands where is unknown
        names = numpy_names(self.ctx, node.func)
        if names:
            for func in sorted(names):
                for limit in self.limits.for_function(func, self.effects):
                    arg = find_argument(node, limit.argument, limit.functions[func])
                    if arg is not None and _rejected(limit, arg):
                        yield LimitedArgument(arg, limit, display(func))
                        return
            return
        if not isinstance(node.func, ast.Attribute):
            return
        method = node.func.attr
        for limit in self.limits.for_method(method, self.effects):
            arg = find_argument(node, limit.argument, limit.methods[method])
            if arg is None or not _rejected(limit, arg):
                continue
            receiver = node.func.value
            # A keyword such as `axis=` on a method of an unknown receiver is an array method
            # call unless the module defines such a method for a type of its own.
            if self.receivers.is_array(receiver) or (
                isinstance(arg, ast.keyword) and self.receivers.may_judge_by_name(receiver, method)
            ):
                yield LimitedArgument(arg, limit, f"ndarray.{method}")
                return


def _rejected(limit: ArgumentLimit, arg: Argument) -> bool:
    value = argument_value(arg)
    is_none = isinstance(value, ast.Constant) and value.value is None
    if limit.rejected == "any":
        return True
    if limit.rejected == "not-none":
        return not is_none
    if limit.rejected == "none":
        return is_none
    if limit.rejected == "tuple":
        return isinstance(value, ast.Tuple)
    return False
