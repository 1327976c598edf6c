"""``# noqa: NB101`` on a line and ``# numba-check: noqa`` for a whole file, as ruff spells them."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from numba_check.model import Diagnostic, Location

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


@dataclass
class Suppressions:
    file_all: bool = False
    file_codes: frozenset[str] = frozenset()
    lines: dict[int, _LineNoqa] = field(default_factory=dict)

    def apply(
        self, diagnostics: Sequence[Diagnostic]
    ) -> tuple[list[Diagnostic], list[tuple[Location, str]]]:
        """Diagnostics that survive, and the NB codes of noqa comments that suppressed nothing."""
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
                unused.append((entry.location, f"Unused `noqa` directive (unused: {listed})"))
        return kept, unused


def parse(source: str) -> Suppressions:
    """Find noqa comments; cheap when the source has none."""
    result = Suppressions()
    # Tokenizing a module to find its comments costs more than parsing it: only when needed.
    if not _RELEVANT.search(source):
        return result
    file_codes: set[str] = set()
    for line, column, text in _comments(source):
        file_match = FILE_RE.search(text)
        if file_match:
            if file_match.group("codes") is None:
                result.file_all = True
            else:
                file_codes.update(c.upper() for c in CODE_RE.findall(file_match.group("codes")))
            continue
        match = LINE_RE.search(text)
        if match:
            codes = match.group("codes")
            result.lines[line] = _LineNoqa(
                Location(line, column + match.start()),
                None if codes is None else tuple(c.upper() for c in CODE_RE.findall(codes)),
            )
    result.file_codes = frozenset(file_codes)
    return result


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
