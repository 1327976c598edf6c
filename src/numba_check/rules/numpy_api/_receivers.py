"""When a method call may be judged as an ndarray method call."""

from __future__ import annotations

import ast

from numba_check.rules.base import FunctionContext
from numba_check.semantic import types as t


class Receivers:
    """Decides whether ``receiver.method(...)`` is certainly an ndarray method call, from the
    type the layer gives the receiver (`semantic.type_of`)."""

    def __init__(self, ctx: FunctionContext) -> None:
        self.ctx = ctx

    def is_array(self, receiver: ast.expr) -> bool:
        return isinstance(self.ctx.semantic.type_of(receiver), t.Array)

    def may_judge_by_name(self, receiver: ast.expr, method: str) -> bool:
        """Whether a call of `method` on `receiver` of unknown type is an array method call.

        Only for a plain name (a parameter, a global) that no binding reaching the call makes
        anything else, and a method name this module does not define for its own types.
        """
        if not isinstance(receiver, ast.Name):
            return False
        if self.ctx.semantic.type_of(receiver) is not t.UNKNOWN:
            return False
        return method not in self.ctx.semantic.method_names
