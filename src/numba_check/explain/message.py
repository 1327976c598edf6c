"""A Numba error text, normalised for matching: the lines that say what is wrong, the
exception classes, and the files and lines it names.

It reads the exception line alone, a whole traceback with its chained exceptions, pytest's ``E``
lines, or the numba-check plugin's trimmed report; colours, Numba's ``File "...", line N:``
source excerpts, ``During: ...`` trailers, traceback frames and overload-resolution machinery
are dropped, and qualified class names shortened (``numba.core.errors.TypingError`` ->
``TypingError``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# pytest prints a failure's exception lines after "E" and three spaces.
_PYTEST_LINE = re.compile(r"^E(?: {3}|$)")
_TRACEBACK = "Traceback (most recent call last):"
_CHAINS = (
    "The above exception was the direct cause of the following exception:",
    "During handling of the above exception, another exception occurred:",
)
_FRAME = re.compile(r'^\s*File "(?P<path>[^"]+)", line (?P<line>\d+), in (?P<func>.+)$')
# Numba quotes the source it refused after a line like this, down to a caret line.
_EXCERPT = re.compile(r'^\s*File "(?P<path>[^"]+)", line (?P<line>\d+):\s*$')
_CARET = re.compile(r"^\s*\^+\s*$")
_EXCERPT_MAX_LINES = 60
# "typing of call at /path/file.py (12)", "Raised from /path/file.py (12)", "location: ...".
_AT = re.compile(
    r"(?:\bat|Raised from|location:) (?P<path>(?:[A-Za-z]:)?[^\s()<>]+\.py) \((?P<line>\d+)\)"
)
_RAISED_FROM = re.compile(r"\.?\s*Raised from (?:None|\S+ \(\d+\))\s*$")
_HEADER = re.compile(
    r"^(?P<qualified>(?:[A-Za-z_]\w*\.)*(?P<name>[A-Za-z_]\w*(?:Error|Exception|Warning|Exit)"
    r"|RequireLiteralValue|ForceLiteralArg))(?::\s?(?P<message>.*))?$"
)
# Lines that describe Numba's machinery rather than the problem.
_NOISE = re.compile(
    r"^(?:During: |There (?:are|is) \d+ candidate implementation|- Of which \d+ did not match"
    r"|Intrinsic in function |Overload (?:in|of) function |With argument\(s\): "
    r"|Rejected as the implementation raised a specific error:|raised from \S"
    r"|For more information about typing errors|If you think this is a bug"
    r"|This is not usually a problem with Numba itself|<source (?:missing|elided)"
    r"|- Resolution failure for (?:non-)?literal arguments:$)"
)
# Folders whose files are not the user's: linting them would only cost time.
_INSTALLED = re.compile(r"[\\/](?:site|dist)-packages[\\/]|^<")


@dataclass(frozen=True)
class SourceLocation:
    """A file and line that the message names."""

    path: str
    line: int

    @property
    def installed(self) -> bool:
        """Whether the file belongs to an installed package (Numba's own code, say)."""
        return bool(_INSTALLED.search(self.path))


@dataclass(frozen=True)
class ParsedMessage:
    """A Numba error text, normalised for matching."""

    # Exception class names (unqualified): the one raised first, then the others as shown.
    errors: tuple[str, ...]
    # The lines that say what is wrong, stripped, each once.
    lines: tuple[str, ...]
    # Files and lines the text names: Numba's own references first, then traceback frames
    # from the innermost out.
    locations: tuple[SourceLocation, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def error(self) -> str | None:
        """The exception the text reports (the outermost)."""
        return self.errors[0] if self.errors else None

    @property
    def empty(self) -> bool:
        return not self.lines


def parse(text: str) -> ParsedMessage:
    """Normalise a Numba error text: an exception line, a traceback, or pytest's E lines."""
    raw = _ANSI.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).expandtabs()
    lines = _pytest_exception_lines(raw.split("\n"))
    errors: list[str] = []
    kept: list[str] = []
    seen: set[str] = set()
    named: list[SourceLocation] = []  # by Numba's own text
    frames: list[SourceLocation] = []  # by Python's traceback
    # A chained traceback prints the exception that was raised last: its block's first class.
    outer = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        i += 1
        if stripped in _CHAINS:
            outer = len(errors)
            continue
        if not stripped or stripped == _TRACEBACK:
            continue
        frame = _FRAME.match(line)
        if frame:
            frames.append(SourceLocation(frame["path"], int(frame["line"])))
            # The frame's source line and Python 3.11's ^^^ markers, indented further.
            while i < len(lines) and lines[i].strip() and _indent(lines[i]) > _indent(line):
                i += 1
            continue
        excerpt = _EXCERPT.match(line)
        if excerpt:
            named.append(SourceLocation(excerpt["path"], int(excerpt["line"])))
            i = _skip_excerpt(lines, i)
            continue
        for at in _AT.finditer(stripped):
            named.append(SourceLocation(at["path"], int(at["line"])))
        if _NOISE.match(stripped) or stripped.startswith(("^", "~")):
            continue
        stripped = _RAISED_FROM.sub("", stripped).strip()
        header = _HEADER.match(stripped)
        if header:
            errors.append(header["name"])
            message = (header["message"] or "").strip()
            stripped = f"{header['name']}: {message}" if message else header["name"]
        if stripped and stripped not in seen:
            seen.add(stripped)
            kept.append(stripped)
    if outer < len(errors):
        errors.insert(0, errors.pop(outer))
    locations = _unique([*named, *reversed(frames)])
    return ParsedMessage(tuple(errors), tuple(kept), tuple(locations))


def _pytest_exception_lines(lines: list[str]) -> list[str]:
    """pytest's failure report: only its ``E`` lines, without the prefix, when it has any."""
    marked = [line for line in lines if _PYTEST_LINE.match(line)]
    if any(_HEADER.match(line[1:].strip()) for line in marked):
        return [line[4:] for line in marked]
    return lines


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _skip_excerpt(lines: Sequence[str], start: int) -> int:
    """The index after the source excerpt that starts at `start` (it ends at a caret line)."""
    for j in range(start, min(len(lines), start + _EXCERPT_MAX_LINES)):
        if _CARET.match(lines[j]):
            return j + 1
    # No caret: the excerpt runs to the next blank line.
    j = start
    while j < len(lines) and lines[j].strip():
        j += 1
    return j


def _unique(locations: Iterable[SourceLocation]) -> list[SourceLocation]:
    out: list[SourceLocation] = []
    for location in locations:
        if location not in out:
            out.append(location)
    return out


def exception_text(exc: BaseException) -> str:
    """What Python prints for `exc` and the exceptions it came from, without the frames."""
    import traceback

    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        parts.append("".join(traceback.format_exception_only(type(current), current)))
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    return "\n".join(reversed(parts))
