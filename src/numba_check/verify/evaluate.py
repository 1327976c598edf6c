"""A restricted evaluator over `ast`: the values of module constants, default values and
call arguments, without running the user's code.

It computes literals, containers of them, arithmetic on them, and calls into the allowed
libraries (``np.zeros(3)``, ``np.arange(10.0)``, ``numba.typed.List.empty_list(...)``,
``nb.float64[:]``) with such arguments. A call is allowed only when its callee is reached
from an allowed module by attributes, or is a method of a value this evaluator made (an array's
``astype``). Calls that touch files, the process or global state are refused by name, and so
is anything else: the user's functions and classes are never called. What cannot be computed
raises `Unknown`; the caller decides what to do (a stand-in, or no type from this source).
"""

from __future__ import annotations

import ast
import builtins
import operator
from collections.abc import Callable, Mapping
from typing import Any

# Builtins that compute values from values, nothing else.
_SAFE_BUILTINS = {
    name: getattr(builtins, name)
    for name in (
        "int",
        "float",
        "complex",
        "bool",
        "str",
        "bytes",
        "tuple",
        "list",
        "dict",
        "set",
        "frozenset",
        "range",
        "len",
        "abs",
        "min",
        "max",
        "sum",
        "round",
        "slice",
        "divmod",
        "pow",
        "sorted",
        "reversed",
        "zip",
        "enumerate",
        "ord",
        "chr",
    )
}
_CONSTANTS = {"True": True, "False": False, "None": None, "Ellipsis": Ellipsis}
# Library functions that read or write files, change the process or global state.
_REFUSED_ATTRIBUTES = frozenset(
    {
        "load",
        "loads",
        "save",
        "savez",
        "savez_compressed",
        "loadtxt",
        "savetxt",
        "genfromtxt",
        "fromfile",
        "tofile",
        "dump",
        "dumps",
        "memmap",
        "open_memmap",
        "fromregex",
        "open",
        "DataSource",
        "set_printoptions",
        "seterr",
        "seterrcall",
        "setbufsize",
        "seed",
        "set_num_threads",
        "set_parallel_chunksize",
        "system",
        "exec",
        "eval",
        "compile",
        "show_config",
        "info",
        "source",
        "lookfor",
        "test",
        "reload_config",
        "config",
        "cuda",
        "gdb",
        "gdb_init",
        "gdb_breakpoint",
        "jit",
        "njit",
        "vectorize",
        "guvectorize",
        "cfunc",
        "stencil",
        "jitclass",
        "generated_jit",
        "objmode",
        "literal_unroll",
        "register_jitable",
        "overload",
        "intrinsic",
        "ctypeslib",
        "load_library",
        "f2py",
        "distutils",
        "testing",
        "lib",
        "os",
        "sys",
        "subprocess",
        # What leads from a jitclass's types to the user's methods (its dispatchers and
        # Python functions): never read.
        "jit_methods",
        "jit_props",
        "jit_static_methods",
        "methods",
        "static_methods",
        "py_func",
    }
)
_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.LShift: operator.lshift,
    ast.RShift: operator.rshift,
    ast.BitOr: operator.or_,
    ast.BitXor: operator.xor,
    ast.BitAnd: operator.and_,
    ast.MatMult: operator.matmul,
}
_UNARY: dict[type, Callable[[Any], Any]] = {
    ast.UAdd: operator.pos,
    ast.USub: operator.neg,
    ast.Not: operator.not_,
    ast.Invert: operator.invert,
}
_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
# Sizes beyond these are refused: only types matter here, never big values.
MAX_INT = 10**7
MAX_ELEMENTS = 10**6


class Unknown(Exception):
    """The expression's value cannot be known without running the user's code."""


class Library:
    """A value reached from an allowed module: calling it runs library code only."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value


class TypeOnly:
    """A value whose Numba type is known but not the value: what a compiled function
    returns (Numba infers it; the function is never called)."""

    __slots__ = ("nbtype",)

    def __init__(self, nbtype: object) -> None:
        self.nbtype = nbtype


NOT_A_MODULE = object()  # what `member` says of a value that is no rebuilt module

Lookup = Callable[[str], object]
# Called for a call of a compiled function with argument values: the TypeOnly it returns.
CompiledCall = Callable[[object, list[object], dict[str, object]], TypeOnly]


class Evaluator:
    """Evaluates expressions with `lookup` for names (raising Unknown for what it cannot
    give). `lookup` returns Library(...) for what allowed modules give, plain values for
    constants, and a compiled function's dispatcher wrapped by `is_compiled`."""

    def __init__(
        self,
        lookup: Lookup,
        *,
        is_compiled: Callable[[object], bool] = lambda value: False,
        call_compiled: CompiledCall | None = None,
        value_types: tuple[type, ...] = (),
        class_type: Callable[[object], object] = lambda value: None,
        opaque: Callable[[object], bool] = lambda value: False,
        member: Callable[[object, str], object] = lambda value, name: NOT_A_MODULE,
    ) -> None:
        self.lookup = lookup
        self.is_compiled = is_compiled
        self.call_compiled = call_compiled
        # A rebuilt jitclass's Numba class type (None for anything else): a spec may name
        # `Cls.class_type.instance_type`, and that chain only is read of it.
        self.class_type = class_type
        # Values no attribute of is read (a jitclass's types lead to the user's methods).
        self.opaque = opaque
        # `m.name` of a rebuilt module of the project: what the lookup of its `name` gives
        # (NOT_A_MODULE for any other value).
        self.member = member
        # Types whose methods may be called (numpy arrays and scalars, numba typed containers).
        self.value_types = value_types
        self.depth = 0

    def value(self, node: ast.AST) -> object:
        """The value of `node`, with Library wrappers removed."""
        result = self.eval(node)
        return result.value if isinstance(result, Library) else result

    def eval(self, node: ast.AST) -> object:
        self.depth += 1
        try:
            if self.depth > 60:
                raise Unknown("expression nested too deeply")
            method = getattr(self, "_" + type(node).__name__, None)
            if method is None:
                raise Unknown(f"{type(node).__name__} is not evaluated")
            return method(node)
        finally:
            self.depth -= 1

    def _plain(self, node: ast.AST) -> Any:
        value = self.eval(node)
        if isinstance(value, Library):
            return value.value
        if isinstance(value, TypeOnly):
            raise Unknown("a compiled function's result is only known by its type")
        return value

    def _Expression(self, node: ast.Expression) -> object:
        return self.eval(node.body)

    def _Constant(self, node: ast.Constant) -> object:
        return node.value

    def _Name(self, node: ast.Name) -> object:
        if node.id in _CONSTANTS:
            return _CONSTANTS[node.id]
        try:
            return self.lookup(node.id)
        except Unknown:
            if node.id in _SAFE_BUILTINS:
                return Library(_SAFE_BUILTINS[node.id])
            raise

    def _Tuple(self, node: ast.Tuple) -> object:
        return tuple(self._elements(node.elts))

    def _List(self, node: ast.List) -> object:
        return list(self._elements(node.elts))

    def _Set(self, node: ast.Set) -> object:
        return set(self._elements(node.elts))

    def _elements(self, elts: list[ast.expr]) -> list[object]:
        values = []
        for elt in elts:
            if isinstance(elt, ast.Starred):
                values.extend(self._iterable(self._plain(elt.value)))
            else:
                values.append(self._keep_typeonly(elt))
        if len(values) > MAX_ELEMENTS:
            raise Unknown("too many elements")
        return values

    def _keep_typeonly(self, node: ast.AST) -> object:
        value = self.eval(node)
        return value.value if isinstance(value, Library) else value

    @staticmethod
    def _iterable(value: object) -> list[object]:
        if isinstance(value, (tuple, list, str, bytes, range, set, frozenset)):
            return list(value)
        raise Unknown("star-unpacking of a value that is not a plain sequence")

    def _Dict(self, node: ast.Dict) -> object:
        result = {}
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:
                unpacked = self._plain(value)
                if not isinstance(unpacked, dict):
                    raise Unknown("** of a value that is not a dict")
                result.update(unpacked)
            else:
                result[self._plain(key)] = self._keep_typeonly(value)
        return result

    def _BinOp(self, node: ast.BinOp) -> object:
        left, right = self._plain(node.left), self._plain(node.right)
        op = _BINOPS.get(type(node.op))
        if op is None:
            raise Unknown("operator")
        _check_size(node.op, left, right)
        return self._run(op, left, right)

    def _UnaryOp(self, node: ast.UnaryOp) -> object:
        return self._run(_UNARY[type(node.op)], self._plain(node.operand))

    def _BoolOp(self, node: ast.BoolOp) -> object:
        value: object = None
        for operand in node.values:
            value = self._plain(operand)
            if isinstance(node.op, ast.And) and not value:
                return value
            if isinstance(node.op, ast.Or) and value:
                return value
        return value

    def _Compare(self, node: ast.Compare) -> object:
        left = self._plain(node.left)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self._plain(right_node)
            if not self._run(_COMPARE[type(op)], left, right):
                return False
            left = right
        return True

    def _IfExp(self, node: ast.IfExp) -> object:
        return self.eval(node.body if self._plain(node.test) else node.orelse)

    def _Subscript(self, node: ast.Subscript) -> object:
        base = self.eval(node.value)
        index = self._plain(node.slice)
        raw = base.value if isinstance(base, Library) else base
        if isinstance(raw, TypeOnly):
            raise Unknown("a compiled function's result is only known by its type")
        result = self._run(operator.getitem, raw, index)
        return Library(result) if isinstance(base, Library) else result

    def _Slice(self, node: ast.Slice) -> object:
        return slice(
            *(
                self._plain(p) if p is not None else None
                for p in (node.lower, node.upper, node.step)
            )
        )

    def _Attribute(self, node: ast.Attribute) -> object:
        if node.attr.startswith("__") or node.attr in _REFUSED_ATTRIBUTES:
            raise Unknown(f"attribute {node.attr!r} is not read")
        inner = node.value
        if (
            node.attr == "instance_type"
            and isinstance(inner, ast.Attribute)
            and inner.attr == "class_type"
        ):
            found = self.class_type(self.eval(inner.value))
            if found is not None:
                return found.instance_type  # type: ignore[attr-defined]
        base = self.eval(node.value)
        found = self.member(base, node.attr)
        if found is not NOT_A_MODULE:
            return found
        if self.opaque(base.value if isinstance(base, Library) else base):
            raise Unknown("attributes of a jitclass's types are not read")
        if isinstance(base, Library):
            try:
                return Library(getattr(base.value, node.attr))
            except Exception as exc:  # noqa: BLE001 - any failure: unknown
                raise Unknown(str(exc)) from None
        if isinstance(
            base, (*self.value_types, int, float, complex, str, bytes, tuple, list, dict)
        ):
            try:
                return Library(getattr(base, node.attr))
            except AttributeError as exc:
                raise Unknown(str(exc)) from None
        raise Unknown("attribute of a value that is not a library's")

    def _Call(self, node: ast.Call) -> object:
        callee = self.eval(node.func)
        args: list[object] = []
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                args.extend(self._iterable(self._plain(arg.value)))
            else:
                args.append(self._keep_typeonly(arg))
        kwargs: dict[str, object] = {}
        for keyword in node.keywords:
            if keyword.arg is None:
                unpacked = self._plain(keyword.value)
                if not isinstance(unpacked, dict):
                    raise Unknown("** of a value that is not a dict")
                kwargs.update(unpacked)
            else:
                kwargs[keyword.arg] = self._keep_typeonly(keyword.value)
        if self.is_compiled(callee) and self.call_compiled is not None:
            return self.call_compiled(callee, args, kwargs)
        if not isinstance(callee, Library):
            raise Unknown("only library functions are called")
        if any(isinstance(a, TypeOnly) for a in (*args, *kwargs.values())):
            raise Unknown("a compiled function's result is only known by its type")
        for value in (*args, *kwargs.values()):
            # A compiled function handed to a library (np.vectorize(f)) could be called by it.
            _check_argument(value, self.is_compiled)
        # What a library returns is the library's: a Numba type built by a call
        # (`UniTuple(float64, 2)`) may be called in turn to make a signature.
        return Library(self._run(callee.value, *args, **kwargs))

    @staticmethod
    def _run(function: Callable[..., Any], *args: object, **kwargs: object) -> object:
        try:
            return function(*args, **kwargs)
        except Unknown:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure of the library: unknown
            raise Unknown(f"{type(exc).__name__}: {exc}") from None


def _check_argument(value: object, is_compiled: Callable[[object], bool]) -> None:
    if isinstance(value, bool):
        return
    if is_compiled(value):
        raise Unknown("a compiled function is not passed to a library")
    if isinstance(value, int) and abs(value) > MAX_INT:
        raise Unknown("an argument too large to compute with")
    if isinstance(value, (tuple, list, set, frozenset)):
        if len(value) > MAX_ELEMENTS:
            raise Unknown("an argument too large to compute with")
        for item in value:
            _check_argument(item, is_compiled)
    if isinstance(value, dict):
        for item in (*value.keys(), *value.values()):
            _check_argument(item, is_compiled)


def _check_size(op: ast.operator, left: object, right: object) -> None:
    if isinstance(op, ast.Pow) and isinstance(right, int) and abs(right) > 10_000:
        raise Unknown("a power too large to compute")
    if isinstance(op, (ast.LShift,)) and isinstance(right, int) and right > 10_000:
        raise Unknown("a shift too large to compute")
    if isinstance(op, ast.Mult):
        for seq, n in ((left, right), (right, left)):
            sized = isinstance(seq, (str, bytes, list, tuple)) and isinstance(n, int)
            if sized and len(seq) * n > MAX_ELEMENTS:  # type: ignore[arg-type, operator]
                raise Unknown("a repetition too large to compute")


def lookup_in(namespace: Mapping[str, object], library: Callable[[str], bool]) -> Lookup:
    """A lookup over a rebuilt namespace; `library(name)` says whether the name is bound to
    something an allowed module gave."""

    def lookup(name: str) -> object:
        if name not in namespace:
            raise Unknown(f"name {name!r} is not known")
        value = namespace[name]
        return Library(value) if library(name) else value

    return lookup
