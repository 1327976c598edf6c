"""Which expressions of a compiled function are certainly NumPy arrays, and which certainly not.

A method call is only an ndarray method call when its receiver is an array: `x.copy()` may be a
list, `x.round()` a jitclass method. The NumPy rules therefore ask what the receiver is, as a
type of the layer's lattice (`semantic.types`):

- an `Array`: built by a NumPy function that always gives one, in this function
  (``x = np.zeros(n)``), derived from one (``x.T``, ``x * 2``, ``x.reshape(...)``), or a
  parameter annotated ``np.ndarray``;
- another type: certainly something else (a list display, a literal, a function, a module, the
  result of a call to a non-NumPy function or class, `Opaque`), or a name bound to such a thing
  anywhere in the function;
- `UNKNOWN`: a plain parameter, a global, a subscript, anything not worked out.

Which functions, methods and attributes give arrays is the layer's knowledge
(`semantic.infer.ARRAY_FUNCTIONS`, `ARRAY_METHODS`, `ARRAY_ATTRIBUTES`), which
`semantic.type_of` gives every rule. What stays here is how a receiver's name is read, which
is not how `type_of` reads names: over every binding in its scope rather than along the flow
(one non-array binding anywhere makes the name certainly no array), only the bindings inside
the function looked at, and a parameter through its annotation.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from numba_check.compiled import FUNCTION_DEFS
from numba_check.rules.base import FunctionContext
from numba_check.semantic import types as t
from numba_check.semantic.bindings import How
from numba_check.semantic.infer import (
    ARRAY_ATTRIBUTES,
    ARRAY_FUNCTIONS,
    ARRAY_METHODS,
    SOME_ARRAY,
    constant_type,
)

if TYPE_CHECKING:
    from numba_check.names import Binding

# What a display or a lambda certainly is, whatever is in it.
_DISPLAYS: dict[type, t.Type] = {
    ast.List: t.ListOf(t.UNKNOWN),
    ast.ListComp: t.ListOf(t.UNKNOWN),
    ast.Dict: t.DictOf(t.UNKNOWN, t.UNKNOWN),
    ast.DictComp: t.DictOf(t.UNKNOWN, t.UNKNOWN),
    ast.Set: t.SetOf(t.UNKNOWN),
    ast.SetComp: t.SetOf(t.UNKNOWN),
    ast.GeneratorExp: t.Opaque("a generator expression"),
    ast.JoinedStr: t.Str(),
    ast.Lambda: t.Callable("<lambda>", "function"),
}


def certainly_not_array(found: t.Type) -> bool:
    """Whether a receiver's type says it is certainly no ndarray: known to be something else."""
    return not isinstance(found, (t.Array, t.Unknown))


class ArrayKinds:
    """Answers `kind(expr)`, a type of the lattice, for expressions inside one compiled
    function."""

    def __init__(self, ctx: FunctionContext) -> None:
        self.ctx = ctx
        self._names = ctx.module.names
        self._bindings = ctx.semantic.bindings
        self._busy: set[str] = set()
        # Only what is bound inside the function looked at counts (a global is unknown).
        function = ctx.function
        self._span = None if function is None else _span(function.node)

    def kind(self, expr: ast.expr) -> t.Type:
        if isinstance(expr, ast.Name):
            return self._name_kind(expr)
        if isinstance(expr, ast.Constant):
            # Strings, bytes, numbers, True, False and None (libcst's True/False/None were
            # names of builtins, hence no array either); `...` is not worked out.
            if expr.value is Ellipsis:
                return t.UNKNOWN
            found = constant_type(expr.value)
            return t.Opaque("an int literal beyond int64") if found is t.UNKNOWN else found
        if isinstance(expr, ast.Tuple):
            return t.Tuple((t.UNKNOWN,) * len(expr.elts))
        display = _DISPLAYS.get(type(expr))
        if display is not None:
            return display
        if isinstance(expr, ast.Call):
            return self._call_kind(expr)
        if isinstance(expr, ast.Attribute):
            if expr.attr in ARRAY_ATTRIBUTES and isinstance(self.kind(expr.value), t.Array):
                return SOME_ARRAY
            return t.UNKNOWN
        if isinstance(expr, ast.BinOp):
            if isinstance(expr.op, ast.MatMult):
                return t.UNKNOWN  # 1-D @ 1-D is a scalar
            sides = (self.kind(expr.left), self.kind(expr.right))
            return SOME_ARRAY if any(isinstance(s, t.Array) for s in sides) else t.UNKNOWN
        if isinstance(expr, ast.UnaryOp) and not isinstance(expr.op, ast.Not):
            return SOME_ARRAY if isinstance(self.kind(expr.operand), t.Array) else t.UNKNOWN
        return t.UNKNOWN

    def _call_kind(self, call: ast.Call) -> t.Type:
        names = self.ctx.qualified_names(call.func)
        if names & ARRAY_FUNCTIONS:
            return SOME_ARRAY
        func = call.func
        if isinstance(func, ast.Attribute) and not names:
            if func.attr in ARRAY_METHODS and isinstance(self.kind(func.value), t.Array):
                return SOME_ARRAY
            return t.UNKNOWN
        other = min((n for n in names if not n.startswith("numpy")), default=None)
        if other is not None:
            return t.Opaque(f"calling {other}")  # an imported non-NumPy function or class
        if (
            isinstance(func, ast.Name)
            and self.ctx.module.module_bindings.get(func.id)
            and self.ctx.module.refers_to_module_level(func)
        ):
            return t.Opaque(f"calling {func.id}")  # a function or class of this module
        return t.UNKNOWN

    def _name_kind(self, name: ast.Name) -> t.Type:
        scope = self._names.scope_of(name)
        if scope is None or name.id in self._busy:
            return t.UNKNOWN
        bindings = scope[name.id]
        if not bindings:
            return t.UNKNOWN
        self._busy.add(name.id)
        try:
            kinds = [self._binding_kind(b) for b in bindings]
        finally:
            self._busy.discard(name.id)
        found = [k for k in kinds if k is not None]
        other = next((k for k in found if certainly_not_array(k)), None)
        if other is not None:
            return other
        if found and all(isinstance(k, t.Array) for k in found):
            return SOME_ARRAY
        return t.UNKNOWN

    def _binding_kind(self, binding: Binding) -> t.Type | None:
        if binding.is_builtin:
            return t.Callable(f"builtins.{binding.name}", "builtin")  # `len`, `range`
        node = binding.node
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            return t.Opaque(f"importing {binding.name}")  # a module (`np`) or imported name
        if isinstance(node, FUNCTION_DEFS):
            return t.Callable(binding.name, "function")
        if isinstance(node, ast.ClassDef):
            return t.Callable(binding.name, "class")
        typed = self._bindings.get(id(node)) if node is not None and self._inside(node) else None
        if isinstance(node, ast.arg):
            annotation = typed.annotation if typed is not None else None
            if annotation is not None and self._is_ndarray_annotation(annotation):
                return SOME_ARRAY
            return t.UNKNOWN
        if typed is None or typed.how not in _VALUED:
            return t.UNKNOWN  # a global, a loop target, an import, a with target...
        if typed.how is How.AUGMENT:
            return None  # an augmented assignment keeps the type the name already has
        assert typed.value is not None
        return self.kind(typed.value)

    def _inside(self, node: ast.AST) -> bool:
        span = self._span
        if span is None:
            return True
        start = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
        return span[0] <= start and (node.end_lineno, node.end_col_offset) <= span[1]  # type: ignore[attr-defined]

    def _is_ndarray_annotation(self, annotation: ast.expr) -> bool:
        target = annotation.value if isinstance(annotation, ast.Subscript) else annotation
        names = self.ctx.qualified_names(target)
        return bool(names & {"numpy.ndarray", "numpy.typing.NDArray"})


# The bindings whose value the type of a name follows (an augmented assignment keeps it).
_VALUED = frozenset({How.ASSIGN, How.WALRUS, How.AUGMENT})


def _span(node: ast.AST) -> tuple[tuple[int, int], tuple[int, int]]:
    return (
        (node.lineno, node.col_offset),  # type: ignore[attr-defined]
        (node.end_lineno, node.end_col_offset),  # type: ignore[attr-defined]
    )
