"""ruff's concise format, one line per diagnostic, with the severity before the message:
``path:row:col: NB101 [*] error: message``."""

from __future__ import annotations

from collections.abc import Sequence

from numba_check.model import Diagnostic
from numba_check.output.base import (
    FormatContext,
    has_safe_fix,
    one_line,
    paint,
    position,
    printable,
)

NAME = "concise"


def header(diagnostic: Diagnostic, *, single_line: bool = True, color: bool = False) -> str:
    """The line that stands for a diagnostic; the full format starts with it too."""
    # As in ruff, [*] promises what `--fix` does without `--unsafe-fixes`: safe fixes only.
    marker = paint("[*]", "cyan", color) + " " if has_safe_fix(diagnostic) else ""
    message = printable(one_line(diagnostic.message) if single_line else diagnostic.message)
    severity = diagnostic.severity
    code = paint(diagnostic.code, severity, color)
    label = paint(f"{severity.value}:", severity, color)
    return f"{paint(position(diagnostic), 'bold', color)}: {code} {marker}{label} {message}"


def render(diagnostics: Sequence[Diagnostic], ctx: FormatContext) -> str:
    """One line per diagnostic, in the order given."""
    return "".join(header(d, color=ctx.color) + "\n" for d in diagnostics)
