"""Turning a list display into the tuple Numba wants, for the NumPy argument rules."""

from __future__ import annotations

import ast
import io
import re
import tokenize

from numba_check.fixes import split_lines
from numba_check.module_context import ModuleContext

_SKIPPED_TOKENS = frozenset(
    (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
) | {tokenize.ENDMARKER}
_LONE_CR = re.compile(r"\r(?!\n)")


class _ListSource:
    """The source of a list display, with where each of its items is as written: an item's
    text takes in the parentheses around it (libcst's nodes owned theirs; `ast`'s do not)."""

    def __init__(self, module: ModuleContext, node: ast.List) -> None:
        self.module = module
        self.text = module.code_for(node)
        self._line_starts = [0]
        for line in split_lines(self.text):
            self._line_starts.append(self._line_starts[-1] + len(line))
        self._origin = module.span(node)[0]
        self._tokens = self._significant_tokens()

    def _offset(self, line: int, column: int) -> int:
        row = line - self._origin.line
        if row == 0:
            column -= self._origin.column
        return self._line_starts[row] + column

    def _significant_tokens(self) -> list[tuple[int, int, str]]:
        """(start, end, text) of the tokens of the display, comments and line breaks left out;
        empty when the text does not tokenize on its own."""
        # `ast` ends lines at a lone CR too, `tokenize`'s readline does not: same offsets, with
        # the lone CRs as LFs.
        text = _LONE_CR.sub("\n", self.text)
        starts = [0]
        for line in io.StringIO(text).readlines():
            starts.append(starts[-1] + len(line))
        out = []
        try:
            for tok in tokenize.generate_tokens(io.StringIO(text).readline):
                if tok.type in _SKIPPED_TOKENS:
                    continue
                (srow, scol), (erow, ecol) = tok.start, tok.end
                out.append((starts[srow - 1] + scol, starts[erow - 1] + ecol, tok.string))
        except (tokenize.TokenError, SyntaxError, IndexError):
            return []
        return out

    def item_range(self, element: ast.expr) -> tuple[int, int]:
        """Where the item is in the text, its parentheses included (for ``*x``, where `x` is)."""
        value = element.value if isinstance(element, ast.Starred) else element
        start_at, end_at = self.module.span(value)
        start = self._offset(start_at.line, start_at.column)
        end = self._offset(end_at.line, end_at.column)
        tokens = self._tokens
        first = next((i for i, t in enumerate(tokens) if t[0] == start), None)
        last = next((i for i, t in enumerate(tokens) if t[1] == end), None)
        if first is None or last is None:
            return start, end
        while (
            first > 0
            and last + 1 < len(tokens)
            and tokens[first - 1][2] == "("
            and tokens[last + 1][2] == ")"
        ):
            first -= 1
            last += 1
        return tokens[first][0], tokens[last][1]

    def item_text(self, element: ast.expr) -> str:
        start, end = self.item_range(element)
        return self.text[start:end]

    def has_trailing_comma(self, element: ast.expr) -> bool:
        """Whether a comma follows the (last) item before the closing bracket."""
        _, end = self.item_range(element)
        if not self._tokens:
            return "," in self.text[end:-1]
        return any(t[2] == "," for t in self._tokens if t[0] >= end)


def tuple_text(module: ModuleContext, node: ast.List) -> str:
    """How the list's items read as a tuple display, for messages: `(a, b)`, `(a,)`."""
    source = _ListSource(module, node)
    items = ", ".join(source.item_text(e) for e in node.elts)
    return f"({items},)" if len(node.elts) == 1 else f"({items})"


def as_tuple(module: ModuleContext, node: ast.List) -> str:
    """The source of the list display turned into a tuple display, as written otherwise:
    the brackets become parentheses, and a single item gets its comma."""
    source = _ListSource(module, node)
    text = source.text
    inner = text[1:-1]
    if len(node.elts) == 1 and not source.has_trailing_comma(node.elts[0]):
        _, end = source.item_range(node.elts[0])
        inner = text[1:end] + "," + text[end:-1]
    return f"({inner})"
