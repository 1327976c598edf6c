"""``# noqa: NB101`` on a line and ``# numba-check: noqa`` for a whole file, as ruff spells them."""

from __future__ import annotations

import bisect
import io
import re
import tokenize
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from numba_check.fixes import line_offsets
from numba_check.model import Applicability, Diagnostic, Edit, Fix, Location

# The first and last line of each string literal of a module (from its parse).
StringLines = Callable[[], Iterable[tuple[int, int]]]

_CODES = r"(?P<codes>[A-Z]+[0-9]+(?:\s*,?\s*[A-Z]+[0-9]+)*)"
LINE_RE = re.compile(rf"#\s*noqa(?::\s*{_CODES})?", re.IGNORECASE)
FILE_RE = re.compile(rf"#\s*numba-check\s*:\s*noqa(?::\s*{_CODES})?", re.IGNORECASE)
CODE_RE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)
# Comments that can matter to numba-check: a bare noqa directive (every code), one naming an NB
# code, or the file directive. One naming only other linters' codes (E501) cannot, and those are
# common in real code.
_RELEVANT = re.compile(
    r"#\s*noqa(?!\s*:)|#\s*noqa\s*:[^\n#]*?\bNB[0-9]|#\s*numba-check\s*:\s*noqa", re.IGNORECASE
)
# Not str.splitlines(), which also breaks at form feeds and other characters Python does not.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass
class _LineNoqa:
    location: Location
    codes: tuple[str, ...] | None  # None: every code on the line
    used: set[str] = field(default_factory=set)
    end: Location | None = None  # where the directive ends
    # Where the blanks before the directive start: removing it removes them too.
    lead: Location | None = None

    def fix(self, stale: Sequence[str]) -> Fix | None:
        """Remove the stale codes; the whole directive when none is left."""
        if self.codes is None or self.end is None:
            return None
        left = [c for c in self.codes if c not in stale]
        if left:
            edit = Edit(self.location, self.end, f"# noqa: {', '.join(left)}")
            return Fix(Applicability.SAFE, f"Remove unused {', '.join(stale)}", (edit,))
        from numba_check.rules.tool import UnusedNoqa

        edit = Edit(self.lead or self.location, self.end, "")
        return Fix(Applicability.SAFE, UnusedNoqa.fix_message, (edit,))


@dataclass
class Suppressions:
    file_all: bool = False
    file_codes: frozenset[str] = frozenset()
    lines: dict[int, _LineNoqa] = field(default_factory=dict)

    def apply(
        self, diagnostics: Sequence[Diagnostic]
    ) -> tuple[list[Diagnostic], list[tuple[Location, str, Fix | None]]]:
        """Diagnostics that survive, and the noqa comments with NB codes that suppressed
        nothing: where, the message, and the fix that removes the codes."""
        kept = []
        for diag in diagnostics:
            if diag.code in self.file_codes:
                continue
            entry = self.lines.get(diag.location.line)
            if entry is not None and (entry.codes is None or diag.code in entry.codes):
                entry.used.add(diag.code)
                continue
            kept.append(diag)
        unused = []
        for entry in self.lines.values():
            if entry.codes is None:
                continue
            stale = [c for c in entry.codes if c.startswith("NB") and c not in entry.used]
            if stale:
                listed = ", ".join(stale)
                message = f"Unused `noqa` directive (unused: {listed})"
                unused.append((entry.location, message, entry.fix(stale)))
        return kept, unused


def parse(source: str, strings: StringLines | None = None) -> Suppressions:
    """Find noqa comments; cheap when the source has none.

    Without `strings`, the module is tokenized to find its comments. With it (a function that
    gives the first and last line of each string literal of the module, read from its parse),
    only the lines that may hold a directive are looked at, and few of them are tokenized.
    """
    result = Suppressions()
    # Tokenizing a module to find its comments costs more than parsing it: only when needed.
    if not _RELEVANT.search(source):
        return result
    if strings is None or FILE_RE.search(source):
        comments: Iterable[tuple[int, int, str]] = _comments(source)
    else:
        comments = _directive_comments(source, strings)
    starts = _LineStarts(source)
    file_codes: set[str] = set()
    for line, column, text in comments:
        file_match = FILE_RE.search(text)
        if file_match:
            if file_match.group("codes") is None:
                result.file_all = True
            else:
                file_codes.update(c.upper() for c in CODE_RE.findall(file_match.group("codes")))
            continue
        match = LINE_RE.search(text)
        # Only a directive that can matter to numba-check counts (as `_RELEVANT` tells them):
        # `# noqa: E501` suppresses no NB code, and `# noqa: see below` is no directive.
        if match and _RELEVANT.match(text, match.start()):
            codes = match.group("codes")
            result.lines[line] = _LineNoqa(
                Location(line, column + match.start()),
                None if codes is None else tuple(c.upper() for c in CODE_RE.findall(codes)),
                end=Location(line, column + match.end()),
                lead=_lead(source, starts, line, column + match.start()),
            )
    result.file_codes = frozenset(file_codes)
    return result


class _LineStarts:
    """The offset of each line of a source, found on first use, once."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._offsets: list[int] | None = None

    def __getitem__(self, line: int) -> int:
        if self._offsets is None:
            self._offsets = line_offsets(self.source)
        return self._offsets[line - 1]


def _lead(source: str, starts: _LineStarts, line: int, column: int) -> Location:
    """Where the blanks before `column` on `line` start (for the fix of an unused noqa)."""
    start = starts[line]
    before = _LINE_BREAK.split(source[start : start + column], maxsplit=1)[0]
    return Location(line, len(before.rstrip(" \t")))


def _directive_comments(source: str, strings: StringLines) -> list[tuple[int, int, str]]:
    """The comments of the lines where `_RELEVANT` matches (the others cannot matter).

    A line that no string literal reaches has its comment at its first ``#``: only a string
    can hold a ``#`` that is not a comment. A line that one reaches (``"#" # noqa``, a line of
    a docstring) is tokenized, from the first line of the strings that reach it, where no
    string is open; if that cannot be done, the whole module is.
    """
    offsets = line_offsets(source)
    wanted = sorted({bisect.bisect_right(offsets, m.start()) for m in _RELEVANT.finditer(source)})
    spans = list(strings())
    reached: dict[int, tuple[int, int]] = {}  # line -> the lines of the strings reaching it
    for first, last in spans:
        at = bisect.bisect_left(wanted, first)
        while at < len(wanted) and wanted[at] <= last:
            line = wanted[at]
            low, high = reached.get(line, (first, last))
            reached[line] = (min(low, first), max(high, last))
            at += 1
    found = []
    for line in wanted:
        if line in reached:
            first, last = reached[line]
            comment = _comment_tokenized(source, offsets, _unopened(spans, first), line, last)
            if comment is _UNKNOWN:
                return list(_comments(source))
            if comment is not None:
                found.append(comment)  # type: ignore[arg-type]
            continue
        start = offsets[line - 1]
        end = offsets[line] if line < len(offsets) else len(source)
        text = _LINE_BREAK.split(source[start:end], maxsplit=1)[0]
        column = text.find("#")
        if column >= 0:
            found.append((line, column, text[column:]))
    return found


_UNKNOWN = object()


def _unopened(spans: list[tuple[int, int]], line: int) -> int:
    """The line at or before `line` at whose start no string literal is open."""
    while True:
        earlier = min((first for first, last in spans if first < line <= last), default=line)
        if earlier == line:
            return line
        line = earlier


def _comment_tokenized(
    source: str, offsets: list[int], first: int, line: int, last: int
) -> tuple[int, int, str] | None | object:
    """The comment of `line`, from tokenizing the lines `first` to `last` (the strings that
    reach `line` end by then); `_UNKNOWN` when they do not tokenize past `line`'s start."""
    end = offsets[last] if last < len(offsets) else len(source)
    window = source[offsets[first - 1] : end]
    reached = False
    try:
        for tok in tokenize.generate_tokens(io.StringIO(window, newline=None).readline):
            row = tok.start[0] + first - 1
            if row > line:
                return None
            if tok.end[0] + first - 1 >= line:
                reached = True
            if row == line and tok.type == tokenize.COMMENT:
                return row, tok.start[1], tok.string
    except (tokenize.TokenError, SyntaxError):
        pass  # the window ends inside brackets or a statement: the tokens before it hold
    return None if reached else _UNKNOWN


def _comments(source: str) -> Iterator[tuple[int, int, str]]:
    try:
        # newline=None: lines end at \r and \r\n too, as Python counts them.
        for tok in tokenize.generate_tokens(io.StringIO(source, newline=None).readline):
            if tok.type == tokenize.COMMENT:
                yield tok.start[0], tok.start[1], tok.string
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # Unparsable source: fall back to every '#' on a line (only an NB9xx can be reported).
        yield from _hash_comments(_LINE_BREAK.split(source))


def _hash_comments(lines: Iterable[str]) -> Iterator[tuple[int, int, str]]:
    for number, text in enumerate(lines, 1):
        pos = text.find("#")
        if pos >= 0:
            yield number, pos, text[pos:]
