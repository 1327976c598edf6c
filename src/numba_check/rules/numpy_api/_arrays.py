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

import enum

import libcst as cst
from libcst.metadata import Assignment, ScopeProvider

from numba_check import matching as m
from numba_check.rules.base import FunctionContext


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
    cst.List,
    cst.ListComp,
    cst.Dict,
    cst.DictComp,
    cst.Set,
    cst.SetComp,
    cst.Tuple,
    cst.GeneratorExp,
    cst.SimpleString,
    cst.ConcatenatedString,
    cst.FormattedString,
    cst.Integer,
    cst.Float,
    cst.Imaginary,
    cst.Lambda,
)


class ArrayKinds:
    """Answers `kind(expr)` for expressions inside one compiled function."""

    def __init__(self, ctx: FunctionContext) -> None:
        self.ctx = ctx
        self._scopes = ctx.module.wrapper.resolve(ScopeProvider)
        self._values: dict[int, cst.BaseExpression | None] = {}
        self._annotations: dict[int, cst.Annotation | None] = {}
        self._busy: set[str] = set()
        root = ctx.function.node if ctx.function is not None else ctx.module.module
        m.visit(root, _Bindings(self._values, self._annotations))

    def kind(self, expr: cst.BaseExpression) -> Kind:
        if isinstance(expr, cst.Name):
            return self._name_kind(expr)
        if isinstance(expr, _LITERALS):
            return Kind.OTHER
        if isinstance(expr, cst.Call):
            return self._call_kind(expr)
        if isinstance(expr, cst.Attribute):
            if expr.attr.value in ARRAY_ATTRIBUTES and self.kind(expr.value) is Kind.ARRAY:
                return Kind.ARRAY
            return Kind.UNKNOWN
        if isinstance(expr, cst.BinaryOperation):
            if isinstance(expr.operator, cst.MatrixMultiply):
                return Kind.UNKNOWN  # 1-D @ 1-D is a scalar
            sides = (self.kind(expr.left), self.kind(expr.right))
            return Kind.ARRAY if Kind.ARRAY in sides else Kind.UNKNOWN
        if isinstance(expr, cst.UnaryOperation) and not isinstance(expr.operator, cst.Not):
            return Kind.ARRAY if self.kind(expr.expression) is Kind.ARRAY else Kind.UNKNOWN
        return Kind.UNKNOWN

    def _call_kind(self, call: cst.Call) -> Kind:
        names = self.ctx.qualified_names(call.func)
        if names & ARRAY_FUNCTIONS:
            return Kind.ARRAY
        func = call.func
        if isinstance(func, cst.Attribute) and not names:
            if func.attr.value in ARRAY_METHODS and self.kind(func.value) is Kind.ARRAY:
                return Kind.ARRAY
            return Kind.UNKNOWN
        if any(not n.startswith("numpy") for n in names):
            return Kind.OTHER  # an imported non-NumPy function or class
        if (
            isinstance(func, cst.Name)
            and self.ctx.module.module_bindings.get(func.value)
            and self.ctx.module.refers_to_module_level(func)
        ):
            return Kind.OTHER  # a function or class of this module
        return Kind.UNKNOWN

    def _name_kind(self, name: cst.Name) -> Kind:
        scope = self._scopes.get(name)
        if scope is None or name.value in self._busy:
            return Kind.UNKNOWN
        assignments = scope[name.value]
        if not assignments:
            return Kind.UNKNOWN
        self._busy.add(name.value)
        try:
            kinds = {self._assignment_kind(a) for a in assignments}
        finally:
            self._busy.discard(name.value)
        kinds.discard(None)  # type: ignore[arg-type]
        if Kind.OTHER in kinds:
            return Kind.OTHER
        if kinds == {Kind.ARRAY}:
            return Kind.ARRAY
        return Kind.UNKNOWN

    def _assignment_kind(self, assignment: object) -> Kind | None:
        if not isinstance(assignment, Assignment):
            return Kind.OTHER  # a builtin (`len`, `range`)
        node = assignment.node
        if isinstance(node, (cst.Import, cst.ImportFrom, cst.FunctionDef, cst.ClassDef)):
            return Kind.OTHER  # a module (`np`), an imported name, a function or a class
        if isinstance(node, cst.Param):
            annotation = self._annotations.get(id(node))
            if annotation is not None and self._is_ndarray_annotation(annotation.annotation):
                return Kind.ARRAY
            return Kind.UNKNOWN
        if id(node) not in self._values:
            return Kind.UNKNOWN  # a global, a loop target, an import, a with target...
        value = self._values[id(node)]
        if value is None:
            return None  # an augmented assignment keeps the kind the name already has
        return self.kind(value)

    def _is_ndarray_annotation(self, annotation: cst.BaseExpression) -> bool:
        target = annotation.value if isinstance(annotation, cst.Subscript) else annotation
        names = self.ctx.qualified_names(target)
        return bool(names & {"numpy.ndarray", "numpy.typing.NDArray"})


class _Bindings(cst.CSTVisitor):
    """Records, for each name node a simple assignment binds, the value bound to it."""

    def __init__(
        self,
        values: dict[int, cst.BaseExpression | None],
        annotations: dict[int, cst.Annotation | None],
    ) -> None:
        super().__init__()
        self.values = values
        self.annotations = annotations

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.values[id(target.target)] = node.value

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and node.value is not None:
            self.values[id(node.target)] = node.value

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):
            self.values[id(node.target)] = None

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        if isinstance(node.target, cst.Name):
            self.values[id(node.target)] = node.value

    def visit_Param(self, node: cst.Param) -> None:
        self.annotations[id(node)] = node.annotation
