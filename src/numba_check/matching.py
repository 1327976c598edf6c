"""Node patterns over libcst trees: ``m.Call(func=m.Name("len")) | m.Attribute()``,
``m.matches(node, pattern)``, ``m.findall(tree, pattern)``.

The subset of ``libcst.matchers`` numba-check uses, spelled the same way (a module imported
``as m``), for two reasons measured on this project: importing ``libcst.matchers`` costs about
0.4 s of CPU (it defines a matcher class for every field of every node type), most of the
start-up of a one-file run; and its ``findall`` runs libcst's visitor machinery, which rebuilds
every node it passes, where walking the fields directly is several times faster.

A pattern names a node class of ``libcst`` and constrains fields: a pattern, a list of patterns
(the sequence matches element by element), or a plain value compared with ``==``. Positional
arguments fill the node's fields in declaration order (``m.Name("x")`` is ``value="x"``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import libcst as cst

__all__ = ["Pattern", "findall", "matches", "walk"]

# Fields that only hold whitespace, comments and punctuation: no pattern looks inside them.
_SKIPPED_FIELDS = frozenset(
    {
        "leading_lines",
        "lines_after_decorators",
        "lpar",
        "rpar",
        "header",
        "footer",
        "trailing_whitespace",
        "comma",
        "semicolon",
        "colon",
        "dot",
        "equal",
        "lbracket",
        "rbracket",
        "lbrace",
        "rbrace",
        "newline",
    }
)
# Children in the order they appear in the source, where the declaration order differs.
_LEXICAL_ORDER: dict[type[cst.CSTNode], tuple[str, ...]] = {
    cst.FunctionDef: ("decorators", "asynchronous", "name", "params", "returns", "body"),
    cst.ClassDef: ("decorators", "name", "bases", "keywords", "body"),
    cst.IfExp: ("body", "test", "orelse"),
    cst.For: ("asynchronous", "target", "iter", "body", "orelse"),
    cst.With: ("asynchronous", "items", "body"),
    cst.CompFor: ("asynchronous", "target", "iter", "ifs", "inner_for_in"),
}
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    fields = _CHILD_FIELDS.get(cls)
    if fields is None:
        fields = _LEXICAL_ORDER.get(cls) or tuple(
            f.name
            for f in dataclasses.fields(cls)
            if f.name not in _SKIPPED_FIELDS and not f.name.startswith("whitespace")
        )
        _CHILD_FIELDS[cls] = fields
    return fields


def walk(tree: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """`tree` and every node under it, in source order (whitespace and punctuation left out)."""
    stack: list[cst.CSTNode] = [tree]
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        yield node
        children: list[cst.CSTNode] = []
        for name in _child_fields(type(node)):
            value = getattr(node, name)
            if isinstance(value, cst.CSTNode):
                children.append(value)
            elif isinstance(value, (tuple, list)):
                children.extend(v for v in value if isinstance(v, cst.CSTNode))
        for child in reversed(children):
            push(child)


class Pattern:
    """A node class and constraints on its fields; ``a | b`` matches either."""

    __slots__ = ("_alternatives",)

    def __init__(self, alternatives: tuple[tuple[type, dict[str, Any]], ...]) -> None:
        self._alternatives = alternatives

    def __or__(self, other: Pattern) -> Pattern:
        return Pattern(self._alternatives + other._alternatives)

    def matches(self, node: object) -> bool:
        for cls, fields in self._alternatives:
            if isinstance(node, cls) and all(
                _field_matches(getattr(node, name), want) for name, want in fields.items()
            ):
                return True
        return False

    def __repr__(self) -> str:
        return " | ".join(f"{cls.__name__}({fields})" for cls, fields in self._alternatives)


def _field_matches(value: object, want: object) -> bool:
    if isinstance(want, Pattern):
        return want.matches(value)
    if isinstance(want, (list, tuple)):
        return (
            isinstance(value, Sequence)
            and len(value) == len(want)
            and all(_field_matches(v, w) for v, w in zip(value, want, strict=True))
        )
    return bool(value == want)


def matches(node: object, pattern: Pattern) -> bool:
    return pattern.matches(node)


def findall(tree: cst.CSTNode, pattern: Pattern) -> list[cst.CSTNode]:
    """Every node of `tree` (itself included) that `pattern` matches, in source order."""
    return [node for node in walk(tree) if pattern.matches(node)]


def __getattr__(name: str) -> Callable[..., Pattern]:
    cls = getattr(cst, name, None)
    if not (isinstance(cls, type) and issubclass(cls, cst.CSTNode)):
        raise AttributeError(f"libcst has no node class {name!r}")
    positional = [f.name for f in dataclasses.fields(cls)]

    def pattern(*args: object, **fields: object) -> Pattern:
        fields.update(zip(positional, args, strict=False))
        return Pattern(((cls, fields),))

    pattern.__name__ = name
    return pattern
