"""ruff's concise format: ``path:row:col: NB101 [*] message``, one line per diagnostic."""

from __future__ import annotations

from collections.abc import Sequence

from numba_check.model import Diagnostic
from numba_check.output.base import (
    FormatContext,
    has_safe_fix,
    one_line,
    position,
    printable,
)

NAME = "concise"


def header(diagnostic: Diagnostic, *, single_line: bool = True) -> str:
    """The line that stands for a diagnostic; the full format starts with it too."""
    # As in ruff, [*] promises what `--fix` does without `--unsafe-fixes`: safe fixes only.
    marker = "[*] " if has_safe_fix(diagnostic) else ""
    message = printable(one_line(diagnostic.message) if single_line else diagnostic.message)
    return f"{position(diagnostic)}: {diagnostic.code} {marker}{message}"


def render(diagnostics: Sequence[Diagnostic], ctx: FormatContext) -> str:
    """One line per diagnostic, in the order given."""
    return "".join(header(d) + "\n" for d in diagnostics)
