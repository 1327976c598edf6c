"""Source text around `ast` nodes: what `ast` leaves out of a node's range.

`ast` gives an expression's range without the parentheses that wrap it, a def's name no node
of its own, and (before Python 3.12) each replacement field of an f-string the position of
the whole string. Messages quote code as the user wrote it and diagnostics point at names and
fields, so these are read from the module's tokens, found once per module and only when a
rule asks (`ModuleContext` holds them).

Positions here are those of diagnostics: 1-based lines, 0-based character columns.
"""

from __future__ import annotations

import bisect
import io
import keyword
import re
import sys
import tokenize
from dataclasses import dataclass

from numba_check.model import Location

_LAYOUT = frozenset(
    {
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENCODING,
        tokenize.ENDMARKER,
    }
)
# Tokens after which `(` opens a call's arguments rather than a parenthesised expression.
_ATOM_ENDS = frozenset(
    {tokenize.STRING, tokenize.NUMBER, getattr(tokenize, "FSTRING_END", tokenize.STRING)}
)
# Tokens whose text may run over several lines: a line that starts inside one is the
# string's text, not indentation.
_STRINGS = frozenset({tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)})
_SOFT_KEYWORDS = frozenset({"match", "case"})
# Keywords after which a `(` is no expression's own: a constant's call, or `with (a, b):`.
_NOT_WRAPPING = frozenset({"True", "False", "None", "with"})
_BLANK = " \t\f\n"


def lines_of(source: str) -> list[str]:
    """The lines of `source` as `ast` and `tokenize` count them, line ends made ``\\n``."""
    return io.StringIO(source, newline=None).readlines()


def between(lines: list[str], start: Location, end: Location) -> str:
    """The text of `lines` from `start` to `end`."""
    if start.line == end.line:
        return lines[start.line - 1][start.column : end.column]
    parts = [lines[start.line - 1][start.column :], *lines[start.line : end.line - 1]]
    return "".join([*parts, lines[end.line - 1][: end.column]])


@dataclass(frozen=True)
class Tokens:
    """The tokens of one module, layout (comments, newlines, indents) left out."""

    tokens: list[tokenize.TokenInfo]
    lines: list[str]
    starts: dict[tuple[int, int], int]
    ends: dict[tuple[int, int], int]
    # The line each token's logical line (its statement, for a simple one) starts on.
    statement_lines: list[int]
    # The lines that start inside a string.
    string_lines: frozenset[int]
    # The lines that end in a comment (a `\\` there continues nothing).
    comment_lines: frozenset[int]

    @classmethod
    def read(cls, lines: list[str]) -> Tokens | None:
        """The tokens of `lines`, or None where they do not tokenize."""
        found: list[tokenize.TokenInfo] = []
        statement_lines: list[int] = []
        string_lines: set[int] = set()
        comment_lines: set[int] = set()
        statement_line = 0
        rest = iter(lines)
        try:
            for t in tokenize.generate_tokens(lambda: next(rest, "")):
                if t.type == tokenize.NEWLINE:
                    statement_line = 0
                elif t.type == tokenize.COMMENT:
                    comment_lines.add(t.start[0])
                if t.type in _LAYOUT:
                    continue
                if not statement_line:
                    statement_line = t.start[0]
                found.append(t)
                statement_lines.append(statement_line)
                if t.type in _STRINGS:
                    string_lines.update(range(t.start[0] + 1, t.end[0] + 1))
        except (tokenize.TokenError, SyntaxError):
            return None
        starts = {t.start: i for i, t in enumerate(found)}
        ends = {t.end: i for i, t in enumerate(found)}
        return cls(
            found,
            lines,
            starts,
            ends,
            statement_lines,
            frozenset(string_lines),
            frozenset(comment_lines),
        )

    def _own_parenthesis(self, paren: int) -> bool:
        """Whether the `(` at `paren` may wrap an expression: not a call's, not the
        parenthesised items of ``with (a, b):``."""
        if paren == 0:
            return True
        before = self.tokens[paren - 1]
        if before.type == tokenize.NAME:
            if before.string in _SOFT_KEYWORDS:  # `match (t):`, unless `match` is a name
                return self.statement_lines[paren - 1] == before.start[0] and (
                    paren < 2 or self.statement_lines[paren - 2] != self.statement_lines[paren - 1]
                )
            return keyword.iskeyword(before.string) and before.string not in _NOT_WRAPPING
        return before.type not in _ATOM_ENDS and before.string not in (")", "]", "}")

    def quote(self, start: Location, end: Location) -> str | None:
        """The code from `start` to `end` with the parentheses that wrap it (``(2**70)``, not
        a call's), its continuation lines without the indentation of its statement (unless
        they start inside a string or follow a backslash). None where no token starts at
        `start` or ends at `end`."""
        first = self.starts.get((start.line, start.column))
        last = self.ends.get((end.line, end.column))
        if first is None or last is None or first > last:
            return None
        toks = self.tokens
        while (
            first > 0
            and last + 1 < len(toks)
            and toks[first - 1].string == "("
            and toks[last + 1].string == ")"
            and self._own_parenthesis(first - 1)
        ):
            first, last = first - 1, last + 1
        text = between(self.lines, Location(*toks[first].start), Location(*toks[last].end))
        if toks[first].start[0] == toks[last].end[0]:
            return text
        statement = self.lines[self.statement_lines[first] - 1]
        indent = statement[: len(statement) - len(statement.lstrip(" \t\f"))]
        pieces = text.split("\n")
        row = toks[first].start[0]
        for index in range(1, len(pieces)):
            after_backslash = (
                pieces[index - 1].endswith("\\") and row + index - 1 not in self.comment_lines
            )
            inside_string = row + index in self.string_lines
            if indent and not after_backslash and not inside_string:
                pieces[index] = pieces[index].removeprefix(indent)
        return "\n".join(pieces)

    def name_after(self, start: Location, keywords: tuple[str, ...]) -> tokenize.TokenInfo | None:
        """The first name token at or after `start` that is not one of `keywords`."""
        index = bisect.bisect_left(self.tokens, (start.line, start.column), key=lambda t: t.start)
        for token in self.tokens[index : index + len(keywords) + 1]:
            if token.type == tokenize.NAME and token.string not in keywords:
                return token
        return None


def widened(lines: list[str], start: Location, end: Location) -> tuple[Location, Location]:
    """`start`..`end` widened over the parentheses that wrap it, read character by character:
    for code the tokens do not show, such as a replacement field inside an f-string (one
    string token before Python 3.12). A `(` after a name or a closing bracket opens a call."""

    def before(at: Location) -> Location | None:
        line, column = at.line, at.column
        while True:
            text = lines[line - 1][:column].rstrip(_BLANK)
            if text or line == 1:
                return Location(line, len(text) - 1) if text else None
            line, column = line - 1, len(lines[line - 2])

    def after(at: Location) -> Location | None:
        line, column = at.line, at.column
        while line <= len(lines):
            text = lines[line - 1]
            rest = text[column:].lstrip(_BLANK)
            if rest:
                return Location(line, len(text) - len(rest))
            line, column = line + 1, 0
        return None

    while True:
        opening, closing = before(start), after(end)
        if opening is None or closing is None:
            return start, end
        if lines[opening.line - 1][opening.column] != "(":
            return start, end
        if lines[closing.line - 1][closing.column] != ")":
            return start, end
        previous = before(opening)
        if previous is not None and _ends_callee(lines[previous.line - 1][: previous.column + 1]):
            return start, end
        start, end = opening, Location(closing.line, closing.column + 1)


def _ends_callee(text: str) -> bool:
    """Whether a `(` right after `text` opens a call (``f(``, ``a[0](``, ``"s"(``)."""
    word = re.search(r"\w+$", text)
    if word is not None:
        return not keyword.iskeyword(word[0]) or word[0] in _NOT_WRAPPING
    return text.endswith((")", "]", "}", '"', "'"))


_OPENING, _CLOSING = ("(", "[", "{"), (")", "]", "}")
# Python 3.12+ tokenizes an f-string as a start, its parts and an end.
_FSTRING_START = getattr(tokenize, "FSTRING_START", None)
_FSTRING_END = getattr(tokenize, "FSTRING_END", None)


def fragment_tokens(text: str) -> list[tokenize.TokenInfo] | None:
    """The tokens of `text`, the code of one node (its lines may break anywhere, so it is read
    inside parentheses), comments and layout left out; None where it does not tokenize."""
    try:
        found = list(tokenize.generate_tokens(io.StringIO(f"({text})").readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    return [t for t in found if t.type not in _LAYOUT][1:-1]


def wrapped_whole(text: str) -> bool:
    """Whether the code `text` is one parenthesised whole: ``(i, j)``, not ``(i), j``."""
    tokens = fragment_tokens(text) if text.startswith("(") else None
    if not tokens:
        return False
    depth = 0
    for index, token in enumerate(tokens):
        if token.type != tokenize.OP:
            continue
        if token.string in _OPENING:
            depth += 1
        elif token.string in _CLOSING:
            depth -= 1
            if depth == 0:
                return index == len(tokens) - 1
    return False


def strings_written(text: str) -> int:
    """How many string literals the code `text` writes side by side (``"a" f"{x}"``: 2, which
    `ast` joins into one node); 1 where it does not tokenize."""
    tokens = fragment_tokens(text)
    if tokens is None:
        return 1
    strings = depth = 0
    for token in tokens:
        if token.type == _FSTRING_START:
            strings += depth == 0
            depth += 1
        elif token.type == _FSTRING_END:
            depth -= 1
        elif token.type == tokenize.STRING and depth == 0:
            strings += 1
    return strings


def field_range(
    lines: list[str], value: Location, value_end: Location
) -> tuple[Location, Location]:
    """Where the replacement field of an f-string whose expression spans `value`..`value_end`
    starts (its `{`) and ends (past its `}`), format spec and conversion included.

    Before Python 3.12 `ast` places every part of an f-string at the start of the whole
    string; the expression alone has its own position, and the field is read around it.
    Raises ValueError where the source does not read as a field.
    """
    text = "".join(lines)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    start = offsets[value.line - 1] + value.column
    end = offsets[value_end.line - 1] + value_end.column
    brace = start - 1  # back over blanks and the expression's parentheses to the `{`
    while brace >= 0 and (text[brace] in _BLANK or text[brace] == "("):
        brace -= 1
    if brace < 0 or text[brace] != "{":
        raise ValueError("no `{` before the expression")
    close, depth = end, 0  # on to the `}` that closes the field, past nested fields
    while close < len(text):
        if text[close] == "{":
            depth += 1
        elif text[close] == "}":
            if depth == 0:
                break
            depth -= 1
        close += 1
    else:
        raise ValueError("no `}` after the expression")

    def location(offset: int) -> Location:
        line = bisect.bisect_right(offsets, offset)
        return Location(line, offset - offsets[line - 1])

    return location(brace), location(close + 1)


FIELDS_HAVE_POSITIONS = sys.version_info >= (3, 12)
