"""Reaching definitions: which bindings of a local name reach each of its reads."""

from __future__ import annotations

import ast
import textwrap

import pytest

from numba_check.module_context import ModuleContext


def reaching_lines(source: str, line: int, name: str) -> set[int] | None:
    """The lines of the bindings that reach the read of `name` on `line`."""
    source = textwrap.dedent(source)
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Name)
            and node.id == name
            and node.lineno == line
            and isinstance(node.ctx, ast.Load)
        ):
            found = ctx.semantic.reaching(node)
            return None if found is None else {b.node.lineno for b in found}
    raise AssertionError("no such read")


CASES = [
    # straight-line rebinding: only the last binding reaches
    ("def f(n):\n    a = 1\n    a = 2.5\n    return a\n", 4, "a", {3}),
    # both branches of an if reach the read after it
    ("def f(n):\n    a = 1\n    if n:\n        a = 2.5\n    return a\n", 5, "a", {2, 4}),
    # a loop carries its body's binding back to its head
    (
        "def f(n):\n    a = 1\n    for i in range(n):\n        a = a * 2\n    return a\n",
        4,
        "a",
        {2, 4},
    ),
    # a return ends a path: the binding before it does not reach past the if
    (
        "def f(n):\n    a = 1\n    if n:\n        a = 'x'\n        return 0\n    return a\n",
        6,
        "a",
        {2},
    ),
    # a parameter is a binding; `else` of a loop starts from its head
    (
        "def f(a):\n    while a:\n        a = a - 1\n    else:\n        b = a\n    return b\n",
        5,
        "a",
        {1, 3},
    ),
    # an augmented assignment reads the name it rebinds
    (
        "def f(n):\n    s = 0\n    for i in range(n):\n        s += 0.5\n    return s\n",
        6 - 1,
        "s",
        {2, 4},
    ),
    # a name global in the function is not a local: no answer
    ("G = 1\ndef f(n):\n    global G\n    G = n\n    return G\n", 5, "G", None),
]


@pytest.mark.parametrize(("source", "line", "name", "expected"), CASES)
def test_reaching_definitions(source: str, line: int, name: str, expected) -> None:
    assert reaching_lines(source, line, name) == expected
