"""A small lattice of Numba's types, and unification as Numba's typing context unifies them.

Only what the source can prove gets a type; everything else is `UNKNOWN`, and a rule that meets
`UNKNOWN` (anywhere in a type) stays silent. `unify` answers what ``typing_context.unify_types``
does for the variable that two values of these types meet in: a type, `REFUSED` where Numba
reports "Cannot unify", or `UNKNOWN` where the answer depends on what the source does not show.
Each refusal it gives is checked by compiling in ``tests/semantic/test_types.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "NONE",
    "REFUSED",
    "UNKNOWN",
    "Array",
    "Callable",
    "DictOf",
    "Iterator",
    "ListOf",
    "Literal",
    "Module",
    "NonLiteral",
    "NoneType",
    "Opaque",
    "Optional",
    "Scalar",
    "SetOf",
    "Str",
    "Tuple",
    "Type",
    "Unknown",
    "converts_safely",
    "differ",
    "known",
    "phrase",
    "short_name",
    "short_names",
    "unify",
    "unify_all",
    "unliteral",
]


class Type:
    """A Numba type as far as the source tells it."""

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class Unknown(Type):
    def describe(self) -> str:
        return "unknown"


@dataclass(frozen=True)
class Refused(Type):
    """Values Numba cannot give one type (the result of a failed unification)."""

    def describe(self) -> str:
        return "no single type"


UNKNOWN = Unknown()
REFUSED = Refused()

# The numeric kinds in the order Numba's unification climbs them (bool < int < float < complex).
NUMERIC_RANK = {"bool": 0, "int": 1, "uint": 1, "float": 2, "complex": 3}


@dataclass(frozen=True)
class Scalar(Type):
    """A number or bool: `name` is Numba's (``int64``, ``float64``, ``uint8``, ``boolean``)."""

    name: str

    @property
    def kind(self) -> str:
        if self.name == "boolean":
            return "bool"
        for kind in ("uint", "int", "float", "complex"):
            if self.name.startswith(kind):
                return kind
        return "other"

    def describe(self) -> str:
        return self.name


INT64 = Scalar("int64")
FLOAT64 = Scalar("float64")
COMPLEX128 = Scalar("complex128")
BOOLEAN = Scalar("boolean")
UINT64 = Scalar("uint64")
# The scalar types Numba gives Python's own numbers; unification of others is not modelled.
_WIDE = frozenset({BOOLEAN, INT64, FLOAT64, COMPLEX128})


@dataclass(frozen=True)
class Str(Type):
    """``unicode_type``, literal or not (see `Literal`): both unify with each other."""

    def describe(self) -> str:
        return "str"


@dataclass(frozen=True)
class Bytes(Type):
    def describe(self) -> str:
        return "bytes"


@dataclass(frozen=True)
class NoneType(Type):
    def describe(self) -> str:
        return "None"


NONE = NoneType()


@dataclass(frozen=True)
class Optional(Type):
    """``Optional(T)``: a value of `T` or None."""

    type: Type

    def describe(self) -> str:
        return f"Optional({self.type.describe()})"


@dataclass(frozen=True)
class Array(Type):
    """A NumPy array; `dtype` a `Scalar` (or UNKNOWN) and `ndim` None where unknown."""

    dtype: Type
    ndim: int | None

    def describe(self) -> str:
        if self.ndim is None:
            return f"array({self.dtype.describe()})"
        return f"array({self.dtype.describe()}, {self.ndim}d)"


@dataclass(frozen=True)
class ListOf(Type):
    """A list: ``reflected list(T)`` or, with `typed`, a ``numba.typed.List`` (``ListType[T]``).
    `item` is None for an empty display whose element type nothing gives."""

    item: Type | None
    typed: bool = False

    def describe(self) -> str:
        item = "undefined" if self.item is None else self.item.describe()
        return f"ListType[{item}]" if self.typed else f"list({item})"


@dataclass(frozen=True)
class SetOf(Type):
    item: Type | None

    def describe(self) -> str:
        return f"set({'undefined' if self.item is None else self.item.describe()})"


@dataclass(frozen=True)
class DictOf(Type):
    """A dict (`typed`: a ``numba.typed.Dict``); key and value None where nothing gives them."""

    key: Type | None
    value: Type | None
    typed: bool = False

    def describe(self) -> str:
        key = "undefined" if self.key is None else self.key.describe()
        value = "undefined" if self.value is None else self.value.describe()
        return f"DictType[{key}, {value}]" if self.typed else f"dict({key}, {value})"


@dataclass(frozen=True)
class Tuple(Type):
    """A tuple of known length; `name` for a named tuple."""

    items: tuple[Type, ...]
    name: str | None = None

    def describe(self) -> str:
        inner = ", ".join(t.describe() for t in self.items)
        if self.name:
            return f"{self.name}({inner})"
        return f"({inner},)" if len(self.items) == 1 else f"({inner})"


@dataclass(frozen=True)
class Literal(Type):
    """Numba's literal types (``IntegerLiteral``, ``StringLiteral``, ``BooleanLiteral``...): a
    value known when the function is compiled, whose type once unified with others is `type`
    (UNKNOWN where not worked out). A plain type leaves the question open: `Str()` may be a
    literal or not. What needs a literal asks for one: the shape of a CUDA local or shared
    array must be an ``IntegerLiteral`` (or a tuple of them), and ``float("1.5")`` compiles
    since 0.60 where ``float(s)`` of a run-time str does not."""

    type: Type

    def describe(self) -> str:
        return f"Literal[{self.type.describe()}]"


@dataclass(frozen=True)
class NonLiteral(Type):
    """A value of `type` that is certainly no literal: computed when the function runs (a
    kernel's parameter, a thread index, `2 * N`, which Numba does not fold, ``str(x)``)."""

    type: Type

    def describe(self) -> str:
        return self.type.describe()


def unliteral(t: Type) -> Type:
    """The type without its literalness, as Numba's ``types.unliteral``."""
    return t.type if isinstance(t, (Literal, NonLiteral)) else t


@dataclass(frozen=True)
class Iterator(Type):
    """An iterator a builtin builds: `kind` is "range" (Numba's ``range_state64``), "zip",
    "enumerate", "map" or "filter"."""

    kind: str

    def describe(self) -> str:
        return "range_state64" if self.kind == "range" else self.kind


@dataclass(frozen=True)
class Callable(Type):
    """A function, a Numba dispatcher, a jitclass or a class: what `name` (qualified) names.
    `kind` is one of "function", "dispatcher", "jitclass", "class", "builtin"."""

    name: str
    kind: str

    def describe(self) -> str:
        return f"{self.kind} {self.name}"


@dataclass(frozen=True)
class Instance(Type):
    """An instance of the jitclass or class `name`."""

    name: str
    jitclass: bool

    def describe(self) -> str:
        return f"{'jitclass ' if self.jitclass else ''}instance of {self.name}"


@dataclass(frozen=True)
class Module(Type):
    name: str

    def describe(self) -> str:
        return f"module {self.name}"


@dataclass(frozen=True)
class Opaque(Type):
    """A value of a type that the source does not give, but that is none of the layer's
    containers, strings or arrays: what calling a function or class that is not NumPy's gives
    (`scipy.special.gamma(x)`, `Point(1, 2)`, a function of the module). The NumPy rules take
    it for "certainly not an ndarray" (`x = helper(); x.sum()` is not judged as ndarray code),
    as they always have. `origin` names what gave it. Never `known`; unifies to `UNKNOWN`."""

    origin: str

    def describe(self) -> str:
        return f"the result of {self.origin}"


def known(t: Type | None) -> bool:
    """Whether nothing in `t` is unknown (an undefined element type counts as known)."""
    if t is None:
        return True
    if isinstance(t, (Unknown, Refused, Opaque)):
        return False
    if isinstance(t, (Optional, Literal, NonLiteral)):
        return known(t.type)
    if isinstance(t, Array):
        return known(t.dtype) and t.ndim is not None
    if isinstance(t, (ListOf, SetOf)):
        return known(t.item)
    if isinstance(t, DictOf):
        return known(t.key) and known(t.value)
    if isinstance(t, Tuple):
        return all(known(i) for i in t.items)
    return True


def differ(a: Type, b: Type) -> bool:
    """Whether values of `a` and of `b` certainly have different Numba types, as ``typeof``
    gives them to the items of a list Python passes in (which must all have one type: "can't
    unbox heterogeneous list: int64 != float64"). Unknown parts, and the layouts of arrays the
    lattice does not model, never differ."""
    a, b = unliteral(a), unliteral(b)
    if not (_comparable(a) and _comparable(b)):
        return False
    if type(a) is not type(b):
        return True
    if isinstance(a, Scalar):
        return a != b
    if isinstance(a, Array):
        assert isinstance(b, Array)
        if isinstance(a.dtype, Scalar) and isinstance(b.dtype, Scalar) and a.dtype != b.dtype:
            return True
        return a.ndim is not None and b.ndim is not None and a.ndim != b.ndim
    if isinstance(a, Tuple):
        assert isinstance(b, Tuple)
        if a.name is not None or b.name is not None:
            return False
        if len(a.items) != len(b.items):
            return True
        return any(differ(x, y) for x, y in zip(a.items, b.items, strict=True))
    return False


def _comparable(t: Type) -> bool:
    """The types `differ` can tell apart: numbers, str, bytes, None, arrays and tuples."""
    return isinstance(t, (Scalar, Str, Bytes, NoneType, Array, Tuple)) and not (
        isinstance(t, Scalar) and t.kind == "other"
    )


def unify(a: Type, b: Type) -> Type:
    """The type of a variable that holds values of `a` and of `b`, as Numba unifies them:
    `REFUSED` where Numba cannot, `UNKNOWN` where the source does not say."""
    if isinstance(a, (Literal, NonLiteral)) or isinstance(b, (Literal, NonLiteral)):
        # Literals unify as their types (IntegerLiteral(1) and (2) give int64), and with a
        # run-time value give a run-time value; two literals may be one value, so the answer
        # leaves the literalness open.
        found = unify(unliteral(a), unliteral(b))
        runtime = isinstance(a, NonLiteral) or isinstance(b, NonLiteral)
        return NonLiteral(found) if runtime and found not in (UNKNOWN, REFUSED) else found
    if a == b:
        return a
    if isinstance(a, Unknown) or isinstance(b, Unknown):
        return UNKNOWN
    if isinstance(a, Refused) or isinstance(b, Refused):
        return REFUSED
    # None makes an Optional of anything but None (checked: `a = None; a = np.zeros(3)`).
    if isinstance(a, NoneType):
        return b if isinstance(b, Optional) else Optional(b)
    if isinstance(b, NoneType):
        return a if isinstance(a, Optional) else Optional(a)
    if isinstance(a, Optional) or isinstance(b, Optional):
        inner = unify(_strip(a), _strip(b))
        return inner if isinstance(inner, (Unknown, Refused)) else Optional(inner)
    if isinstance(a, Scalar) and isinstance(b, Scalar):
        return _unify_numbers(a, b)
    if type(a) is not type(b):
        # A number and a str, an array and a scalar, a reflected and a typed list... each
        # combination here was refused when compiled.
        if _opaque(a) or _opaque(b):
            return UNKNOWN
        return REFUSED
    if isinstance(a, Array):
        assert isinstance(b, Array)
        if a.ndim is not None and b.ndim is not None and a.ndim != b.ndim:
            return REFUSED
        dtype = a.dtype if a.dtype == b.dtype else UNKNOWN
        if isinstance(a.dtype, Scalar) and isinstance(b.dtype, Scalar) and a.dtype != b.dtype:
            return REFUSED  # array(int64) and array(float64) do not unify
        ndim = a.ndim if a.ndim == b.ndim else None
        return Array(dtype, ndim)
    if isinstance(a, Tuple):
        assert isinstance(b, Tuple)
        if a.name != b.name:
            return UNKNOWN
        if len(a.items) != len(b.items):
            return REFUSED
        items = tuple(unify(x, y) for x, y in zip(a.items, b.items, strict=True))
        if any(isinstance(i, Refused) for i in items):
            return REFUSED
        return Tuple(items, a.name)
    if isinstance(a, ListOf):
        assert isinstance(b, ListOf)
        if a.typed != b.typed:
            return REFUSED
        return _same_items(a.item, b.item, lambda item: ListOf(item, a.typed))
    # Sets and dicts of different element types: not checked, so not claimed.
    return UNKNOWN


def unify_all(types: Iterable[Type]) -> Type | None:
    """`unify` folded over `types` (None for none): one type, `REFUSED` or `UNKNOWN`."""
    found: Type | None = None
    for each in types:
        found = each if found is None else unify(found, each)
    return found


def converts_safely(value: Type, to: Type) -> bool:
    """Whether Numba casts a `value` to `to` without a conversion it calls unsafe: the same
    type, or a number up the tower (bool < int < float < complex) among the wide scalars."""
    if value == to:
        return True
    if isinstance(value, Scalar) and isinstance(to, Scalar) and {value, to} <= _WIDE:
        return NUMERIC_RANK[value.kind] <= NUMERIC_RANK[to.kind]
    return False


def short_name(t: Type) -> str:
    """The word a message uses for a type: Python's name of the kind of value (``int`` for
    int64, ``bool`` for boolean, ``str``, ``bytes``, ``None``), else Numba's own name."""
    if isinstance(t, Scalar) and t in _WIDE:
        return t.kind
    return t.describe()


def phrase(t: Type) -> str:
    """The words a message uses for a value of a type: "a str literal", "a list", "bytes"."""
    if isinstance(t, Literal) and isinstance(t.type, Str):
        return "a str literal"
    if isinstance(t, NonLiteral) and isinstance(t.type, Str):
        return "a str built at run time"
    if isinstance(t, Str):
        return "a str"
    if isinstance(t, Bytes):
        return "bytes"
    if isinstance(t, ListOf):
        return "a typed List" if t.typed else "a list"
    if isinstance(t, SetOf):
        return "a set"
    if isinstance(t, DictOf):
        return "a typed Dict" if t.typed else "a dict"
    if isinstance(t, Array):
        return "a NumPy array"
    if isinstance(t, Iterator):
        return "an iterator"
    return t.describe()


def short_names(types: Iterable[Type]) -> str:
    """`short_name` of each type, once each, in order: "str, int"."""
    seen: list[str] = []
    for each in types:
        name = short_name(each)
        if name not in seen:
            seen.append(name)
    return ", ".join(seen)


def _strip(t: Type) -> Type:
    return t.type if isinstance(t, Optional) else t


def _opaque(t: Type) -> bool:
    """Types whose unification with a different kind of type has not been checked."""
    return isinstance(t, (Callable, Instance, Module, Opaque))


def _unify_numbers(a: Scalar, b: Scalar) -> Type:
    ka, kb = a.kind, b.kind
    if "other" in (ka, kb):
        return UNKNOWN
    if {a, b} == {UINT64, INT64}:
        # Numba has no integer type for both (checked by compiling, 0.57 to 0.68): float64,
        # which loses integers past 2**53.
        return FLOAT64
    if a not in _WIDE or b not in _WIDE:
        return UNKNOWN  # the narrower widths follow NumPy's promotion: nothing needs them
    return a if NUMERIC_RANK[ka] >= NUMERIC_RANK[kb] else b


def _same_items(a: Type | None, b: Type | None, build: object) -> Type:
    """Containers unify only when their element types are the same (list(int64) and
    list(float64) were refused); an undefined or unknown element leaves it unknown."""
    if a is None or b is None:
        return UNKNOWN
    if not (known(a) and known(b)):
        return UNKNOWN
    if a == b:
        return build(a)  # type: ignore[operator, no-any-return]
    return REFUSED
