"""What the types rules share: the Numba type of a literal, whether Numba unifies a set of them,
and name resolution through libcst's scope and qualified-name metadata.

Only literals whose Numba type is certain get a kind; anything else is None, and a rule that
meets a None stays silent.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping

import libcst as cst
from libcst.metadata import (
    Scope,
    ScopeProvider,
)

from numba_check import matching as m
from numba_check.module_context import ModuleContext

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


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


def literal_kind(node: cst.BaseExpression) -> Kind | None:
    """The kind of a literal (`1`, `-2.5`, `1j`, `True`, `'a'`, `b'a'`, `None`), else None."""
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
        inner = node.expression
        if isinstance(inner, cst.Integer):
            value = inner.evaluated_value
            value = -value if isinstance(node.operator, cst.Minus) else value
            return Kind.INT if INT64_MIN <= value <= INT64_MAX else None
        if isinstance(inner, (cst.Float, cst.Imaginary)):
            return literal_kind(inner)
        return None
    if isinstance(node, cst.Integer):
        # Larger ints are typed uint64 or refused: not an int64 either way.
        return Kind.INT if node.evaluated_value <= INT64_MAX else None
    if isinstance(node, cst.Float):
        return Kind.FLOAT
    if isinstance(node, cst.Imaginary):
        return Kind.COMPLEX
    if isinstance(node, cst.Name):
        return {"True": Kind.BOOL, "False": Kind.BOOL, "None": Kind.NONE}.get(node.value)
    if isinstance(node, cst.SimpleString):
        return Kind.BYTES if "b" in node.prefix.lower() else Kind.STR
    if isinstance(node, cst.ConcatenatedString):
        parts = {literal_kind(node.left), literal_kind(node.right)}
        return parts.pop() if len(parts) == 1 else None
    if isinstance(node, cst.FormattedString):
        # An f-string is a str whenever Numba compiles it at all.
        return Kind.STR if "b" not in node.prefix.lower() else None
    return None


def unifies(kinds: Iterable[Kind]) -> bool:
    """Whether Numba's `unify_types` finds one type for values of these kinds.

    Numbers unify up the tower (`[1, 2.5]` is a list of float64), None makes an Optional of
    anything, and str, bytes and numbers never mix (checked with `typing_context.unify_types`
    on 0.57.1 and 0.68.1).
    """
    rest = {k for k in kinds if k is not Kind.NONE}
    return rest <= NUMERIC_RANK.keys() or len(rest) <= 1


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


def scope_of(module: ModuleContext, node: cst.CSTNode) -> Scope | None:
    return module.wrapper.resolve(ScopeProvider).get(node)


def parents(root: cst.CSTNode) -> dict[cst.CSTNode, cst.CSTNode]:
    """Child -> parent for every node under `root`."""
    out: dict[cst.CSTNode, cst.CSTNode] = {}

    for node in m.walk(root):
        for child in m.children(node):
            out[child] = node
    return out


def names_in(node: cst.CSTNode) -> Iterator[cst.Name]:
    """Every Name under `node`, `node` included, outside nested functions and lambdas."""
    if isinstance(node, cst.Name):
        yield node
        return
    if isinstance(node, (cst.FunctionDef, cst.Lambda)):
        return
    if isinstance(node, cst.Attribute):
        yield from names_in(node.value)  # `a.b`: `b` is no variable
        return
    for child in m.children(node):
        yield from names_in(child)
