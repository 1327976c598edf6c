"""When a method call may be judged as an ndarray method call."""

from __future__ import annotations

import ast
import weakref

from numba_check import matching as m
from numba_check.compiled import FUNCTION_DEFS
from numba_check.module_context import ModuleContext
from numba_check.rules.base import FunctionContext
from numba_check.rules.numpy_api._arrays import ArrayKinds, Kind

_OVERLOADERS = frozenset(
    f"{prefix}.{name}"
    for prefix in ("numba.extending", "numba.core.extending")
    for name in ("overload_method", "overload_attribute", "make_attribute_wrapper")
)

_MODULE_METHODS: weakref.WeakKeyDictionary[ModuleContext, frozenset[str]] = (
    weakref.WeakKeyDictionary()
)


def module_method_names(module: ModuleContext) -> frozenset[str]:
    """Method and attribute names the module defines for its own types.

    Methods of every class (jitclasses, StructRef proxies), and the names given to
    ``overload_method`` / ``overload_attribute`` / ``make_attribute_wrapper``: a call of such a
    name may be on one of these types rather than on an array.
    """
    cached = _MODULE_METHODS.get(module)
    if cached is not None:
        return cached
    names: set[str] = set()
    for cls in m.findall(module.module, m.ClassDef()):
        assert isinstance(cls, ast.ClassDef)
        for item in cls.body:
            if isinstance(item, FUNCTION_DEFS):
                names.add(item.name)
    for call in m.findall(module.module, m.Call()):
        assert isinstance(call, ast.Call)
        if module.qualified_names(call.func) & _OVERLOADERS:
            values = [a.value if isinstance(a, ast.Starred) else a for a in call.args]
            values += [k.value for k in call.keywords]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    names.add(value.value)
    frozen = frozenset(names)
    _MODULE_METHODS[module] = frozen
    return frozen


class Receivers:
    """Decides whether ``receiver.method(...)`` is certainly an ndarray method call."""

    def __init__(self, ctx: FunctionContext) -> None:
        self.ctx = ctx
        self._kinds: ArrayKinds | None = None

    @property
    def kinds(self) -> ArrayKinds:
        if self._kinds is None:
            self._kinds = ArrayKinds(self.ctx)
        return self._kinds

    def is_array(self, receiver: ast.expr) -> bool:
        return self.kinds.kind(receiver) is Kind.ARRAY

    def may_judge_by_name(self, receiver: ast.expr, method: str) -> bool:
        """Whether a call of `method` on `receiver` of unknown type is an array method call.

        Only for a plain name (a parameter, a global) that is not bound to anything else in
        the function, and a method name this module does not define for its own types.
        """
        if not isinstance(receiver, ast.Name):
            return False
        if self.kinds.kind(receiver) is not Kind.UNKNOWN:
            return False
        return method not in module_method_names(self.ctx.module)
