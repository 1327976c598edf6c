"""Numba's error messages mapped to the rules that cover them.

`explain(text)` reads what Numba printed when it refused a function (the exception line, a whole
traceback with its chained exceptions, or pytest's ``E`` lines), normalises it (colours, Numba's
``File ... line ...`` source excerpts, ``During: ...`` trailers and traceback frames out) and
matches the patterns of ``knowledge/data/errors.toml`` against it. The result ranks the rules
that cover the message, each with the pattern and the line that matched. When the message names
a file and a line that exist here, the linter runs on that file and the rules it reports at that
line go first.

The patterns were derived from, and are checked against, the messages of Numba 0.57 to 0.68
for every snippet those versions refuse (``tests/explain``). Numba itself is never imported.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

DATA = "errors.toml"

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# pytest prints a failure's exception lines after "E" and three spaces.
_PYTEST_LINE = re.compile(r"^E(?: {3}|$)")
_TRACEBACK = "Traceback (most recent call last):"
_CHAINS = (
    "The above exception was the direct cause of the following exception:",
    "During handling of the above exception, another exception occurred:",
)
_FRAME = re.compile(r'^\s*File "(?P<path>[^"]+)", line (?P<line>\d+), in (?P<func>.+)$')
# Numba quotes the source it refused after a line like this and up to a caret line.
_EXCERPT = re.compile(r'^\s*File "(?P<path>[^"]+)", line (?P<line>\d+):\s*$')
_CARET = re.compile(r"^\s*\^+\s*$")
_EXCERPT_MAX_LINES = 60
# "X at /path/file.py (12)", "Raised from /path/file.py (12)", "defined at /path (12)".
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


class Confidence(str, enum.Enum):
    """How surely a pattern's message comes from its rules' construct."""

    # Only that construct gives this message.
    HIGH = "high"
    # Usually that construct; other code can give the same message.
    MEDIUM = "medium"
    # A message many constructs give: the rules are candidates to check, in order.
    LOW = "low"

    @property
    def rank(self) -> int:
        return {"high": 3, "medium": 2, "low": 1}[self.value]


@dataclass(frozen=True)
class SourceLocation:
    """A file and line that the message names."""

    path: str
    line: int


@dataclass(frozen=True)
class ParsedMessage:
    """A Numba error text, normalised for matching."""

    # Exception class names (unqualified) in the order the text shows them.
    errors: tuple[str, ...]
    # The message lines that say what is wrong: no colours, frames, source excerpts, trailers.
    lines: tuple[str, ...]
    # Files and lines the text names, most specific first.
    locations: tuple[SourceLocation, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def error(self) -> str | None:
        """The exception the text reports (the last of a chain)."""
        return self.errors[-1] if self.errors else None


@dataclass(frozen=True)
class Pattern:
    """A kind of Numba message and the rules that cover it."""

    id: str
    title: str
    regex: re.Pattern[str]
    codes: tuple[str, ...]
    confidence: Confidence
    example: str
    # Another regex that must (context) or must not (unless) occur anywhere in the message.
    context: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    note: str = ""

    def search(self, message: ParsedMessage) -> str | None:
        """The lines of `message` this pattern matches, or None."""
        text = message.text
        if self.context is not None and not self.context.search(text):
            return None
        if self.unless is not None and self.unless.search(text):
            return None
        found = self.regex.search(text)
        if found is None:
            return None
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.end() if found.end() > found.start() else found.start())
        return text[start : end if end != -1 else len(text)]


@dataclass(frozen=True)
class Candidate:
    """A rule that covers the message, and why it was chosen."""

    code: str
    name: str
    confidence: Confidence
    pattern: str | None  # the id of the pattern that matched; None when only the linter found it
    excerpt: str  # the message line(s) that matched
    # Where the linter reported this rule at the line the message names, when it did.
    lint: SourceLocation | None = None


@dataclass(frozen=True)
class Explanation:
    message: ParsedMessage
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.candidates)


# -- parsing ----------------------------------------------------------------------------------


def parse(text: str) -> ParsedMessage:
    """Normalise a Numba error text: an exception line, a traceback, or pytest's E lines."""
    raw = _ANSI.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).expandtabs()
    lines = raw.split("\n")
    if sum(bool(_PYTEST_LINE.match(line)) for line in lines) >= 1 and any(
        _HEADER.match(line[1:].strip()) for line in lines if _PYTEST_LINE.match(line)
    ):
        lines = [line[4:] for line in lines if _PYTEST_LINE.match(line)]
    errors: list[str] = []
    kept: list[str] = []
    seen: set[str] = set()
    specific: list[SourceLocation] = []  # named by Numba's own text
    frames: list[SourceLocation] = []  # Python traceback frames
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        i += 1
        if not stripped or stripped == _TRACEBACK or stripped in _CHAINS:
            continue
        frame = _FRAME.match(line)
        if frame:
            frames.append(SourceLocation(frame["path"], int(frame["line"])))
            # The frame's source line and 3.11's ^^^ markers follow, indented further.
            indent = len(line) - len(line.lstrip())
            while i < len(lines) and lines[i].strip() and _indent(lines[i]) > indent:
                i += 1
            continue
        excerpt = _EXCERPT.match(line)
        if excerpt:
            specific.append(SourceLocation(excerpt["path"], int(excerpt["line"])))
            i = _skip_excerpt(lines, i)
            continue
        for at in _AT.finditer(stripped):
            specific.append(SourceLocation(at["path"], int(at["line"])))
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
    locations = _unique([*specific, *reversed(frames)])
    return ParsedMessage(tuple(errors), tuple(kept), tuple(locations))


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
    """What Python prints for `exc` and the exceptions it was raised from, without frames."""
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


# -- patterns ---------------------------------------------------------------------------------


class PatternError(ValueError):
    """The pattern data is malformed (names the pattern and the key)."""


@functools.lru_cache(maxsize=1)
def patterns() -> tuple[Pattern, ...]:
    """The built-in patterns, in the order of the data file."""
    text = resources.files("numba_check.knowledge").joinpath("data", DATA).read_text("utf-8")
    return load_patterns(text)


def load_patterns(text: str, known_codes: Iterable[str] | None = None) -> tuple[Pattern, ...]:
    """Patterns from the TOML `text`; raises PatternError naming the bad entry."""
    from numba_check.rules import RULES_BY_CODE

    known = set(RULES_BY_CODE if known_codes is None else known_codes)
    data = tomllib.loads(text)
    out: list[Pattern] = []
    ids: set[str] = set()
    for index, raw in enumerate(data.get("pattern", [])):
        out.append(_pattern(raw, index, known, ids))
    return tuple(out)


_PATTERN_KEYS = {
    "id",
    "title",
    "regex",
    "codes",
    "confidence",
    "example",
    "context",
    "unless",
    "note",
}


def _pattern(raw: dict[str, Any], index: int, known: set[str], ids: set[str]) -> Pattern:
    where = f"{DATA}: pattern {raw.get('id', f'#{index + 1}')!r}"
    unknown = set(raw) - _PATTERN_KEYS
    if unknown:
        raise PatternError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("id", "title", "regex", "example", "confidence"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise PatternError(f"{where}: `{key}` is required and must be a non-empty string")
    if raw["id"] in ids:
        raise PatternError(f"{where}: the id is used twice")
    ids.add(raw["id"])
    codes = raw.get("codes")
    if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
        raise PatternError(f"{where}: `codes` must be a non-empty list of rule codes")
    missing = [c for c in codes if c not in known]
    if missing:
        raise PatternError(f"{where}: unknown rule codes {missing}")
    try:
        confidence = Confidence(raw["confidence"])
    except ValueError:
        choices = ", ".join(c.value for c in Confidence)
        raise PatternError(f"{where}: `confidence` must be one of {choices}") from None
    compiled = {key: _regex(raw, key, where) for key in ("regex", "context", "unless")}
    return Pattern(
        id=raw["id"],
        title=raw["title"],
        regex=compiled["regex"],  # type: ignore[arg-type]
        codes=tuple(codes),
        confidence=confidence,
        example=raw["example"].strip("\n"),
        context=compiled["context"],
        unless=compiled["unless"],
        note=raw.get("note", "").strip(),
    )


def _regex(raw: dict[str, Any], key: str, where: str) -> re.Pattern[str] | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise PatternError(f"{where}: `{key}` must be a string")
    try:
        return re.compile(value, re.MULTILINE)
    except re.error as exc:
        raise PatternError(f"{where}: `{key}` is not a valid regex: {exc}") from None


# -- matching ---------------------------------------------------------------------------------


def match(message: ParsedMessage, table: Sequence[Pattern] | None = None) -> list[Candidate]:
    """The rules whose patterns match `message`, most likely first."""
    from numba_check.rules import RULES_BY_CODE

    best: dict[str, tuple[tuple[int, int, int], Candidate]] = {}
    for order, pattern in enumerate(patterns() if table is None else table):
        excerpt = pattern.search(message)
        if excerpt is None:
            continue
        for position, code in enumerate(pattern.codes):
            rule = RULES_BY_CODE.get(code)
            name = rule.name if rule is not None else code
            # Higher confidence first; then earlier in its pattern; then earlier patterns.
            key = (-pattern.confidence.rank, position, order)
            if code not in best or key < best[code][0]:
                best[code] = (key, Candidate(code, name, pattern.confidence, pattern.id, excerpt))
    return [candidate for _, candidate in sorted(best.values(), key=lambda item: item[0])]


def explain(text: str, *, lint: bool = True, table: Sequence[Pattern] | None = None) -> Explanation:
    """The rules that cover the Numba error `text`, most likely first.

    With `lint`, a file and line that the message names and that exist here are linted, and the
    rules the linter reports at that line go first (added when no pattern named them).
    """
    message = parse(text)
    candidates = match(message, table)
    if lint:
        candidates = _confirm_by_linting(message, candidates)
    return Explanation(message, tuple(candidates))


def _confirm_by_linting(message: ParsedMessage, candidates: list[Candidate]) -> list[Candidate]:
    found = lint_locations(message.locations)
    if not found:
        return candidates
    by_code = {c.code: c for c in candidates}
    confirmed: list[Candidate] = []
    for code, (name, where) in found.items():
        previous = by_code.pop(code, None)
        if previous is not None:
            confirmed.append(
                Candidate(
                    code, name, previous.confidence, previous.pattern, previous.excerpt, where
                )
            )
        else:
            confirmed.append(Candidate(code, name, Confidence.MEDIUM, None, "", where))
    return confirmed + [c for c in candidates if c.code in by_code]


def lint_locations(
    locations: Sequence[SourceLocation],
) -> dict[str, tuple[str, SourceLocation]]:
    """Error rules the linter reports at the lines the message names: {code: (name, where)}.

    Only files that exist are read; a file the linter cannot read or parse adds nothing.
    """
    from numba_check.api import check_source
    from numba_check.model import Severity

    found: dict[str, tuple[str, SourceLocation]] = {}
    lines_by_file: dict[Path, set[int]] = {}
    for location in locations:
        path = Path(location.path)
        if path.suffix == ".py" and path.is_file():
            lines_by_file.setdefault(path.resolve(), set()).add(location.line)
    for path, lines in lines_by_file.items():
        try:
            diagnostics = check_source(path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        for d in diagnostics:
            if d.severity is Severity.ERROR and d.location.line in lines and d.code not in found:
                found[d.code] = (d.name, SourceLocation(str(path), d.location.line))
    return found
