"""The Numba type of an expression, from the source alone.

Literals, displays, NumPy constructors with their dtype, arithmetic, subscripts, the builtins
that always give one type, typed containers, and names through their bindings (within a
function, the bindings that reach the read). Anything else is `UNKNOWN`.
"""

from __future__ import annotations

import ast
import weakref
from collections.abc import Callable as Fn
from typing import TYPE_CHECKING

from numba_check.semantic import types as t
from numba_check.semantic.bindings import How, TypedBinding

if TYPE_CHECKING:
    from numba_check.semantic.model import Semantic

INT64_MAX = 2**63 - 1
UINT64_MAX = 2**64 - 1

# Names of NumPy (and Numba) scalar types, as dtypes and as scalar constructors.
SCALAR_NAMES = {
    **{n: n for n in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")},
    "float32": "float32",
    "float64": "float64",
    "double": "float64",
    "complex64": "complex64",
    "complex128": "complex128",
    "bool_": "boolean",
    "boolean": "boolean",
    "intp": "int64",
    "int_": "int64",
}
DTYPE_MODULES = ("numpy.", "numba.", "numba.types.", "numba.core.types.")
ALLOCATORS = frozenset({"numpy.zeros", "numpy.ones", "numpy.empty"})
LIKE = frozenset({"numpy.zeros_like", "numpy.ones_like", "numpy.empty_like", "numpy.copy"})
# Ufuncs that give float64 for int64 and float64 input alike.
FLOAT_UFUNCS = frozenset(
    f"numpy.{n}"
    for n in (
        "sqrt", "exp", "log", "log2", "log10", "sin", "cos", "tan", "arcsin", "arccos", "arctan",
        "sinh", "cosh", "tanh", "exp2", "expm1", "log1p", "cbrt", "deg2rad", "rad2deg",
    )
)  # fmt: skip
# NumPy functions that build an array (`np.array`, `np.zeros`...): what a value provably is
# when a call of one of them is all the source says about it.
ARRAY_CONSTRUCTORS = frozenset(
    f"numpy.{name}"
    for name in (
        "array", "asarray", "ascontiguousarray", "zeros", "ones", "empty", "full", "zeros_like",
        "ones_like", "empty_like", "full_like", "arange", "linspace", "eye", "identity", "copy",
    )
)  # fmt: skip
# NumPy functions whose result is an ndarray whatever their (accepted) arguments.
ARRAY_FUNCTIONS = ARRAY_CONSTRUCTORS | frozenset(
    f"numpy.{name}"
    for name in (
        "asfortranarray", "logspace", "geomspace", "concatenate", "stack", "vstack", "hstack",
        "dstack", "column_stack", "cumsum", "cumprod", "sort", "argsort", "unique", "diff",
        "ravel", "reshape", "transpose", "flip", "fliplr", "flipud", "tril", "triu", "diag",
        "outer", "expand_dims", "atleast_1d", "atleast_2d", "atleast_3d", "repeat", "roll",
    )
)  # fmt: skip
# ndarray methods and attributes whose result is again an ndarray; the methods that keep the
# dtype and the number of dimensions (None: another number) are typed with them.
ARRAY_METHODS = frozenset(
    {"copy", "reshape", "ravel", "flatten", "astype", "transpose", "view", "cumsum", "cumprod",
     "repeat", "argsort"}
)  # fmt: skip
ARRAY_ATTRIBUTES = frozenset({"T", "real", "imag"})
# An array of which nothing more is known.
SOME_ARRAY = t.Array(t.UNKNOWN, None)
# str methods that return a new str, which Numba types as unicode_type (never a literal), and
# those that give a list of such strs.
STR_RETURNING_METHODS = frozenset(
    {"capitalize", "casefold", "center", "expandtabs", "join", "ljust", "lower", "lstrip",
     "replace", "rjust", "rstrip", "strip", "swapcase", "title", "upper", "zfill"}
)  # fmt: skip
STR_SPLITTING_METHODS = frozenset({"split", "rsplit", "splitlines"})
ARRAY_FROM_DISPLAY = frozenset({"numpy.array", "numpy.asarray"})
TYPED_LIST = frozenset({"numba.typed.List", "numba.typed.typedlist.List"})
TYPED_DICT = frozenset({"numba.typed.Dict", "numba.typed.typeddict.Dict"})
TYPED_DICT_EMPTY = frozenset(f"{d}.empty" for d in TYPED_DICT)
TYPED_LIST_EMPTY = frozenset(f"{d}.empty_list" for d in TYPED_LIST)
RANGES = frozenset({"builtins.range", "numba.prange", "numba.misc.special.prange"})
BUILTIN_RESULTS: dict[str, t.Type] = {
    "builtins.len": t.INT64,
    "builtins.int": t.INT64,
    "builtins.float": t.FLOAT64,
    "builtins.complex": t.COMPLEX128,
    "builtins.bool": t.BOOLEAN,
    "builtins.str": t.NonLiteral(t.Str()),
    "builtins.repr": t.NonLiteral(t.Str()),
    "builtins.chr": t.NonLiteral(t.Str()),
    "builtins.ord": t.INT64,
}
# What a call of a builtin (with arguments) certainly builds, whatever it is given, where
# BUILTIN_RESULTS and `Inference._qualified_call` do not say more (`list(x)` is a list of what
# `x` holds): the container, its items not worked out, or the iterator.
BUILTIN_VALUES: dict[str, t.Type] = {
    "builtins.list": t.ListOf(t.UNKNOWN),
    "builtins.sorted": t.ListOf(t.UNKNOWN),
    "builtins.set": t.SetOf(t.UNKNOWN),
    "builtins.dict": t.DictOf(t.UNKNOWN, t.UNKNOWN),
    "builtins.range": t.Iterator("range"),
    "builtins.zip": t.Iterator("zip"),
    "builtins.enumerate": t.Iterator("enumerate"),
    "builtins.map": t.Iterator("map"),
    "builtins.filter": t.Iterator("filter"),
}


class Inference:
    """Types of expressions of one module; results cached by node."""

    def __init__(self, semantic: Semantic) -> None:
        self._sem_ref = weakref.ref(semantic)  # the model holds this inference
        self._cache: dict[int, t.Type] = {}
        self._busy: set[int] = set()  # bindings being typed (a loop-carried value)
        # A binding's type is kept even when worked out while another was in progress: the
        # values of a loop are typed from the first iteration's, as Numba's unification does.
        self._bindings: dict[int, t.Type] = {}

    @property
    def _sem(self) -> Semantic:
        semantic = self._sem_ref()
        assert semantic is not None, "an inference outlived its module's model"
        return semantic

    def type_of(self, node: ast.expr) -> t.Type:
        key = id(node)
        found = self._cache.get(key)
        if found is None:
            found = self._type(node)
            if not self._busy:  # a result that skipped a binding in progress is provisional
                self._cache[key] = found
        return found

    def argument_type(self, node: ast.expr) -> t.Type:
        """`type_of` for a value Python computes and passes to compiled code: ``typeof`` makes
        an int literal beyond int64 (up to 2**64 - 1) a uint64, inside tuples too."""
        value = node.value if isinstance(node, ast.Constant) else None
        if type(value) is int and INT64_MAX < value <= UINT64_MAX:
            return t.Scalar("uint64")
        if isinstance(node, ast.Tuple) and not any(isinstance(e, ast.Starred) for e in node.elts):
            return t.Tuple(tuple(self.argument_type(e) for e in node.elts))
        return self.type_of(node)

    # -- expressions --------------------------------------------------------------------

    def _type(self, node: ast.expr) -> t.Type:
        method = _DISPATCH.get(type(node))
        return method(self, node) if method is not None else t.UNKNOWN

    def _constant(self, node: ast.Constant) -> t.Type:
        return constant_type(node.value)

    def _unary(self, node: ast.UnaryOp) -> t.Type:
        if isinstance(node.op, ast.Not):
            return t.BOOLEAN
        inner = self.type_of(node.operand)
        if isinstance(node.op, ast.Invert) and isinstance(inner, t.Array):
            return SOME_ARRAY  # `~mask`: an array, its dtype not worked out
        if isinstance(node.op, (ast.USub, ast.UAdd)) and isinstance(inner, (t.Scalar, t.Array)):
            if isinstance(inner, t.Scalar) and inner.kind == "bool":
                return t.INT64
            return inner
        return t.UNKNOWN

    def _binop(self, node: ast.BinOp) -> t.Type:
        left, right = self.type_of(node.left), self.type_of(node.right)
        return binary(node.op, left, right)

    def _compare(self, node: ast.Compare) -> t.Type:
        sides = [self.type_of(node.left), *(self.type_of(c) for c in node.comparators)]
        if all(isinstance(t.unliteral(s), (t.Scalar, t.Str)) for s in sides):
            return t.BOOLEAN
        return t.UNKNOWN

    def _boolop(self, node: ast.BoolOp) -> t.Type:
        types = [self.type_of(v) for v in node.values]
        return t.BOOLEAN if all(x == t.BOOLEAN for x in types) else t.UNKNOWN

    def _ifexp(self, node: ast.IfExp) -> t.Type:
        return t.unify(self.type_of(node.body), self.type_of(node.orelse))

    def _joined(self, node: ast.JoinedStr) -> t.Type:
        # An f-string (with any literals concatenated to it) is built at run time when one of
        # its parts has a field.
        fields = any(isinstance(p, ast.FormattedValue) for p in node.values)
        return t.NonLiteral(t.Str()) if fields else t.Str()

    def _tuple(self, node: ast.Tuple) -> t.Type:
        if any(isinstance(e, ast.Starred) for e in node.elts):
            return t.UNKNOWN
        return t.Tuple(tuple(self.type_of(e) for e in node.elts))

    def _list(self, node: ast.List) -> t.Type:
        item = self.items(node.elts)
        if item is t.REFUSED:
            return t.Opaque("a list display of items of different types")  # a LiteralList
        return t.ListOf(item)

    def _set(self, node: ast.Set) -> t.Type:
        item = self.items(node.elts)
        return t.SetOf(item if item is not t.REFUSED else t.UNKNOWN)

    def _dict(self, node: ast.Dict) -> t.Type:
        if any(k is None for k in node.keys):
            return t.DictOf(t.UNKNOWN, t.UNKNOWN)  # `{**d}`: a dict of what `d` holds
        key = self.items(node.keys)  # type: ignore[arg-type]
        value = self.items(node.values)
        if key is t.REFUSED or value is t.REFUSED:
            return t.Opaque("a dict display of items of different types")  # a LiteralStrKeyDict
        return t.DictOf(key, value)

    def items(self, elts: list[ast.expr]) -> t.Type | None:
        """The element type of a display: None when it is empty, UNKNOWN when the source does
        not say, REFUSED when its items do not unify (Numba then makes a literal list or dict
        of a display, which is another type: `_list` and `_dict` make that `Opaque`)."""
        if not elts:
            return None
        if any(isinstance(e, ast.Starred) for e in elts):
            return t.UNKNOWN
        found: t.Type | None = None
        for elt in elts:
            kind = self.type_of(elt)
            found = kind if found is None else t.unify(found, kind)
            if found is t.UNKNOWN or found is t.REFUSED:
                return found
        return t.unliteral(found) if found is not None else None  # items are never literals

    def _setcomp(self, node: ast.SetComp) -> t.Type:
        return t.SetOf(t.UNKNOWN)

    def _dictcomp(self, node: ast.DictComp) -> t.Type:
        return t.DictOf(t.UNKNOWN, t.UNKNOWN)

    def _genexp(self, node: ast.GeneratorExp) -> t.Type:
        return t.Opaque("a generator expression")

    def _lambda(self, node: ast.Lambda) -> t.Type:
        return t.Callable("<lambda>", "function")

    def _listcomp(self, node: ast.ListComp) -> t.Type:
        # A reflected list whatever it holds (unlike a display, never a literal list).
        item = t.unliteral(self.type_of(node.elt))
        return t.ListOf(item if t.known(item) else t.UNKNOWN)

    def _subscript(self, node: ast.Subscript) -> t.Type:
        base = self.type_of(node.value)
        index = node.slice
        if isinstance(base, t.Array):
            return _array_index(base, index, self.type_of)
        if isinstance(base, t.Tuple) and isinstance(index, ast.Constant):
            if type(index.value) is int and -len(base.items) <= index.value < len(base.items):
                return base.items[index.value]
            return t.UNKNOWN
        if isinstance(base, t.ListOf) and base.item is not None:
            if isinstance(index, ast.Slice):
                return base
            if not isinstance(self.type_of(index), (t.Scalar, t.Unknown)) or _has_slice(index):
                return t.UNKNOWN
            # An item: a list's items are never literals (`s.split(",")[0]` is unicode_type).
            return t.NonLiteral(base.item) if isinstance(base.item, t.Str) else base.item
        if isinstance(t.unliteral(base), t.Str):
            return t.Str()  # `"12"[0]` stays a literal on recent Numba
        if isinstance(base, t.DictOf) and base.value is not None:
            return base.value
        return t.UNKNOWN

    def _attribute(self, node: ast.Attribute) -> t.Type:
        sem = self._sem
        qualified = sem.qualified_names(node)
        if qualified:
            found = _qualified_type(qualified)
            if found is not t.UNKNOWN:
                return found  # else perhaps an attribute of what a call gives: `np.zeros(3).T`
        base = self.type_of(node.value)
        if isinstance(base, t.Array):
            if node.attr == "shape" and base.ndim is not None:
                return t.Tuple((t.INT64,) * base.ndim)
            if node.attr in ("size", "ndim"):
                return t.INT64
            if node.attr == "T":
                return t.Array(base.dtype, base.ndim)
            if node.attr in ARRAY_ATTRIBUTES:  # `real`, `imag`: float for a complex array
                return t.Array(t.UNKNOWN, base.ndim)
        return t.UNKNOWN

    def _call(self, node: ast.Call) -> t.Type:
        sem = self._sem
        func = node.func
        qualified = sem.qualified_names(func) | sem.builtin_names(func)
        if qualified:
            found = self._qualified_call(node, qualified)
            # `np.zeros(3).reshape(...)` has a qualified name (numpy.zeros.reshape) that names
            # nothing: it is a method call on what the call before it gives.
            if found is not t.UNKNOWN or not isinstance(func, ast.Attribute):
                return found
        if isinstance(func, ast.Attribute):
            base = self.type_of(func.value)
            if isinstance(base, t.Array):
                return self._array_method(base, func.attr, node)
            if isinstance(t.unliteral(base), t.Str) and func.attr in STR_RETURNING_METHODS:
                return t.NonLiteral(t.Str())  # a new str: unicode_type, never a literal
            if isinstance(t.unliteral(base), t.Str) and func.attr in STR_SPLITTING_METHODS:
                return t.ListOf(t.Str())
        other = min((n for n in qualified if not n.startswith(_NOT_OPAQUE)), default=None)
        if other is not None:
            # A function or class imported from elsewhere than NumPy, Numba or builtins
            # (`scipy.special.gamma(x)`, `math.floor(x)`): no array, container or str of the
            # layer's (what the NumPy rules rely on to leave `x = helper(); x.sum()` alone).
            return t.Opaque(f"calling {other}")
        callee = self.type_of(func)
        if isinstance(callee, t.Callable):
            if callee.kind == "jitclass":
                return t.Instance(callee.name, jitclass=True)
            if callee.kind in ("function", "dispatcher", "class"):
                return t.Opaque(f"calling {callee.name}")  # a function or class of the module
        return t.UNKNOWN

    def _qualified_call(self, node: ast.Call, qualified: set[str]) -> t.Type:
        args = node.args
        keywords = {k.arg: k.value for k in node.keywords if k.arg is not None}
        for name in qualified:
            if name in BUILTIN_RESULTS and (args or name in ("builtins.int", "builtins.float")):
                first = t.unliteral(self.type_of(args[0])) if args else None
                if name == "builtins.int" and isinstance(first, t.Str):
                    return t.UNKNOWN  # int("12") is refused on some versions
                return BUILTIN_RESULTS[name]
            if name in ALLOCATORS and args:
                dtype = keywords.get("dtype", args[1] if len(args) > 1 else None)
                return t.Array(
                    self._dtype(dtype) if dtype is not None else t.FLOAT64, self._ndim(args[0])
                )
            if name == "numpy.full" and len(args) >= 2:
                dtype = keywords.get("dtype", args[2] if len(args) > 2 else None)
                fill = self.type_of(args[1])
                kind = self._dtype(dtype) if dtype is not None else fill
                return t.Array(
                    kind if isinstance(kind, t.Scalar) else t.UNKNOWN, self._ndim(args[0])
                )
            if name == "numpy.arange" and args and "dtype" not in keywords and len(args) <= 3:
                kinds = [self.type_of(a) for a in args]
                if all(isinstance(k, t.Scalar) and k.kind in ("int", "float") for k in kinds):
                    floats = any(k == t.FLOAT64 for k in kinds)
                    if all(k in (t.INT64, t.FLOAT64) for k in kinds):
                        return t.Array(t.FLOAT64 if floats else t.INT64, 1)
                return SOME_ARRAY
            if name in ARRAY_FROM_DISPLAY and len(args) == 1 and set(keywords) <= {"dtype"}:
                found = self._array_display(args[0], keywords.get("dtype"))
                if found is not t.UNKNOWN:
                    return found
            if name in LIKE and len(args) == 1 and not keywords:
                base = self.type_of(args[0])
                return base if isinstance(base, t.Array) else SOME_ARRAY
            if name in FLOAT_UFUNCS and len(args) == 1 and not keywords:
                base = self.type_of(args[0])
                if isinstance(base, t.Array) and base.dtype in (t.INT64, t.FLOAT64):
                    return t.Array(t.FLOAT64, base.ndim)
                if base in (t.INT64, t.FLOAT64):
                    return t.FLOAT64
                return t.UNKNOWN
            scalar = _scalar_of(name)
            if scalar is not None and len(args) == 1:
                return scalar
            if name == "builtins.list" and len(args) <= 1 and not keywords:
                # Numba's list() builds a reflected list of whatever it iterates.
                return t.ListOf(self.iterated(args[0]) if args else None)
            found = BUILTIN_VALUES.get(name)
            if found is not None and (args or node.keywords):
                return found
            if name in TYPED_DICT_EMPTY:
                return t.DictOf(t.UNKNOWN, t.UNKNOWN, typed=True)
            if name in TYPED_LIST_EMPTY:
                return t.ListOf(t.UNKNOWN, typed=True)
            if name in TYPED_LIST:
                if not args and not keywords:
                    return t.ListOf(None, typed=True)
                if len(args) == 1 and not keywords:
                    # A typed List whatever the iterable; its items where the layer knows them.
                    inner = self.type_of(args[0])
                    if isinstance(inner, t.ListOf) and inner.item is not None:
                        return t.ListOf(inner.item, typed=True)
                    return t.ListOf(t.UNKNOWN, typed=True)
                return t.UNKNOWN
        if qualified & ARRAY_FUNCTIONS:
            return SOME_ARRAY
        return t.UNKNOWN

    def _array_display(self, display: ast.expr, dtype: ast.expr | None) -> t.Type:
        """``np.array([[1, 2], [3, 4]])``: a rectangular nest of list or tuple displays of
        numbers; the dtype the numbers promote to (bool < int64 < float64 < complex128), as
        NumPy and Numba both give it, unless `dtype` names one."""
        shape, leaves = _nest(display)
        if shape is None or not leaves:
            return t.UNKNOWN
        ndim = len(shape)
        kinds = [self.type_of(leaf) for leaf in leaves]
        if not all(isinstance(k, t.Scalar) and k in _WIDE for k in kinds):
            return t.UNKNOWN
        if dtype is not None:
            return t.Array(self._dtype(dtype), ndim)
        widest = max(kinds, key=lambda k: t.NUMERIC_RANK[k.kind])  # type: ignore[union-attr]
        return t.Array(widest, ndim)

    def _array_method(self, base: t.Array, method: str, node: ast.Call) -> t.Type:
        if method == "astype" and len(node.args) == 1:
            return t.Array(self._dtype(node.args[0]), base.ndim)
        if method == "copy" and not node.args:
            return base
        if method in ("ravel", "flatten") and not node.args:
            return t.Array(base.dtype, 1)
        if method in ("reshape", "transpose"):
            return t.Array(base.dtype, None)
        return SOME_ARRAY if method in ARRAY_METHODS else t.UNKNOWN

    def _ndim(self, shape: ast.expr) -> int | None:
        """How many dimensions an allocation of `shape` has: a tuple's length, 1 for an int."""
        if isinstance(shape, ast.Tuple):
            return None if any(isinstance(e, ast.Starred) for e in shape.elts) else len(shape.elts)
        return 1 if self.type_of(shape) == t.INT64 else None

    def _dtype(self, node: ast.expr) -> t.Type:
        """The scalar type a dtype argument names (``np.float64``, ``numba.int64``)."""
        if isinstance(node, ast.Constant):
            return t.UNKNOWN
        for name in self._sem.qualified_names(node):
            scalar = _scalar_of(name)
            if scalar is not None:
                return scalar
        return t.UNKNOWN

    def _name(self, node: ast.Name) -> t.Type:
        return self._sem.name_type(node, self)

    # -- bindings -----------------------------------------------------------------------

    def binding_type(self, binding: TypedBinding) -> t.Type:
        """The type a binding gives its name; UNKNOWN while it is being worked out (a value
        that depends on itself, as `a = a * 0.5` in a loop does)."""
        key = id(binding.node)
        found = self._bindings.get(key)
        if found is not None:
            return found
        if key in self._busy:
            return t.UNKNOWN
        self._busy.add(key)
        try:
            found = self._bindings[key] = self._binding_type(binding)
        finally:
            self._busy.discard(key)
        return found

    def busy(self, binding: TypedBinding) -> bool:
        return id(binding.node) in self._busy

    def _binding_type(self, binding: TypedBinding) -> t.Type:
        how, value = binding.how, binding.value
        if how in (How.ASSIGN, How.WALRUS) and value is not None:
            return self.type_of(value)
        if how is How.AUGMENT and value is not None and isinstance(binding.node, ast.Name):
            # The target, read before the operation, is typed by the bindings that reach it.
            found = binary(binding.op, self.type_of(binding.node), self.type_of(value))  # type: ignore[arg-type]
            # `s += "x"` builds a new str at run time, whatever `s` was.
            return t.NonLiteral(t.Str()) if isinstance(found, t.Str) else found
        if how is How.UNPACK and value is not None:
            found = self.type_of(value)
            for i in binding.index:
                if not isinstance(found, t.Tuple) or i >= len(found.items):
                    return t.UNKNOWN
                found = found.items[i]
            return found if binding.index else t.UNKNOWN
        if how is How.LOOP and value is not None:
            found = self.iterated(value)
            for i in binding.index:
                if not isinstance(found, t.Tuple) or i >= len(found.items):
                    return t.UNKNOWN
                found = found.items[i]
            return found
        if how is How.PARAMETER:
            return self._sem.parameter_type(binding)
        if how is How.DEF:
            return self._sem.def_type(binding.node)  # type: ignore[arg-type]
        if how is How.CLASS:
            return self._sem.class_type(binding.node)  # type: ignore[arg-type]
        if how is How.IMPORT:
            # A module or an imported name: taken for no array, container or str of the
            # layer's, as the NumPy rules always have (an imported array constant is rare).
            return t.Opaque("an import")
        return t.UNKNOWN

    def iterated(self, iterable: ast.expr) -> t.Type:
        """The type of the items a `for` loop over `iterable` gets."""
        if isinstance(iterable, ast.Call):
            names = self._sem.qualified_names(iterable.func) | self._sem.builtin_names(
                iterable.func
            )
            if names & RANGES:
                kinds = [self.type_of(a) for a in iterable.args]
                return t.INT64 if kinds and all(k == t.INT64 for k in kinds) else t.UNKNOWN
            if "builtins.enumerate" in names and len(iterable.args) == 1 and not iterable.keywords:
                return t.Tuple((t.INT64, self.iterated(iterable.args[0])))
            if "builtins.zip" in names and iterable.args and not iterable.keywords:
                return t.Tuple(tuple(self.iterated(a) for a in iterable.args))
        base = self.type_of(iterable)
        if isinstance(base, t.Array) and base.ndim is not None:
            return base.dtype if base.ndim == 1 else t.Array(base.dtype, base.ndim - 1)
        if isinstance(base, t.ListOf) and base.item is not None:
            # A list's items are never literals: a str from one is unicode_type.
            return t.NonLiteral(base.item) if isinstance(base.item, t.Str) else base.item
        if isinstance(base, t.Tuple) and base.items and all(i == base.items[0] for i in base.items):
            return base.items[0]
        return t.UNKNOWN


# Calls of these are typed above or left unknown, never `Opaque`: NumPy's functions (arrays or
# scalars), Numba's (`cuda.local.array` is an array), the builtins (typed by name above).
_NOT_OPAQUE = ("numpy", "numba", "builtins.")


def constant_type(value: object) -> t.Type:
    if value is True or value is False:
        return t.BOOLEAN
    if value is None:
        return t.NONE
    if type(value) is int:
        return t.INT64 if -(2**63) <= value <= INT64_MAX else t.UNKNOWN
    if type(value) is float:
        return t.FLOAT64
    if type(value) is complex:
        return t.COMPLEX128
    if type(value) is str:
        return t.Str()
    if type(value) is bytes:
        return t.Bytes()
    return t.UNKNOWN


def literal_type(node: ast.AST) -> t.Type | None:
    """The type Numba gives a literal as written (`1`, `-2.5`, `1j`, `True`, `'a'`, `b'a'`,
    `None`, an f-string), else None: not a literal, or one of no certain type (`...`, an int
    beyond int64, which Numba types uint64 or refuses, `-True`, `-'a'`). Rules that name the
    kinds of literals in their messages read this rather than `type_of`, which follows names."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = node.operand
        if not isinstance(inner, ast.Constant):
            return None
        value = inner.value
        if type(value) is int:
            value = -value if isinstance(node.op, ast.USub) else value
            return t.INT64 if -(2**63) <= value <= INT64_MAX else None
        if type(value) in (float, complex):
            return literal_type(inner)
        return None
    if isinstance(node, ast.Constant):
        if type(node.value) is int and node.value > INT64_MAX:
            return None
        found = constant_type(node.value)
        return None if found is t.UNKNOWN else found
    if isinstance(node, ast.JoinedStr):
        return t.Str()  # an f-string is a str whenever Numba compiles it at all
    return None


def binary(op: ast.operator, left: t.Type, right: t.Type) -> t.Type:
    """The type of `left op right` for the numbers, arrays, str and tuples the layer knows."""
    if isinstance(left, t.Array) or isinstance(right, t.Array):
        return _array_binary(op, left, right)
    if isinstance(left, t.Scalar) and isinstance(right, t.Scalar):
        return _scalar_binary(op, left, right)
    bare_left, bare_right = t.unliteral(left), t.unliteral(right)
    if isinstance(op, ast.Add):
        if isinstance(bare_left, t.Str) and isinstance(bare_right, t.Str):
            runtime = isinstance(left, t.NonLiteral) or isinstance(right, t.NonLiteral)
            return t.NonLiteral(t.Str()) if runtime else t.Str()
        if isinstance(left, t.ListOf) and isinstance(right, t.ListOf) and not left.typed:
            # `a + b` of two reflected lists: a list (of the items, when they are the same).
            same = left.item == right.item and not right.typed
            return t.ListOf(left.item if same else t.UNKNOWN)
        if (
            isinstance(left, t.Tuple)
            and isinstance(right, t.Tuple)
            and not left.name
            and not right.name
        ):
            return t.Tuple(left.items + right.items)
    elif isinstance(op, ast.Mult):
        # `"ab" * n` is a str and `[0] * n` a list whatever `n` is (or the code fails anyway).
        for side in (bare_left, bare_right):
            if isinstance(side, t.Str):
                return t.Str()
            if isinstance(side, t.ListOf) and not side.typed:
                return side
    return t.UNKNOWN


_STANDARD = {"bool", "int", "float", "complex"}
_WIDE = {t.BOOLEAN, t.INT64, t.FLOAT64, t.COMPLEX128}


# The operators Numba types int64 for a uint64 and an int64 (its integer typing gives mixed
# signedness the signed type; checked by compiling, 0.57 to 0.68); the shifts keep the left
# operand's type, and `/` gives float64 as for any two integers.
MIXED_SIGN_TO_INT64 = (
    ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod, ast.Pow, ast.BitAnd, ast.BitOr, ast.BitXor,
)  # fmt: skip


def mixes_signedness(left: t.Type, right: t.Type) -> bool:
    """Whether one operand is a uint64 and the other an int64."""
    return {left, right} == {t.UINT64, t.INT64}


def _scalar_binary(op: ast.operator, left: t.Scalar, right: t.Scalar) -> t.Type:
    if mixes_signedness(left, right):
        if isinstance(op, MIXED_SIGN_TO_INT64):
            return t.INT64
        if isinstance(op, ast.Div):
            return t.FLOAT64
        return left if isinstance(op, (ast.LShift, ast.RShift)) else t.UNKNOWN
    if left == right == t.UINT64 and isinstance(op, MIXED_SIGN_TO_INT64):
        return t.UINT64
    if left not in _WIDE or right not in _WIDE:
        return t.UNKNOWN  # narrower widths follow NumPy's promotion: not modelled
    top = max(left, right, key=lambda s: t.NUMERIC_RANK[s.kind])
    if top.kind == "bool":
        top = t.INT64  # True + True is 2 in both
    if isinstance(op, (ast.Add, ast.Sub, ast.Mult)):
        return top
    if isinstance(op, ast.Div):
        return t.COMPLEX128 if top.kind == "complex" else t.FLOAT64
    if isinstance(op, (ast.FloorDiv, ast.Mod)):
        return top if top.kind in ("int", "float") else t.UNKNOWN
    return t.UNKNOWN


def _array_binary(op: ast.operator, left: t.Type, right: t.Type) -> t.Type:
    dtypes = [x.dtype if isinstance(x, t.Array) else x for x in (left, right)]
    if not all(isinstance(d, t.Scalar) and d in _WIDE for d in dtypes):
        # An operator on an array gives an array (or the code fails), whatever the dtypes;
        # `@` of two 1-D arrays is a scalar.
        return t.UNKNOWN if isinstance(op, ast.MatMult) else SOME_ARRAY
    ndims = [x.ndim for x in (left, right) if isinstance(x, t.Array)]
    dtype = _scalar_binary(op, dtypes[0], dtypes[1])  # type: ignore[arg-type]
    if not isinstance(dtype, t.Scalar):
        return t.UNKNOWN
    return t.Array(dtype, None if None in ndims else max(ndims))  # type: ignore[type-var]


def _has_slice(index: ast.expr) -> bool:
    """Whether a subscript's index has a slice in it (`a[1:]`, `a[1:, 0]`), not just items."""
    if isinstance(index, ast.Slice):
        return True
    return isinstance(index, ast.Tuple) and any(isinstance(e, ast.Slice) for e in index.elts)


def _array_index(base: t.Array, index: ast.expr, type_of: Fn[[ast.expr], t.Type]) -> t.Type:
    if base.ndim is None:
        return t.UNKNOWN
    parts = index.elts if isinstance(index, ast.Tuple) else [index]
    dropped = 0
    for part in parts:
        if isinstance(part, ast.Slice):
            continue
        if type_of(part) == t.INT64:
            dropped += 1
        else:
            return t.UNKNOWN  # an array index, a bool mask, None: other rules
    if len(parts) > base.ndim:
        return t.UNKNOWN
    left = base.ndim - dropped
    return base.dtype if left == 0 else t.Array(base.dtype, left)


def _scalar_of(qualified: str) -> t.Scalar | None:
    for prefix in DTYPE_MODULES:
        if qualified.startswith(prefix):
            rest = qualified[len(prefix) :]
            name = SCALAR_NAMES.get(rest)
            if name is not None:
                return t.Scalar(name)
    return None


def _nest(node: ast.expr) -> tuple[tuple[int, ...] | None, list[ast.expr]]:
    """The shape of a rectangular nest of list/tuple displays, and its leaves; None for a
    ragged, empty or starred one."""
    if not isinstance(node, (ast.List, ast.Tuple)):
        return (), [node]
    if not node.elts or any(isinstance(e, ast.Starred) for e in node.elts):
        return None, []
    shapes = set()
    leaves: list[ast.expr] = []
    for elt in node.elts:
        shape, inner = _nest(elt)
        if shape is None:
            return None, []
        shapes.add(shape)
        leaves += inner
    if len(shapes) != 1:
        return None, []
    return (len(node.elts), *shapes.pop()), leaves


def _qualified_type(qualified: set[str]) -> t.Type:
    if len(qualified) != 1:
        return t.UNKNOWN
    (name,) = qualified
    if name in ("numpy.pi", "numpy.e", "numpy.inf", "numpy.nan", "math.pi", "math.e"):
        return t.FLOAT64
    return t.UNKNOWN


_DISPATCH: dict[type, Fn[[Inference, ast.expr], t.Type]] = {
    ast.Constant: Inference._constant,  # type: ignore[dict-item]
    ast.UnaryOp: Inference._unary,  # type: ignore[dict-item]
    ast.BinOp: Inference._binop,  # type: ignore[dict-item]
    ast.Compare: Inference._compare,  # type: ignore[dict-item]
    ast.BoolOp: Inference._boolop,  # type: ignore[dict-item]
    ast.IfExp: Inference._ifexp,  # type: ignore[dict-item]
    ast.JoinedStr: Inference._joined,  # type: ignore[dict-item]
    ast.Tuple: Inference._tuple,  # type: ignore[dict-item]
    ast.List: Inference._list,  # type: ignore[dict-item]
    ast.Set: Inference._set,  # type: ignore[dict-item]
    ast.Dict: Inference._dict,  # type: ignore[dict-item]
    ast.ListComp: Inference._listcomp,  # type: ignore[dict-item]
    ast.SetComp: Inference._setcomp,  # type: ignore[dict-item]
    ast.DictComp: Inference._dictcomp,  # type: ignore[dict-item]
    ast.GeneratorExp: Inference._genexp,  # type: ignore[dict-item]
    ast.Lambda: Inference._lambda,  # type: ignore[dict-item]
    ast.Subscript: Inference._subscript,  # type: ignore[dict-item]
    ast.Attribute: Inference._attribute,  # type: ignore[dict-item]
    ast.Call: Inference._call,  # type: ignore[dict-item]
    ast.Name: Inference._name,  # type: ignore[dict-item]
}
