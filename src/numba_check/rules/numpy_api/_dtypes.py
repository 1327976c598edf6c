"""The dtype argument of a NumPy call (NB307, NB308, NB314), and the builtin types given as one."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from numba_check.knowledge import BuiltinDtype, numpy_limits
from numba_check.rules.base import FunctionContext, Rule, Transform
from numba_check.rules.numpy_api._numpy import (
    argument_value,
    display,
    find_argument,
    has_star,
    numpy_alias,
    numpy_names,
    version_text,
)
from numba_check.rules.numpy_api._receivers import Receivers

BUILTINS = frozenset({"int", "float", "bool", "complex"})


@dataclass(frozen=True)
class BuiltinDtypeUse:
    node: ast.Name
    builtin: str
    func: str
    # "refused" or "ignored"
    verdict: str
    numpy_type: str
    transform: Transform | None


class BuiltinDtypes:
    """Yields the builtin dtypes of a call that the target Numba refuses or ignores."""

    def __init__(self, ctx: FunctionContext) -> None:
        self.ctx = ctx
        self.limits = numpy_limits(ctx.numba_version)
        self.receivers = Receivers(ctx)
        self._alias: str | None | bool = False

    def dtype_argument(self, node: ast.Call) -> tuple[str, BuiltinDtype, ast.expr] | None:
        """The dtype a call gives a NumPy function or an ndarray method that takes one: the
        callee as users write it, what the tables say of its dtype, and the value given."""
        if has_star(node):
            return None
        names = numpy_names(self.ctx, node.func) & set(self.limits.builtin_dtype)
        if names:
            func = min(names)
            entry = self.limits.builtin_dtype[func]
            label = display(func)
        elif isinstance(node.func, ast.Attribute):
            method = node.func.attr
            found = self.limits.builtin_dtype_methods.get(method)
            if found is None or not self._array_method(node.func.value, method):
                return None
            entry = found
            label = f"ndarray.{method}"
        else:
            return None
        arg = find_argument(node, "dtype", entry.position)
        return None if arg is None else (label, entry, argument_value(arg))

    def uses(self, node: ast.Call) -> Iterator[BuiltinDtypeUse]:
        found = self.dtype_argument(node)
        if found is None:
            return
        label, entry, value = found
        if not isinstance(value, ast.Name):
            return
        builtin = value.id
        verdict = entry.builtins.get(builtin)
        if builtin not in BUILTINS or verdict is None or not self._is_builtin(value):
            return
        numpy_type = self.limits.builtin_dtype_replacements[builtin]
        yield BuiltinDtypeUse(
            value, builtin, label, verdict, numpy_type, self._replacement(value, numpy_type)
        )

    def _array_method(self, receiver: ast.expr, method: str) -> bool:
        if self.receivers.is_array(receiver):
            return True
        # Scalars have `view`; only `astype` is an array method whatever the receiver.
        return method == "astype" and self.receivers.may_judge_by_name(receiver, method)

    def _is_builtin(self, name: ast.Name) -> bool:
        return self.ctx.semantic.builtin(name) == name.id

    def _replacement(self, node: ast.Name, numpy_type: str) -> Transform | None:
        if self._alias is False:
            self._alias = numpy_alias(self.ctx.module.module)
        if not isinstance(self._alias, str):
            return None
        attr = numpy_type.split(".", 1)[1]
        written = f"{self._alias}.{attr}"
        return Transform(node, "rename", (written,), writes=((written, f"numpy.{attr}"),))


class BuiltinDtypeRule(Rule):
    """Reports the builtin-type dtypes whose verdict (``BuiltinUse.verdict``) is ``VERDICT``."""

    VERDICT: ClassVar[str]

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._dtypes = BuiltinDtypes(ctx)

    def visit_Call(self, node: ast.Call) -> None:
        for use in self._dtypes.uses(node):
            if use.verdict != self.VERDICT:
                continue
            self.report(
                use.node,
                self.message.format(
                    version=version_text(self.ctx),
                    builtin=use.builtin,
                    func=use.func,
                    numpy_type=use.numpy_type,
                ),
                transform=use.transform,
            )
