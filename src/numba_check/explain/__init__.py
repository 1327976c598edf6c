"""Numba's error messages mapped to the rules that cover them.

``explain(text)`` reads what Numba printed when it refused a function (the exception line, a
whole traceback with its chained exceptions, or pytest's ``E`` lines), normalises it
(`message`), matches the patterns of ``knowledge/data/errors.toml`` against it (`patterns`)
and ranks the rules that cover it, each with the pattern and the lines that matched
(`matching`). When the message names a file and a line that exist here, the linter runs on the
file and the rules it reports at that line go first.

The patterns come from, and are proven against, the messages Numba 0.57 to 0.68 give for
every snippet they refuse (tests/explain). Numba itself is never imported.
"""

from __future__ import annotations

from numba_check.explain.matching import Candidate, Explanation, explain, lint_locations, match
from numba_check.explain.message import ParsedMessage, SourceLocation, exception_text, parse
from numba_check.explain.patterns import (
    Confidence,
    Pattern,
    PatternError,
    load_patterns,
    patterns,
)

__all__ = [
    "Candidate",
    "Confidence",
    "Explanation",
    "ParsedMessage",
    "Pattern",
    "PatternError",
    "SourceLocation",
    "exception_text",
    "explain",
    "lint_locations",
    "load_patterns",
    "match",
    "parse",
    "patterns",
]
