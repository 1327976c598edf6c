"""ruff's full format: the concise line, then the source with the range underlined, then help."""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence

from numba_check.model import Applicability, Diagnostic, Fix, Location
from numba_check.output.base import FormatContext, lines_of, printable
from numba_check.output.concise import header

NAME = "full"

CONTEXT_LINES = 2
TAB_SIZE = 4
_NEWLINE = re.compile(r"\r\n|\r|\n")


def render(diagnostics: Sequence[Diagnostic], ctx: FormatContext) -> str:
    """One block per diagnostic, blocks separated by a blank line."""
    sources = _Sources(ctx.sources)
    return "\n".join(_block(d, ctx, sources) for d in diagnostics)


class _Sources:
    """Each source's lines and line starts, split once for all the diagnostics in it."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        self._texts = texts
        self._lines: dict[str, list[str]] = {}
        self._starts: dict[str, list[int]] = {}

    def text(self, key: str) -> str | None:
        return self._texts.get(key)

    def lines(self, key: str) -> list[str]:
        found = self._lines.get(key)
        if found is None:
            source = self._texts.get(key)
            found = self._lines[key] = lines_of(source) if source is not None else []
        return found

    def starts(self, key: str) -> list[int]:
        found = self._starts.get(key)
        if found is None:
            source = self._texts[key]
            found = self._starts[key] = [0] + [m.end() for m in _NEWLINE.finditer(source)]
        return found


def _block(diagnostic: Diagnostic, ctx: FormatContext, sources: _Sources) -> str:
    out = [header(diagnostic, single_line=False, color=ctx.color)]
    key = diagnostic.filename
    if diagnostic.cell is not None:
        key = f"{key}:cell {diagnostic.cell}"
    source = sources.text(key)
    snippet = _snippet(diagnostic, sources.lines(key))
    out += snippet
    gutter = len(snippet[0]) - 2 if snippet else 1
    fix = diagnostic.fix
    if fix is not None:
        out.append(f"{' ' * gutter} = help: {printable(fix.message)}")
        if ctx.show_fixes and source is not None and fix.edits:
            out += _diff(fix, source, sources.lines(key), sources.starts(key), gutter)
        if fix.applicability is Applicability.UNSAFE:
            out.append(f"{' ' * gutter} = note: this fix is unsafe and may change runtime behavior")
    return "".join(line + "\n" for line in out)


def _snippet(diagnostic: Diagnostic, lines: list[str]) -> list[str]:
    """Numbered source lines around the range, with ``^`` under every underlined character."""
    start, end = diagnostic.location, diagnostic.end_location
    if not 1 <= start.line <= len(lines):
        return []
    last = _last_line(start, end, len(lines))
    first_shown = max(1, start.line - CONTEXT_LINES)
    last_shown = min(len(lines), last + CONTEXT_LINES)
    while first_shown < start.line and not lines[first_shown - 1].strip():
        first_shown += 1
    while last_shown > last and not lines[last_shown - 1].strip():
        last_shown -= 1
    width = len(str(last_shown))
    blank = f"{' ' * width} |"
    out = [blank]
    for number in range(first_shown, last_shown + 1):
        text = lines[number - 1]
        out += _numbered([text], number, width, "|")
        if start.line <= number <= last:
            lo = start.column if number == start.line else len(text) - len(text.lstrip())
            hi = end.column if number == end.line else len(text)
            lo_col, hi_col = _display(text, lo), _display(text, hi)
            out.append(f"{blank} {' ' * lo_col}{'^' * max(1, hi_col - lo_col)}")
    out.append(blank)
    return out


def _last_line(start: Location, end: Location, count: int) -> int:
    # A range that stops at the very start of a line does not reach into that line.
    last = end.line - 1 if end.line > start.line and end.column == 0 else end.line
    return min(max(last, start.line), count)


def _display(text: str, column: int) -> int:
    """Where ``column`` falls on screen once tabs are expanded and control characters escaped."""
    return len(printable(text[:column].expandtabs(TAB_SIZE)))


def _diff(fix: Fix, source: str, old: list[str], starts: list[int], gutter: int) -> list[str]:
    """The lines the fix changes, before (``-``) and after (``+``); `old` and `starts` are the
    source's lines and the offsets they start at."""

    def offset(location: Location) -> int:
        if location.line > len(starts):
            return len(source)
        return min(starts[location.line - 1] + location.column, len(source))

    first = min(e.start.line for e in fix.edits)
    last = max(_last_line(e.start, e.end, len(old)) for e in fix.edits)
    if not 1 <= first <= len(old):
        return []
    # Only the lines the edits touch are rebuilt (not the whole source, once per diagnostic),
    # with a line more on each side: an edit may join a line end to its neighbour's (`\r`
    # then `\n`).
    above = min(first - 1, 1)
    low = offset(Location(first - above, 0))
    end = max(offset(e.end) for e in fix.edits)
    after = max(bisect.bisect_left(starts, end), last) + 1
    high = starts[after] if after < len(starts) else len(source)
    region = source[low:high]
    for edit in sorted(fix.edits, key=lambda e: (e.start, e.end), reverse=True):
        start, stop = offset(edit.start) - low, offset(edit.end) - low
        region = region[:start] + edit.content + region[stop:]
    grown = len(lines_of(region)) - len(lines_of(source[low:high]))
    removed = old[first - 1 : last]
    added = lines_of(region)[above : above + last - first + 1 + grown]
    while removed and added and removed[0] == added[0]:
        removed, added, first = removed[1:], added[1:], first + 1
    while removed and added and removed[-1] == added[-1]:
        removed, added = removed[:-1], added[:-1]
    width = max(gutter, len(str(max(last, first + len(added) - 1))))
    blank = f"{' ' * width} |"
    out = [blank]
    out += _numbered(removed, first, width, "-") + _numbered(added, first, width, "+")
    out.append(blank)
    return out


def _numbered(lines: list[str], first: int, width: int, sign: str) -> list[str]:
    return [
        f"{n:>{width}} {sign} {printable(text.expandtabs(TAB_SIZE))}".rstrip()
        for n, text in enumerate(lines, first)
    ]
