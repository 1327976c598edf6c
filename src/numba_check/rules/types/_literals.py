"""What the types rules share: the Numba type of a literal, whether Numba unifies a set of them,
and name resolution through the module's scope analysis (`names`).

Only literals whose Numba type is certain get a kind; anything else is None, and a rule that
meets a None stays silent.
"""

from __future__ import annotations

import ast
import enum
from collections.abc import Iterable, Iterator, Mapping

from numba_check import matching as m
from numba_check.module_context import ModuleContext
from numba_check.names import Binding
from numba_check.semantic import types as t

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

FUNCTION_LIKE = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


class Kind(str, enum.Enum):
    """The Numba type a literal gets (int64, float64, complex128, boolean, unicode, bytes, none)."""

    BOOL = "bool"
    INT = "int"
    FLOAT = "float"
    COMPLEX = "complex"
    STR = "str"
    BYTES = "bytes"
    NONE = "None"


# The numeric tower: a value converts safely to any kind at or above its own rank.
NUMERIC_RANK: Mapping[Kind, int] = {Kind.BOOL: 0, Kind.INT: 1, Kind.FLOAT: 2, Kind.COMPLEX: 3}


def literal_kind(node: ast.AST) -> Kind | None:
    """The kind of a literal (`1`, `-2.5`, `1j`, `True`, `'a'`, `b'a'`, `None`), else None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = node.operand
        if not isinstance(inner, ast.Constant):
            return None
        value = inner.value
        if type(value) is int:
            value = -value if isinstance(node.op, ast.USub) else value
            return Kind.INT if INT64_MIN <= value <= INT64_MAX else None
        if type(value) in (float, complex):
            return literal_kind(inner)
        return None  # `-True`, `-'a'`
    if isinstance(node, ast.Constant):
        value = node.value
        if value is True or value is False:
            return Kind.BOOL
        if value is None:
            return Kind.NONE
        if type(value) is int:
            # Larger ints are typed uint64 or refused: not an int64 either way.
            return Kind.INT if value <= INT64_MAX else None
        if type(value) is float:
            return Kind.FLOAT
        if type(value) is complex:
            return Kind.COMPLEX
        if type(value) is str:
            return Kind.STR
        if type(value) is bytes:
            return Kind.BYTES
        return None  # `...`
    if isinstance(node, ast.JoinedStr):
        # An f-string is a str whenever Numba compiles it at all.
        return Kind.STR
    return None


# Each kind as the layer's type lattice has it.
LATTICE: Mapping[Kind, t.Type] = {
    Kind.BOOL: t.BOOLEAN,
    Kind.INT: t.INT64,
    Kind.FLOAT: t.FLOAT64,
    Kind.COMPLEX: t.COMPLEX128,
    Kind.STR: t.Str(),
    Kind.BYTES: t.Bytes(),
    Kind.NONE: t.NONE,
}


def unifies(kinds: Iterable[Kind]) -> bool:
    """Whether Numba's `unify_types` finds one type for values of these kinds, as the layer
    unifies them (`semantic.types.unify`): numbers unify up the tower (`[1, 2.5]` is a list
    of float64), None makes an Optional of anything, and str, bytes and numbers never mix."""
    found: t.Type | None = None
    for kind in kinds:
        found = LATTICE[kind] if found is None else t.unify(found, LATTICE[kind])
    return found is not t.REFUSED


def safely_converts(value: Kind, to: Kind) -> bool:
    """Whether Numba casts `value` to `to` without a conversion it calls unsafe."""
    if value is to:
        return True
    if value in NUMERIC_RANK and to in NUMERIC_RANK:
        return NUMERIC_RANK[value] <= NUMERIC_RANK[to]
    return False


def describe(kinds: Iterable[Kind]) -> str:
    seen: list[str] = []
    for kind in kinds:
        if kind.value not in seen:
            seen.append(kind.value)
    return ", ".join(seen)


def names_in(node: ast.AST) -> Iterator[ast.Name]:
    """Every Name under `node`, `node` included, outside nested functions and lambdas."""
    for found in _names_in(node, constants=False):
        assert isinstance(found, ast.Name)
        yield found


def names_and_constants_in(node: ast.AST) -> Iterator[ast.Name | ast.Constant]:
    """`names_in`, with the `True`, `False` and `None` literals among them, in source order
    (libcst, which this was written for, parsed those three as names)."""
    return _names_in(node, constants=True)  # type: ignore[return-value]


def _names_in(node: ast.AST, *, constants: bool) -> Iterator[ast.AST]:
    # An explicit stack: a 250-term sum is 250 levels of BinOp.
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Name):
            yield current
            continue
        if constants and isinstance(current, ast.Constant):
            if current.value is None or current.value is True or current.value is False:
                yield current
            continue
        if isinstance(current, FUNCTION_LIKE):
            continue
        if isinstance(current, ast.Attribute):
            stack.append(current.value)  # `a.b`: `b` is no variable
            continue
        kids = m.children(current)
        kids.reverse()
        stack.extend(kids)


def required_parameter(arguments: ast.arguments, param: ast.arg) -> bool:
    """Whether `param` is a plain or keyword-only parameter without a default (positional-only
    ones and `*args`/`**kwargs` are not counted)."""
    positional = [*arguments.posonlyargs, *arguments.args]
    first_default = len(positional) - len(arguments.defaults)
    for index, arg in enumerate(positional):
        if arg is param:
            return len(arguments.posonlyargs) <= index < first_default
    for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
        if arg is param:
            return default is None
    return False


def own_bindings(module: ModuleContext, name: ast.Name, function: ast.AST) -> list[Binding] | None:
    """The bindings of `name` in `function`'s own scope, when
    `name` is read or bound directly in that scope; else None.

    A name declared ``global``/``nonlocal`` there has none: its bindings belong to the scope
    the declaration names.
    """
    scope = module.names.scope_of(name)
    if scope is None or scope.kind != "function" or scope.node is not function:
        return None
    return list(scope.assignments.get(name.id, ()))


def references(module: ModuleContext, binding: Binding, root: ast.AST) -> list[ast.Name]:
    """The names under `root` that read (or ``del``) what `binding` binds, in source order:
    those whose referents (`Names.referents`, Python's scoping) include it."""
    names = module.names
    out: list[ast.Name] = []
    for found in m.findall(root, m.Name(binding.name)):
        assert isinstance(found, ast.Name)
        if any(b is binding for b in names.referents(found)):  # empty unless it is a read
            out.append(found)
    return out
