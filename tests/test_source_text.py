"""What `ast` leaves out of a node, read back from the source: ModuleContext's text helpers."""

from __future__ import annotations

import ast

import pytest

from numba_check.model import Location
from numba_check.module_context import ModuleContext


def context(source: str) -> ModuleContext:
    return ModuleContext(ast.parse(source), source)


def first(ctx: ModuleContext, kind: type) -> ast.AST:
    return next(n for n in ast.walk(ctx.module) if isinstance(n, kind))


@pytest.mark.parametrize(
    ("source", "node", "quoted"),
    [
        ("y = (2**70)\n", "2**70", "(2**70)"),
        ("y = ((a + b))\n", "a + b", "((a + b))"),
        ("y = f((a + b))\n", "a + b", "(a + b)"),  # not the call's own parentheses
        ("y = f(a + b)\n", "a + b", "a + b"),
        ("y = not (q)\n", "q", "(q)"),
        ("y = f'{(i):>4}'\n", "i", "(i)"),  # inside an f-string: one token before 3.12
        ("with (lock):\n    pass\n", "lock", "lock"),  # the statement's parentheses
        ("match (t):\n    case 1:\n        pass\n", "t", "(t)"),
        (
            "def g():\n    return (\n        x +\n          y)\n",
            "x +\n          y",
            "(\n    x +\n      y)",
        ),
        ("y = (a +\r\n     b)\r\n", "a +\r\n     b", "(a +\n     b)"),
        # A backslash continues the line, keeping the next one's indentation; not in a comment.
        ("def g():\n    return f(n + \\\n        1)\n", "n + \\\n        1", "n + \\\n        1"),
        (
            "def g():\n    return f(n  # \\\n        + 1)\n",
            "n  # \\\n        + 1",
            "n  # \\\n    + 1",
        ),
    ],
)
def test_quote_keeps_the_parentheses_that_wrap_a_node(source, node, quoted):
    ctx = context(source)
    (found,) = [
        n for n in ast.walk(ctx.module) if isinstance(n, ast.expr) and ctx.code_for(n) == node
    ][:1]
    assert ctx.quote(found) == quoted


def test_code_for_is_the_exact_text():
    ctx = context("x = [1,\r\n  ñ]\r\ny = (2)\n")
    assert ctx.code_for(ctx.module.body[0].value) == "[1,\r\n  ñ]"
    assert ctx.code_for(ctx.module.body[1].value) == "2"


def test_name_of_a_def_and_a_class():
    ctx = context("@deco\nasync def  ñf(x):\n    pass\nclass  C:\n    pass\n")
    function, klass = ctx.module.body
    assert ctx.span(ctx.name_of(function)) == (Location(2, 11), Location(2, 13))
    assert ctx.span(ctx.name_of(klass)) == (Location(4, 7), Location(4, 8))


def test_field_of_an_f_string_is_braces_to_braces():
    ctx = context("y = (2**70) + f'{ (x) :>4}'\n")
    field = ctx.field_of(first(ctx, ast.FormattedValue))
    assert ctx.span(field) == (Location(1, 16), Location(1, 26))


def test_at_stands_for_characters_on_non_ascii_lines():
    ctx = context("ñ = 'ü' + b\n")
    node = ctx.at(Location(1, 10), Location(1, 11))
    assert ctx.span(node) == (Location(1, 10), Location(1, 11))
    assert ctx.code_for(node) == "b"
