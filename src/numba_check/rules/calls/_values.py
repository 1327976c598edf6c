"""What a value in compiled code provably is, from the source alone: a str, bytes, a list...

Only what the syntax proves counts: a literal, a call that always builds that kind of value, or
a name every binding of which is one of those. Parameters, loop variables, attributes and
anything imported are unknown (None), and the rules that use this stay silent on unknown values.
Numba types a str that the source spells as a literal (or a name bound once to one) as
``Literal[str]``, which a few operations accept where a run-time ``unicode_type`` is refused
(``float("1.5")`` since 0.60), so str values carry how literal they are.
"""

from __future__ import annotations

import ast
import enum
from collections.abc import Mapping

from numba_check.module_context import ModuleContext
from numba_check.semantic.bindings import How, TypedBinding


class Kind(enum.Enum):
    LITERAL_STR = "a str literal"
    STR = "a str"  # literal or not: Numba may or may not keep it as Literal[str]
    RUNTIME_STR = "a str built at run time"
    BYTES = "bytes"
    LIST = "a list"
    SET = "a set"
    DICT = "a dict"
    ARRAY = "a NumPy array"
    ITERATOR = "an iterator"


STR_KINDS = frozenset({Kind.LITERAL_STR, Kind.STR, Kind.RUNTIME_STR})

# str methods that return a new str, which Numba types as unicode_type (never a literal).
STR_RETURNING_METHODS = frozenset(
    {
        "capitalize",
        "casefold",
        "center",
        "expandtabs",
        "join",
        "ljust",
        "lower",
        "lstrip",
        "replace",
        "rjust",
        "rstrip",
        "strip",
        "swapcase",
        "title",
        "upper",
        "zfill",
    }
)
STR_SPLITTING_METHODS = frozenset({"split", "rsplit", "splitlines"})

BUILTIN_CALL_KINDS: Mapping[str, Kind] = {
    "builtins.str": Kind.RUNTIME_STR,
    "builtins.repr": Kind.RUNTIME_STR,
    "builtins.chr": Kind.RUNTIME_STR,
    "builtins.list": Kind.LIST,
    "builtins.sorted": Kind.LIST,
    "builtins.set": Kind.SET,
    "builtins.dict": Kind.DICT,
    "builtins.range": Kind.ITERATOR,
    "builtins.zip": Kind.ITERATOR,
    "builtins.enumerate": Kind.ITERATOR,
    "builtins.map": Kind.ITERATOR,
    "builtins.filter": Kind.ITERATOR,
}
ARRAY_CONSTRUCTORS = frozenset(
    f"numpy.{name}"
    for name in (
        "array",
        "asarray",
        "ascontiguousarray",
        "zeros",
        "ones",
        "empty",
        "full",
        "zeros_like",
        "ones_like",
        "empty_like",
        "full_like",
        "arange",
        "linspace",
        "eye",
        "identity",
        "copy",
    )
)


def kind_of(module: ModuleContext, node: ast.expr) -> Kind | None:
    """What `node` provably evaluates to, or None when the source does not say."""
    return _kind(module, node, frozenset())


def is_str(module: ModuleContext, node: ast.expr) -> bool:
    return kind_of(module, node) in STR_KINDS


LITERAL_UNROLL = frozenset({"numba.literal_unroll", "numba.misc.literal.literal_unroll"})


def is_loop_variable(module: ModuleContext, node: ast.expr) -> bool:
    """Whether `node` is a name bound only as a `for` or comprehension target.

    A loop over ``literal_unroll(...)`` does not count: its variable may stay a literal.
    """
    bindings = _name_bindings(module, node) if isinstance(node, ast.Name) else None
    if not bindings:
        return False
    for op, iterable in bindings:
        if op != "for" or iterable is None:
            return False
        if (
            isinstance(iterable, ast.Call)
            and module.qualified_names(iterable.func) & LITERAL_UNROLL
        ):
            return False
    return True


def _kind(module: ModuleContext, node: ast.expr, seen: frozenset[int]) -> Kind | None:
    if isinstance(node, ast.Constant):
        # `ast` joins implicitly concatenated literals into one Constant (bytes join only bytes).
        if type(node.value) is bytes:
            return Kind.BYTES
        return Kind.LITERAL_STR if type(node.value) is str else None
    if isinstance(node, ast.JoinedStr):
        # An f-string, joined with any literals concatenated to it: a run-time str if one of
        # its parts has a field.
        fields = any(isinstance(p, ast.FormattedValue) for p in node.values)
        return Kind.RUNTIME_STR if fields else Kind.LITERAL_STR
    if isinstance(node, (ast.List, ast.ListComp)):
        return Kind.LIST
    if isinstance(node, (ast.Set, ast.SetComp)):
        return Kind.SET
    if isinstance(node, (ast.Dict, ast.DictComp)):
        return Kind.DICT
    if isinstance(node, ast.Name):
        return _name_kind(module, node, seen)
    if isinstance(node, ast.Call):
        return _call_kind(module, node, seen)
    if isinstance(node, ast.Subscript):
        return _subscript_kind(module, node, seen)
    if isinstance(node, ast.BinOp):
        return _binary_kind(module, node, seen)
    if isinstance(node, ast.IfExp):
        body, orelse = _kind(module, node.body, seen), _kind(module, node.orelse, seen)
        if body in STR_KINDS and orelse in STR_KINDS:
            return Kind.RUNTIME_STR if body is orelse is Kind.RUNTIME_STR else Kind.STR
        return body if body is orelse else None
    return None


def _call_kind(module: ModuleContext, node: ast.Call, seen: frozenset[int]) -> Kind | None:
    for name in module.semantic.builtin_names(node.func):
        kind = BUILTIN_CALL_KINDS.get(name)
        if kind is not None and (node.args or node.keywords or kind not in STR_KINDS):
            return kind
    if module.qualified_names(node.func) & ARRAY_CONSTRUCTORS:
        return Kind.ARRAY
    func = node.func
    if isinstance(func, ast.Attribute) and _kind(module, func.value, seen) in STR_KINDS:
        method = func.attr
        if method in STR_RETURNING_METHODS:
            return Kind.RUNTIME_STR
        if method in STR_SPLITTING_METHODS:
            return Kind.LIST
    return None


def _subscript_kind(
    module: ModuleContext, node: ast.Subscript, seen: frozenset[int]
) -> Kind | None:
    base = _kind(module, node.value, seen)
    if base in STR_KINDS:
        return Kind.STR  # `"12"[0]` stays a literal on recent Numba
    value = node.value
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in STR_SPLITTING_METHODS
        and _kind(module, value.func.value, seen) in STR_KINDS
        and not _has_slice(node.slice)
    ):
        return Kind.RUNTIME_STR  # an item of `s.split(",")`
    return None


def _has_slice(index: ast.expr) -> bool:
    """Whether a subscript's index has a slice in it (`a[1:]`, `a[1:, 0]`), not just items."""
    if isinstance(index, ast.Slice):
        return True
    return isinstance(index, ast.Tuple) and any(isinstance(e, ast.Slice) for e in index.elts)


def _binary_kind(module: ModuleContext, node: ast.BinOp, seen: frozenset[int]) -> Kind | None:
    left, right = _kind(module, node.left, seen), _kind(module, node.right, seen)
    if isinstance(node.op, ast.Add):
        if left in STR_KINDS and right in STR_KINDS:
            return Kind.RUNTIME_STR if Kind.RUNTIME_STR in (left, right) else Kind.STR
        if left is right is Kind.LIST:
            return Kind.LIST
    elif isinstance(node.op, ast.Mult):
        # `"ab" * n` is a str and `[0] * n` a list whatever `n` is (or the code fails anyway).
        for side in (left, right):
            if side in STR_KINDS:
                return Kind.STR
            if side is Kind.LIST:
                return Kind.LIST
    return None


def _name_kind(module: ModuleContext, node: ast.Name, seen: frozenset[int]) -> Kind | None:
    bindings = _name_bindings(module, node)
    if not bindings:
        return None
    kinds: list[Kind] = []
    for op, value in bindings:
        if op == "for" or id(value) in seen:
            return None
        kind = _kind(module, value, seen | {id(value)})
        if op == "+=":
            kind = Kind.RUNTIME_STR if kind in STR_KINDS else kind if kind is Kind.LIST else None
        if kind is None:
            return None
        kinds.append(kind)
    if all(k in STR_KINDS for k in kinds):
        if len(kinds) == 1:
            return kinds[0]
        return Kind.RUNTIME_STR if Kind.RUNTIME_STR in kinds else Kind.STR
    return kinds[0] if len(set(kinds)) == 1 else None


def _name_bindings(module: ModuleContext, node: ast.Name) -> list[_Binding] | None:
    """How each binding of `node` in its scope assigns it, or None if one is of another form:
    ``("=", value)`` for a plain (annotated, chained) assignment of the name itself, ``("+=",
    value)``, ``("for", iterable)`` for a loop or comprehension whose target is the name."""
    scope = module.names.scope_of(node)
    if scope is None:
        return None
    assignments = scope[node.id]
    if not assignments:
        return None  # a name bound nowhere in this module
    semantic = module.semantic
    out = []
    for assignment in assignments:
        typed = semantic.typed(assignment)
        binding = _simple(typed) if typed is not None else None
        if binding is None:
            return None  # a builtin, a parameter, an unpacking, an import, a with target...
        out.append(binding)
    return out


# How a name is bound, with the value; any other form makes the name unknown.
_Binding = tuple[str, ast.expr]


def _simple(typed: TypedBinding) -> _Binding | None:
    if typed.how is How.ASSIGN and typed.value is not None:
        return ("=", typed.value)
    if typed.how is How.AUGMENT and isinstance(typed.op, ast.Add) and typed.value is not None:
        return ("+=", typed.value)
    if typed.how is How.LOOP and typed.statement.target is typed.node:  # type: ignore[attr-defined]
        return ("for", typed.value)  # type: ignore[return-value]
    return None
