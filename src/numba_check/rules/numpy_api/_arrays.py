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

from numba_check import matching as m
from numba_check.compiled import FUNCTION_DEFS
from numba_check.rules.base import FunctionContext

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
        self._values: dict[int, ast.expr | None] = {}
        self._annotations: dict[int, ast.expr | None] = {}
        self._busy: set[str] = set()
        root = ctx.function.node if ctx.function is not None else ctx.module.module
        _record_bindings(root, self._values, self._annotations)

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
        if isinstance(node, ast.arg):
            annotation = self._annotations.get(id(node))
            if annotation is not None and self._is_ndarray_annotation(annotation):
                return Kind.ARRAY
            return Kind.UNKNOWN
        if id(node) not in self._values:
            return Kind.UNKNOWN  # a global, a loop target, an import, a with target...
        value = self._values[id(node)]
        if value is None:
            return None  # an augmented assignment keeps the kind the name already has
        return self.kind(value)

    def _is_ndarray_annotation(self, annotation: ast.expr) -> bool:
        target = annotation.value if isinstance(annotation, ast.Subscript) else annotation
        names = self.ctx.qualified_names(target)
        return bool(names & {"numpy.ndarray", "numpy.typing.NDArray"})


def _record_bindings(
    root: ast.AST,
    values: dict[int, ast.expr | None],
    annotations: dict[int, ast.expr | None],
) -> None:
    """Records, for each name node a simple assignment binds, the value bound to it, and the
    annotation of each parameter under `root`."""
    for node in m.walk(root):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    values[id(target)] = node.value
        elif isinstance(node, ast.AnnAssign):
            if isinstance(node.target, ast.Name) and node.value is not None:
                values[id(node.target)] = node.value
        elif isinstance(node, ast.AugAssign):
            if isinstance(node.target, ast.Name):
                values[id(node.target)] = None
        elif isinstance(node, ast.NamedExpr):
            if isinstance(node.target, ast.Name):
                values[id(node.target)] = node.value
        elif isinstance(node, ast.arg):
            annotations[id(node)] = node.annotation
