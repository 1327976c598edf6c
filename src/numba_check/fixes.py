"""Applying fixes: edits to text, safe vs unsafe, re-lint until nothing more is fixable.

As in ruff, fixes are applied in passes: apply every fix that does not overlap one applied
before it, re-lint the result, repeat while something changed (at most MAX_PASSES times). A
fix whose result does not parse is dropped and its diagnostic is kept.
"""

from __future__ import annotations

import ast
import bisect
import difflib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from numba_check.model import Applicability, Diagnostic, Edit, Fix, Location

MAX_PASSES = 10
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")

Linter = Callable[[str], Sequence[Diagnostic]]


def is_applicable(fix: Fix | None, *, unsafe: bool) -> bool:
    """Whether `--fix` applies `fix`: safe ones always, unsafe ones with `--unsafe-fixes`."""
    if fix is None or not (fix.edits or fix.rewrite is not None):
        return False
    return fix.applicability is Applicability.SAFE or unsafe


def resolve(source: str, fixes: Sequence[Fix]) -> list[Fix | None]:
    """`fixes` with their edits in `source`: a fix by rewrite (a structural one) gets them from
    its libcst transformation, which parses `source`, so only a file being fixed is parsed
    with libcst; None where the transformation does not apply (an odd spelling left as is)."""
    if all(fix.rewrite is None or fix.edits for fix in fixes):
        return list(fixes)
    from numba_check import rewrites

    return rewrites.resolve(source, fixes)


def line_offsets(source: str) -> list[int]:
    """Offset of the start of each line (index 0 is line 1); lines end at \\n, \\r\\n or \\r,
    as Python's tokenizer counts them (not at form feeds as str.splitlines does)."""
    offsets = []
    for match in _LINE.finditer(source):
        offsets.append(match.start())
        if match.end() == len(source):
            break
    if not offsets or source.endswith(("\n", "\r")):
        offsets.append(len(source))
    return offsets


def split_lines(source: str) -> list[str]:
    """The lines of `source` with their line endings, split as line_offsets splits them."""
    return [m.group() for m in _LINE.finditer(source) if m.group()]


def to_offset(location: Location, offsets: Sequence[int], length: int) -> int:
    if location.line < 1 or location.line > len(offsets):
        raise ValueError(f"line {location.line} is outside the source")
    return min(offsets[location.line - 1] + location.column, length)


def apply_fixes(source: str, fixes: Iterable[Fix]) -> tuple[str, list[Fix]]:
    """`source` with every fix applied that overlaps no fix applied before it; the applied fixes.

    All edits of one fix go in together or not at all. Fixes are taken in source order.
    """
    offsets = line_offsets(source)
    spans: list[tuple[int, int, str]] = []
    applied: list[Fix] = []
    candidates = []
    for fix in fixes:
        try:
            edits = [
                (
                    to_offset(e.start, offsets, len(source)),
                    to_offset(e.end, offsets, len(source)),
                    e,
                )
                for e in fix.edits
            ]
        except ValueError:
            continue
        if any(start > end for start, end, _ in edits):
            continue
        candidates.append((min(s for s, _, _ in edits), edits, fix))
    candidates.sort(key=lambda c: c[0])
    taken = _Spans()
    for _, edits, fix in candidates:
        if any(taken.overlaps(start, end) for start, end, _ in edits) or _self_overlap(edits):
            continue
        for start, end, _ in edits:
            taken.add(start, end)
        spans.extend((start, end, e.content) for start, end, e in edits)
        applied.append(fix)
    spans.sort(key=lambda s: (s[0], s[1]))
    out, last = [], 0
    for start, end, content in spans:
        out.append(source[last:start])
        out.append(content)
        last = end
    out.append(source[last:])
    return "".join(out), applied


class _Spans:
    """The spans of the edits applied so far, which overlap none of each other, by start."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        # Two insertions at the same point also conflict: their order would be arbitrary. As
        # the spans are apart, only the ones just before and just after `start` can overlap.
        at = bisect.bisect_left(self._starts, start)
        if at > 0 and start < self._ends[at - 1]:
            return True
        return at < len(self._starts) and (self._starts[at] < end or self._starts[at] == start)

    def add(self, start: int, end: int) -> None:
        at = bisect.bisect_left(self._starts, start)
        self._starts.insert(at, start)
        self._ends.insert(at, end)


def _self_overlap(edits: Sequence[tuple[int, int, Edit]]) -> bool:
    ordered = sorted((s, e) for s, e, _ in edits)
    return any(b[0] < a[1] for a, b in zip(ordered, ordered[1:], strict=False))


def parses(source: str) -> bool:
    """Whether Python's own grammar accepts `source`."""
    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


@dataclass
class FixResult:
    source: str  # the fixed text
    remaining: tuple[Diagnostic, ...]  # diagnostics of the fixed text
    fixed: Counter[str] = field(default_factory=Counter)  # applied fixes by code

    @property
    def fixed_count(self) -> int:
        return sum(self.fixed.values())


def fix_source(
    source: str,
    lint: Linter,
    *,
    unsafe: bool = False,
    diagnostics: Sequence[Diagnostic] | None = None,
) -> FixResult:
    """Apply fixes to `source` and re-lint with `lint` until nothing more is fixable.

    `diagnostics`, when given, are `lint(source)` already computed.
    """
    current = source
    found = tuple(lint(current) if diagnostics is None else diagnostics)
    fixed: Counter[str] = Counter()
    for _ in range(MAX_PASSES):
        fixable = [d for d in found if is_applicable(d.fix, unsafe=unsafe)]
        resolved = resolve(current, [d.fix for d in fixable if d.fix is not None])
        fixable = [replace(d, fix=f) for d, f in zip(fixable, resolved, strict=True) if f]
        if not fixable:
            break
        text, applied = _apply_valid(current, fixable)
        if not applied or text == current:
            break
        current = text
        done = set(applied)
        fixed.update(d.code for d in fixable if d.fix in done)
        found = tuple(lint(current))
    return FixResult(current, found, fixed)


def _apply_valid(source: str, fixable: Sequence[Diagnostic]) -> tuple[str, list[Fix]]:
    """Apply all fixes at once if the result parses; else keep, in source order, every group
    of them that parses with those kept before it, halving a group that does not. A few bad
    fixes among n cost a few parses each (about log n), not one parse per fix."""
    fixes = [d.fix for d in fixable if d.fix is not None]
    text, applied = apply_fixes(source, fixes)
    if parses(text):
        return text, applied
    kept: list[Fix] = []
    middle = len(fixes) // 2
    pending = [fixes[middle:], fixes[:middle]]  # a stack: the first half is tried first
    while pending:
        group = pending.pop()
        if not group:
            continue
        trial, done = apply_fixes(source, [*kept, *group])
        if len(done) == len(kept) + len(group) and parses(trial):
            kept.extend(group)
        elif len(group) > 1:
            middle = len(group) // 2
            pending += [group[middle:], group[:middle]]
    return apply_fixes(source, kept)


def unified_diff(before: str, after: str, filename: str) -> str:
    """What --diff prints for one file."""
    lines = difflib.unified_diff(
        split_lines(before),
        split_lines(after),
        fromfile=filename,
        tofile=filename,
    )
    out = []
    for line in lines:
        out.append(
            line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
        )
    return "".join(out)
