"""Turning a list display into the tuple Numba wants, for the NumPy argument rules."""

from __future__ import annotations

import libcst as cst


def tuple_text(node: cst.List) -> str:
    """How the list's items read as a tuple display, for messages: `(a, b)`, `(a,)`."""
    items = ", ".join(cst.Module([]).code_for_node(e.value) for e in node.elements)
    return f"({items},)" if len(node.elements) == 1 else f"({items})"


def as_tuple(node: cst.List) -> cst.Tuple:
    elements = list(node.elements)
    if len(elements) == 1 and not isinstance(elements[0].comma, cst.Comma):
        elements[0] = elements[0].with_changes(comma=cst.Comma())
    return cst.Tuple(
        elements=elements,
        lpar=[cst.LeftParen(whitespace_after=node.lbracket.whitespace_after)],
        rpar=[cst.RightParen(whitespace_before=node.rbracket.whitespace_before)],
    )
