"""What every formatter shares: the context it is given and the 1-based positions it prints."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from numba_check.model import Applicability, Diagnostic, Location, Severity


@dataclass(frozen=True)
class RuleInfo:
    """What a format that describes rules (SARIF) needs to know about one rule."""

    code: str
    name: str
    severity: Severity
    summary: str
    url: str | None = None


@dataclass(frozen=True, kw_only=True)
class FormatContext:
    """Everything a formatter may use besides the diagnostics themselves.

    ``sources`` maps a filename to its text, for formats that show snippets; a notebook cell's
    text goes under ``"<filename>:cell <n>"``. ``rules`` maps a code to its RuleInfo, for formats
    that list the rules that were run.
    """

    tool_version: str
    sources: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    show_fixes: bool = False
    rules: Mapping[str, RuleInfo] = field(default_factory=lambda: MappingProxyType({}))


# A formatter turns diagnostics, already sorted by the engine, into the text to print. Text that
# is not empty ends with a newline.
Formatter = Callable[[Sequence[Diagnostic], FormatContext], str]


def row_col(location: Location) -> tuple[int, int]:
    """The 1-based (row, column) that users see; libcst columns are 0-based."""
    return location.line, location.column + 1


def position(diagnostic: Diagnostic) -> str:
    """``path:row:col`` as ruff prints it, or ``path:cell N:row:col`` inside a notebook."""
    row, col = row_col(diagnostic.location)
    cell = f"cell {diagnostic.cell}:" if diagnostic.cell is not None else ""
    return f"{diagnostic.filename}:{cell}{row}:{col}"


def has_safe_fix(diagnostic: Diagnostic) -> bool:
    fix = diagnostic.fix
    return fix is not None and fix.applicability is Applicability.SAFE


def one_line(text: str) -> str:
    """The message on a single line, for formats that print one line per diagnostic."""
    return " ".join(text.splitlines())


def lines_of(text: str) -> list[str]:
    """Physical lines of ``text``, splitting only on the line breaks Python source uses."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
