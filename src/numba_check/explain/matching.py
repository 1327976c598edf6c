"""From a normalised message to the rules that cover it, ranked; optionally confirmed by
linting the file and line the message names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from numba_check.explain.message import ParsedMessage, SourceLocation, parse
from numba_check.explain.patterns import Confidence, Pattern, patterns

# Files named by one message that the linter reads at most.
MAX_LINTED_FILES = 3


@dataclass(frozen=True)
class Candidate:
    """A rule that covers the message, and why it was chosen."""

    code: str
    name: str
    confidence: Confidence
    pattern: str | None  # the id of the pattern that matched; None when only the linter did
    matched: str  # the message lines the pattern matched ("" when only the linter did)
    # Where the linter reported this rule, at a line the message names.
    linted: SourceLocation | None = None


@dataclass(frozen=True)
class Explanation:
    message: ParsedMessage
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.candidates)


def match(message: ParsedMessage, table: Sequence[Pattern] | None = None) -> list[Candidate]:
    """The rules whose patterns match `message`, most likely first: by confidence, then by
    their place in their pattern, then by the pattern's place in the table."""
    from numba_check.rules import RULES_BY_CODE

    best: dict[str, tuple[tuple[int, int, int], Candidate]] = {}
    for order, pattern in enumerate(patterns() if table is None else table):
        matched = pattern.search(message)
        if matched is None:
            continue
        for position, code in enumerate(pattern.codes):
            rule = RULES_BY_CODE.get(code)
            name = rule.name if rule is not None else code
            key = (-pattern.confidence.rank, position, order)
            if code not in best or key < best[code][0]:
                candidate = Candidate(code, name, pattern.confidence, pattern.id, matched)
                best[code] = (key, candidate)
    return [candidate for _, candidate in sorted(best.values(), key=lambda item: item[0])]


def explain(text: str, *, lint: bool = True, table: Sequence[Pattern] | None = None) -> Explanation:
    """The rules that cover the Numba error `text`, most likely first.

    With `lint`, the files and lines the message names that exist here are linted, and the error
    rules the linter reports at those lines go first (added if no pattern named them): the
    linter sees the code, the message only its symptom.
    """
    message = parse(text)
    candidates = match(message, table)
    if lint:
        candidates = _confirm(candidates, lint_locations(message.locations))
    return Explanation(message, tuple(candidates))


def _confirm(
    candidates: list[Candidate], found: dict[str, tuple[str, SourceLocation]]
) -> list[Candidate]:
    if not found:
        return candidates
    by_code = {c.code: c for c in candidates}
    confirmed: list[Candidate] = []
    for code, (name, where) in found.items():
        previous = by_code.pop(code, None)
        if previous is None:
            confirmed.append(Candidate(code, name, Confidence.MEDIUM, None, "", where))
        else:
            confirmed.append(
                Candidate(
                    code, name, previous.confidence, previous.pattern, previous.matched, where
                )
            )
    return confirmed + [c for c in candidates if c.code in by_code]


def lint_locations(
    locations: Sequence[SourceLocation],
) -> dict[str, tuple[str, SourceLocation]]:
    """The error rules the linter reports at the lines named: {code: (name, where)}.

    Only existing user files are read (not those of installed packages); a file the linter
    cannot read adds nothing.
    """
    from numba_check.api import check_source
    from numba_check.model import Severity

    lines_by_file: dict[Path, set[int]] = {}
    for location in locations:
        path = Path(location.path)
        if location.installed or path.suffix != ".py" or not path.is_file():
            continue
        resolved = path.resolve()
        if resolved not in lines_by_file and len(lines_by_file) >= MAX_LINTED_FILES:
            continue
        lines_by_file.setdefault(resolved, set()).add(location.line)
    found: dict[str, tuple[str, SourceLocation]] = {}
    for path, lines in lines_by_file.items():
        try:
            diagnostics = check_source(path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError):
            continue
        for d in diagnostics:
            if d.severity is Severity.ERROR and d.location.line in lines and d.code not in found:
                found[d.code] = (d.name, SourceLocation(str(path), d.location.line))
    return found
