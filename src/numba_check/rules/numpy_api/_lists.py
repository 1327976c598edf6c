"""Turning a list display into the tuple Numba wants, for the NumPy argument rules."""

from __future__ import annotations

import ast
import re

from numba_check.module_context import ModuleContext

# What may follow the lone item of a list display before its `]`: the item's closing
# parentheses, a comma, comments (which may hold either), blanks and line breaks.
_CLOSING = re.compile(r"#[^\r\n]*|[,)]")


def _item(element: ast.expr) -> ast.expr:
    """`x` for the item `*x`, else the item."""
    return element.value if isinstance(element, ast.Starred) else element


def tuple_text(module: ModuleContext, node: ast.List) -> str:
    """How the list's items read as a tuple display, for messages: `(a, b)`, `(a,)`."""
    items = ", ".join(module.quote(_item(e)) for e in node.elts)
    return f"({items},)" if len(node.elts) == 1 else f"({items})"


def as_tuple(module: ModuleContext, node: ast.List) -> str:
    """The source of the list display turned into a tuple display, as written otherwise:
    the brackets become parentheses, and a single item gets its comma."""
    text = module.code_for(node)
    if len(node.elts) != 1:
        return f"({text[1:-1]})"
    # The code after the lone item, as written (the parentheses around the item are part of
    # it: `ast` leaves them out of the item's node).
    rest = module.code_for(module.at(module.span(_item(node.elts[0]))[1], module.span(node)[1]))
    item_end = 0
    for found in _CLOSING.finditer(rest):
        if found.group() == ",":
            return f"({text[1:-1]})"  # a trailing comma: `[n,]`
        if found.group() == ")":
            item_end = found.end()
    split = len(text) - len(rest) + item_end
    return f"({text[1:split]},{text[split:-1]})"
