"""What a value in compiled code provably is, from the source alone: a str, bytes, a list...

The answer is a type of the layer's lattice (`semantic.types`), of which only the outer kind is
worked out (`ListOf(UNKNOWN)` for a list), or `UNKNOWN`. Only what the syntax proves counts: a
literal, a call that always builds that kind of value, or a name every binding of which is one
of those. Parameters, loop variables, attributes and anything imported are unknown, and the
rules that use this stay silent on unknown values. Numba types a str that the source spells
as a literal (or a name bound once to one) as ``Literal[str]``, which a few operations accept
where a run-time ``unicode_type`` is refused (``float("1.5")`` since 0.60), so a str says how
literal it is: `Literal(Str())`, `NonLiteral(Str())` when built at run time, `Str()` for either.

What builds which value is the layer's knowledge (`semantic.infer.ARRAY_CONSTRUCTORS`,
`STR_RETURNING_METHODS`, `BUILTIN_VALUES`...). What stays here is how this family reads a name:
over every binding in its scope, not along the flow.
"""

from __future__ import annotations

import ast

from numba_check.module_context import ModuleContext
from numba_check.semantic import types as t
from numba_check.semantic.bindings import How, TypedBinding
from numba_check.semantic.infer import (
    ARRAY_CONSTRUCTORS,
    BUILTIN_VALUES,
    SOME_ARRAY,
    STR_RETURNING_METHODS,
    STR_SPLITTING_METHODS,
)

LITERAL_STR = t.Literal(t.Str())
RUNTIME_STR = t.NonLiteral(t.Str())
SOME_STR = t.Str()  # literal or not: Numba may or may not keep it as Literal[str]
SOME_LIST = t.ListOf(t.UNKNOWN)


def value_type(module: ModuleContext, node: ast.expr) -> t.Type:
    """What `node` provably evaluates to, or `UNKNOWN` when the source does not say."""
    return _type(module, node, frozenset())


def is_str(module: ModuleContext, node: ast.expr) -> bool:
    return str_type(value_type(module, node))


def str_type(found: t.Type) -> bool:
    """A str, literal or not."""
    return isinstance(t.unliteral(found), t.Str)


def is_runtime_str(found: t.Type) -> bool:
    """A str that is certainly no literal (``unicode_type``)."""
    return found == RUNTIME_STR


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


def _same_kind(a: t.Type, b: t.Type) -> bool:
    """Whether two answers are the same kind of value (a list and a list of str are)."""
    return type(a) is type(b)


def _strs(found: list[t.Type]) -> t.Type:
    """Strings met together: a run-time str if one of them is, else a str, literal or not."""
    return RUNTIME_STR if any(is_runtime_str(f) for f in found) else SOME_STR


def _type(module: ModuleContext, node: ast.expr, seen: frozenset[int]) -> t.Type:
    if isinstance(node, ast.Constant):
        # `ast` joins implicitly concatenated literals into one Constant (bytes join only bytes).
        if type(node.value) is bytes:
            return t.Bytes()
        return LITERAL_STR if type(node.value) is str else t.UNKNOWN
    if isinstance(node, ast.JoinedStr):
        # An f-string, joined with any literals concatenated to it: a run-time str if one of
        # its parts has a field.
        fields = any(isinstance(p, ast.FormattedValue) for p in node.values)
        return RUNTIME_STR if fields else LITERAL_STR
    if isinstance(node, (ast.List, ast.ListComp)):
        return SOME_LIST
    if isinstance(node, (ast.Set, ast.SetComp)):
        return t.SetOf(t.UNKNOWN)
    if isinstance(node, (ast.Dict, ast.DictComp)):
        return t.DictOf(t.UNKNOWN, t.UNKNOWN)
    if isinstance(node, ast.Name):
        return _name_type(module, node, seen)
    if isinstance(node, ast.Call):
        return _call_type(module, node, seen)
    if isinstance(node, ast.Subscript):
        return _subscript_type(module, node, seen)
    if isinstance(node, ast.BinOp):
        return _binary_type(module, node, seen)
    if isinstance(node, ast.IfExp):
        body, orelse = _type(module, node.body, seen), _type(module, node.orelse, seen)
        if str_type(body) and str_type(orelse):
            both = is_runtime_str(body) and is_runtime_str(orelse)
            return RUNTIME_STR if both else SOME_STR
        return body if _same_kind(body, orelse) else t.UNKNOWN
    return t.UNKNOWN


def _call_type(module: ModuleContext, node: ast.Call, seen: frozenset[int]) -> t.Type:
    for name in module.semantic.builtin_names(node.func):
        found = BUILTIN_VALUES.get(name)
        if found is not None and (node.args or node.keywords or not str_type(found)):
            return found
    if module.qualified_names(node.func) & ARRAY_CONSTRUCTORS:
        return SOME_ARRAY
    func = node.func
    if isinstance(func, ast.Attribute) and str_type(_type(module, func.value, seen)):
        method = func.attr
        if method in STR_RETURNING_METHODS:
            return RUNTIME_STR
        if method in STR_SPLITTING_METHODS:
            return t.ListOf(RUNTIME_STR)
    return t.UNKNOWN


def _subscript_type(module: ModuleContext, node: ast.Subscript, seen: frozenset[int]) -> t.Type:
    base = _type(module, node.value, seen)
    if str_type(base):
        return SOME_STR  # `"12"[0]` stays a literal on recent Numba
    value = node.value
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in STR_SPLITTING_METHODS
        and str_type(_type(module, value.func.value, seen))
        and not _has_slice(node.slice)
    ):
        return RUNTIME_STR  # an item of `s.split(",")`
    return t.UNKNOWN


def _has_slice(index: ast.expr) -> bool:
    """Whether a subscript's index has a slice in it (`a[1:]`, `a[1:, 0]`), not just items."""
    if isinstance(index, ast.Slice):
        return True
    return isinstance(index, ast.Tuple) and any(isinstance(e, ast.Slice) for e in index.elts)


def _binary_type(module: ModuleContext, node: ast.BinOp, seen: frozenset[int]) -> t.Type:
    left, right = _type(module, node.left, seen), _type(module, node.right, seen)
    if isinstance(node.op, ast.Add):
        if str_type(left) and str_type(right):
            return _strs([left, right])
        if isinstance(left, t.ListOf) and isinstance(right, t.ListOf):
            return SOME_LIST
    elif isinstance(node.op, ast.Mult):
        # `"ab" * n` is a str and `[0] * n` a list whatever `n` is (or the code fails anyway).
        for side in (left, right):
            if str_type(side):
                return SOME_STR
            if isinstance(side, t.ListOf):
                return SOME_LIST
    return t.UNKNOWN


def _name_type(module: ModuleContext, node: ast.Name, seen: frozenset[int]) -> t.Type:
    bindings = _name_bindings(module, node)
    if not bindings:
        return t.UNKNOWN
    found: list[t.Type] = []
    for op, value in bindings:
        if op == "for" or id(value) in seen:
            return t.UNKNOWN
        each = _type(module, value, seen | {id(value)})
        if op == "+=":
            if str_type(each):
                each = RUNTIME_STR
            elif not isinstance(each, t.ListOf):
                each = t.UNKNOWN
        if each is t.UNKNOWN:
            return t.UNKNOWN
        found.append(each)
    if all(str_type(f) for f in found):
        return found[0] if len(found) == 1 else _strs(found)
    return found[0] if all(_same_kind(f, found[0]) for f in found) else t.UNKNOWN


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
