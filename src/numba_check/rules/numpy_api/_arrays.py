"""Which expressions of a compiled function are certainly NumPy arrays, and which certainly not.

A method call is only an ndarray method call when its receiver is an array: `x.copy()` may be a
list, `x.round()` a jitclass method. The NumPy rules therefore ask what the receiver is:

- ARRAY: built by a NumPy array constructor in this function (``x = np.zeros(n)``), derived from
  one (``x.T``, ``x * 2``, ``x.reshape(...)``), or a parameter annotated ``np.ndarray``;
- OTHER: certainly something else (a list display, a literal, the result of a call to a
  non-NumPy function or class, a name bound to such a thing anywhere in the function);
- UNKNOWN: a plain parameter, a global, a subscript, anything not worked out.

The answer is per name, over every binding in scope: one non-array binding makes a name OTHER.
"""

from __future__ import annotations

import ast
import enum
from typing import TYPE_CHECKING

from numba_check.compiled import FUNCTION_DEFS
from numba_check.rules.base import FunctionContext
from numba_check.semantic.bindings import How

if TYPE_CHECKING:
    from numba_check.names import Binding


class Kind(enum.Enum):
    ARRAY = "array"
    OTHER = "other"
    UNKNOWN = "unknown"


# NumPy functions whose result is an ndarray whatever their (accepted) arguments.
ARRAY_FUNCTIONS = frozenset(
    f"numpy.{name}"
    for name in [
        "zeros",
        "ones",
        "empty",
        "full",
        "zeros_like",
        "ones_like",
        "empty_like",
        "full_like",
        "arange",
        "array",
        "asarray",
        "ascontiguousarray",
        "asfortranarray",
        "copy",
        "linspace",
        "logspace",
        "geomspace",
        "eye",
        "identity",
        "concatenate",
        "stack",
        "vstack",
        "hstack",
        "dstack",
        "column_stack",
        "cumsum",
        "cumprod",
        "sort",
        "argsort",
        "unique",
        "diff",
        "ravel",
        "reshape",
        "transpose",
        "flip",
        "fliplr",
        "flipud",
        "tril",
        "triu",
        "diag",
        "outer",
        "expand_dims",
        "atleast_1d",
        "atleast_2d",
        "atleast_3d",
        "repeat",
        "roll",
    ]
)

# ndarray methods and attributes whose result is again an ndarray.
ARRAY_METHODS = frozenset(
    [
        "copy",
        "reshape",
        "ravel",
        "flatten",
        "astype",
        "transpose",
        "view",
        "cumsum",
        "cumprod",
        "repeat",
        "argsort",
    ]
)
ARRAY_ATTRIBUTES = frozenset(["T", "real", "imag"])

_LITERALS = (
    ast.List,
    ast.ListComp,
    ast.Dict,
    ast.DictComp,
    ast.Set,
    ast.SetComp,
    ast.Tuple,
    ast.GeneratorExp,
    ast.JoinedStr,
    ast.Lambda,
)


class ArrayKinds:
    """Answers `kind(expr)` for expressions inside one compiled function."""

    def __init__(self, ctx: FunctionContext) -> None:
        self.ctx = ctx
        self._names = ctx.module.names
        self._bindings = ctx.semantic.bindings
        self._busy: set[str] = set()
        # Only what is bound inside the function looked at counts (a global is unknown).
        function = ctx.function
        self._span = None if function is None else _span(function.node)

    def kind(self, expr: ast.expr) -> Kind:
        if isinstance(expr, ast.Name):
            return self._name_kind(expr)
        if isinstance(expr, ast.Constant):
            # Strings, bytes, numbers, True, False and None (libcst's True/False/None were
            # names of builtins, hence OTHER as well); `...` is not worked out.
            return Kind.UNKNOWN if expr.value is Ellipsis else Kind.OTHER
        if isinstance(expr, _LITERALS):
            return Kind.OTHER
        if isinstance(expr, ast.Call):
            return self._call_kind(expr)
        if isinstance(expr, ast.Attribute):
            if expr.attr in ARRAY_ATTRIBUTES and self.kind(expr.value) is Kind.ARRAY:
                return Kind.ARRAY
            return Kind.UNKNOWN
        if isinstance(expr, ast.BinOp):
            if isinstance(expr.op, ast.MatMult):
                return Kind.UNKNOWN  # 1-D @ 1-D is a scalar
            sides = (self.kind(expr.left), self.kind(expr.right))
            return Kind.ARRAY if Kind.ARRAY in sides else Kind.UNKNOWN
        if isinstance(expr, ast.UnaryOp) and not isinstance(expr.op, ast.Not):
            return Kind.ARRAY if self.kind(expr.operand) is Kind.ARRAY else Kind.UNKNOWN
        return Kind.UNKNOWN

    def _call_kind(self, call: ast.Call) -> Kind:
        names = self.ctx.qualified_names(call.func)
        if names & ARRAY_FUNCTIONS:
            return Kind.ARRAY
        func = call.func
        if isinstance(func, ast.Attribute) and not names:
            if func.attr in ARRAY_METHODS and self.kind(func.value) is Kind.ARRAY:
                return Kind.ARRAY
            return Kind.UNKNOWN
        if any(not n.startswith("numpy") for n in names):
            return Kind.OTHER  # an imported non-NumPy function or class
        if (
            isinstance(func, ast.Name)
            and self.ctx.module.module_bindings.get(func.id)
            and self.ctx.module.refers_to_module_level(func)
        ):
            return Kind.OTHER  # a function or class of this module
        return Kind.UNKNOWN

    def _name_kind(self, name: ast.Name) -> Kind:
        scope = self._names.scope_of(name)
        if scope is None or name.id in self._busy:
            return Kind.UNKNOWN
        bindings = scope[name.id]
        if not bindings:
            return Kind.UNKNOWN
        self._busy.add(name.id)
        try:
            kinds = {self._binding_kind(b) for b in bindings}
        finally:
            self._busy.discard(name.id)
        kinds.discard(None)  # type: ignore[arg-type]
        if Kind.OTHER in kinds:
            return Kind.OTHER
        if kinds == {Kind.ARRAY}:
            return Kind.ARRAY
        return Kind.UNKNOWN

    def _binding_kind(self, binding: Binding) -> Kind | None:
        if binding.is_builtin:
            return Kind.OTHER  # a builtin (`len`, `range`)
        node = binding.node
        if isinstance(node, (ast.Import, ast.ImportFrom, *FUNCTION_DEFS, ast.ClassDef)):
            return Kind.OTHER  # a module (`np`), an imported name, a function or a class
        typed = self._bindings.get(id(node)) if node is not None and self._inside(node) else None
        if isinstance(node, ast.arg):
            annotation = typed.annotation if typed is not None else None
            if annotation is not None and self._is_ndarray_annotation(annotation):
                return Kind.ARRAY
            return Kind.UNKNOWN
        if typed is None or typed.how not in _VALUED:
            return Kind.UNKNOWN  # a global, a loop target, an import, a with target...
        if typed.how is How.AUGMENT:
            return None  # an augmented assignment keeps the kind the name already has
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


# The bindings whose value the kind of a name follows (an augmented assignment keeps it).
_VALUED = frozenset({How.ASSIGN, How.WALRUS, How.AUGMENT})


def _span(node: ast.AST) -> tuple[tuple[int, int], tuple[int, int]]:
    return (
        (node.lineno, node.col_offset),  # type: ignore[attr-defined]
        (node.end_lineno, node.end_col_offset),  # type: ignore[attr-defined]
    )
