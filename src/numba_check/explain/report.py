"""`numba-check explain` output: the rules that cover a message, as text or JSON."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import Any

from numba_check.explain.matching import Candidate, Explanation
from numba_check.explain.message import SourceLocation

# The lines of Numba's message shown before the rules; the rest is in the JSON.
MESSAGE_LINES = 8
TROUBLESHOOTING = "https://numba.readthedocs.io/en/stable/user/troubleshoot.html"


def to_json(explanation: Explanation) -> dict[str, Any]:
    """The explanation as plain data: the message, the places it names, the rules."""
    message = explanation.message
    return {
        "error": message.error,
        "message": list(message.lines),
        "locations": [{"filename": loc.path, "row": loc.line} for loc in message.locations],
        "candidates": [_candidate_json(c) for c in explanation.candidates],
    }


def _candidate_json(candidate: Candidate) -> dict[str, Any]:
    from numba_check.rules import RULES_BY_CODE

    rule = RULES_BY_CODE[candidate.code]
    linted = candidate.linted
    return {
        "code": candidate.code,
        "name": candidate.name,
        "severity": rule.severity.value,
        "confidence": candidate.confidence.value,
        "pattern": candidate.pattern,
        "matched": candidate.matched or None,
        "linter": None if linted is None else {"filename": linted.path, "row": linted.line},
        "summary": rule.summary(),
        "documentation": rule.documentation(),
    }


def render_text(explanation: Explanation) -> str:
    """The message in short, the rules that cover it, and the first rule's documentation."""
    out = [_message_block(explanation)]
    if not explanation.candidates:
        out.append(_no_match(explanation))
        return "\n".join(out)
    out.append("Rules that cover it, most likely first:")
    previous = None
    for candidate in explanation.candidates:
        out.append(_candidate_line(candidate))
        if candidate.matched and candidate.matched != previous:
            out.append(_indent("matched: " + candidate.matched, "      "))
        previous = candidate.matched
    first, *others = explanation.candidates
    out += ["", _documentation(first)]
    if others:
        codes = ", ".join(c.code for c in others)
        out.append(f"Documentation of the other rules ({codes}): `numba-check rule CODE`.")
    return "\n".join(out).rstrip() + "\n"


def _message_block(explanation: Explanation) -> str:
    message = explanation.message
    lines = list(message.lines)
    shown = lines[:MESSAGE_LINES]
    if len(lines) > MESSAGE_LINES:
        shown.append(f"... ({len(lines) - MESSAGE_LINES} more lines)")
    return "Numba's message:\n" + "\n".join(_indent(line, "    ") for line in shown) + "\n"


def _candidate_line(candidate: Candidate) -> str:
    line = f"  {candidate.code} {candidate.name} ({candidate.confidence.value} confidence)"
    if candidate.linted is not None:
        where = f"{candidate.linted.path}:{candidate.linted.line}"
        line += f", reported by the linter at {where}"
    return line


def _documentation(candidate: Candidate) -> str:
    from numba_check.rules import RULES_BY_CODE

    rule = RULES_BY_CODE[candidate.code]
    return f"# {rule.name} ({rule.code})\n\n{rule.documentation().rstrip()}\n"


def _no_match(explanation: Explanation) -> str:
    locations = _distinct(loc for loc in explanation.message.locations if not loc.installed)
    lines = ["No rule of numba-check covers this message."]
    if locations:
        where = ", ".join(f"{loc.path}:{loc.line}" for loc in locations[:3])
        lines.append(
            f"It names {where}: `numba-check` on that file may still find what Numba refuses."
        )
    lines.append(f"Numba's guide to its errors: {TROUBLESHOOTING}")
    return "\n".join(lines) + "\n"


def _distinct(locations: Iterable[SourceLocation]) -> list[SourceLocation]:
    """`locations` without the same place named twice (Numba names a file both relative to
    the working directory and absolute)."""
    out: list[SourceLocation] = []
    for location in locations:
        if not any(_same_place(location, seen) for seen in out):
            out.append(location)
    return out


def _same_place(a: SourceLocation, b: SourceLocation) -> bool:
    if a.line != b.line:
        return False
    tail_a, tail_b = (_relative_tail(p.path) for p in (a, b))
    return a.path == b.path or a.path.endswith("/" + tail_b) or b.path.endswith("/" + tail_a)


def _relative_tail(path: str) -> str:
    """`../../tmp/x.py` -> `tmp/x.py`: what a relative path says about where the file is."""
    parts = path.replace("\\", "/").split("/")
    return "/".join(p for p in parts if p not in ("", ".", ".."))


def _indent(text: str, prefix: str) -> str:
    return textwrap.indent(text, prefix, lambda _: True)
