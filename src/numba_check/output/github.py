"""GitHub Actions workflow commands, which the runner turns into annotations on the diff."""

from __future__ import annotations

from collections.abc import Sequence

from numba_check.model import Diagnostic, Severity
from numba_check.output.base import (
    FormatContext,
    display_name,
    position,
    printable,
    row_col,
)

NAME = "github"

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(diagnostics: Sequence[Diagnostic], ctx: FormatContext) -> str:
    """One ``::error``/``::warning``/``::notice`` command per diagnostic."""
    return "".join(command(d) + "\n" for d in diagnostics)


def command(diagnostic: Diagnostic) -> str:
    row, col = row_col(diagnostic.location)
    end_row, end_col = row_col(diagnostic.end_location)
    properties = {
        "title": f"numba-check ({diagnostic.code})",
        "file": printable(display_name(diagnostic.filename)),
        "line": row,
        "col": col,
        "endLine": end_row,
        "endColumn": end_col,
    }
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    text = f"{position(diagnostic)}: {diagnostic.code} {printable(diagnostic.message)}"
    return f"::{_COMMAND[diagnostic.severity]} {props}::{escape_data(text)}"


def escape_data(text: str) -> str:
    """Escape a command's message as the Actions runner unescapes it (actions/toolkit)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value, where ``:`` and ``,`` also delimit."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
