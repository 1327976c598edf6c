"""Numba's error text trimmed to the lines that say what is wrong: what the pytest plugin
shows for a compile failure and what --verify reports, one trimming for both."""

from __future__ import annotations

import re

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Lines of Numba's error text that restate the machinery rather than the problem.
_NOISE = (
    "During: ",
    "There are ",
    " - Of which ",
    "Intrinsic in function",
    "Overload in function",
    "Overload of function",
    "With argument(s)",
    "Rejected as the implementation raised a specific error",
    "raised from ",
    "No implementation of function Function(<intrinsic exception_match>)",
    ">>> exception_match",
    "This error may have been caused by the following argument",
    "For more information about typing errors",
    "<source missing",
)
_EXCERPT = re.compile(r'^\s*File "[^"]+", line \d+:\s*$')
_RAISED_FROM = re.compile(r"\.?\s*Raised from (?:None|\S+ \(\d+\))")


def trim_lines(text: str) -> list[str]:
    """The lines of a Numba error message that say what is wrong and where, each once,
    colours removed."""
    kept: list[str] = []
    seen: set[str] = set()
    for raw in _ANSI.sub("", text).splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or any(stripped.startswith(n.strip()) for n in _NOISE):
            continue
        if stripped.startswith("Failed in ") and "pipeline" in stripped:
            continue
        if stripped in seen:
            continue
        seen.add(stripped)
        kept.append(line)
    return kept


def summary(text: str, limit: int = 400) -> str:
    """The trimmed message on one line, up to the first source excerpt Numba quotes."""
    parts = []
    for line in trim_lines(text):
        if _EXCERPT.match(line):
            break
        parts.append(line.strip())
    # "Raised from /path/file.py (5)": the diagnostic's position says where.
    joined = _RAISED_FROM.sub("", " ".join(parts))
    return joined if len(joined) <= limit else joined[: limit - 3].rstrip() + "..."
