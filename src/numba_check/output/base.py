r"""What every formatter shares: the context it is given, the 1-based positions it prints and
the way it shows a file name.

Source lines, messages and file names come from the project being checked, which may be a
stranger's: their control characters (ESC starts a terminal escape sequence, BEL rings, CR
overwrites the line) are never printed raw. Text formats show them as ``\xNN`` (`printable`);
JSON shows them as ``\u00NN`` escapes and XML as character references, which their readers turn
back into the same characters (`json_text`, and junit's own escaping).

Every format renders text that UTF-8 can carry, whatever the file names. A POSIX file name is
bytes, and a byte that is not UTF-8 reaches us as a lone surrogate (PEP 383): every format that
shows names shows it as ``\xNN`` (``b"bad\xff.py"`` is shown ``bad\xff.py``, ``display_name``),
and SARIF's URIs percent-encode the original bytes (``bad%FF.py``, ``name_bytes``).
"""

from __future__ import annotations

import re
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
    # ANSI colours, for a terminal (the command line decides, honouring NO_COLOR/FORCE_COLOR).
    color: bool = False


# A formatter turns diagnostics, already sorted by the engine, into the text to print. Text that
# is not empty ends with a newline.
Formatter = Callable[[Sequence[Diagnostic], FormatContext], str]


def row_col(location: Location) -> tuple[int, int]:
    """The 1-based (row, column) that users see; diagnostic columns are 0-based."""
    return location.line, location.column + 1


def position(diagnostic: Diagnostic) -> str:
    """``path:row:col`` as ruff prints it, or ``path:cell N:row:col`` inside a notebook; the
    path with its control characters escaped (it is printed as text)."""
    row, col = row_col(diagnostic.location)
    cell = f"cell {diagnostic.cell}:" if diagnostic.cell is not None else ""
    return f"{printable(display_name(diagnostic.filename))}:{cell}{row}:{col}"


# A POSIX file name is bytes, and Python hands the bytes that are not UTF-8 over as lone
# surrogates (U+DC80 to U+DCFF, PEP 383); Windows names may hold lone surrogates of their own.
# Neither can be written as UTF-8, so every format shows a name through the two functions below.
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_BYTES = range(0xDC80, 0xDD00)


def display_name(filename: str) -> str:
    r"""``filename`` as text any UTF-8 output can carry: each byte that is not UTF-8 as ``\xNN``
    (``bad\xff.py``, as Python's ``backslashreplace`` shows it), any other lone surrogate as
    ``\uXXXX``. Names that are valid Unicode, nearly all of them, are returned unchanged."""
    return _SURROGATE.sub(_escape_surrogate, filename)


def _escape_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if code in _ESCAPED_BYTES else f"\\u{code:04x}"


def name_bytes(filename: str) -> bytes:
    """The bytes ``filename`` stands for, as UTF-8: escaped bytes back to themselves, other lone
    surrogates as the file system of Windows stores them (``surrogatepass``). For formats that
    percent-encode a name (SARIF's URIs), which then lose nothing."""
    parts = _SURROGATE.split(filename)
    out = bytearray(parts[0].encode("utf-8"))
    for match, text in zip(_SURROGATE.finditer(filename), parts[1:], strict=True):
        code = ord(match.group())
        if code in _ESCAPED_BYTES:
            out.append(code - 0xDC00)
        else:
            out += match.group().encode("utf-8", "surrogatepass")
        out += text.encode("utf-8")
    return bytes(out)


# C0 controls but tab and newline, DEL and the C1 controls (U+0080 to U+009F: a terminal that
# reads UTF-8 may act on U+009B as on ESC [).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What json.dumps(..., ensure_ascii=False) leaves raw of them: DEL and C1.
_RAW_IN_JSON = re.compile("[\x7f-\x9f]")


def printable(text: str) -> str:
    r"""``text`` with each control character shown as ``\xNN`` (ESC as ``\x1b``); tabs and
    newlines are kept. For every format a terminal shows as text."""
    return _CONTROL.sub(_hex_escape, text)


_LINE_END = re.compile(r"(\r\n|\r|\n)")


def printable_lines(text: str) -> str:
    """``text`` as `printable` shows it, but with its line ends (CR LF, CR, LF) kept as they
    are: for a diff shown on a terminal."""
    parts = _LINE_END.split(text)
    return "".join(part if i % 2 else printable(part) for i, part in enumerate(parts))


def _hex_escape(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()):02x}"


def json_text(text: str) -> str:
    """JSON text from ``json.dumps(..., ensure_ascii=False)`` with DEL and the C1 controls
    escaped as ``\\u00NN`` too (JSON escapes the C0 ones itself); it reads back the same."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def has_safe_fix(diagnostic: Diagnostic) -> bool:
    fix = diagnostic.fix
    return fix is not None and fix.applicability is Applicability.SAFE


# ANSI styles as ruff uses them: the place bold, the code by severity, the fix marker cyan.
_STYLES = {
    "bold": "1",
    "cyan": "36",
    Severity.ERROR: "1;31",
    Severity.WARNING: "1;33",
    Severity.INFO: "1;34",
}


def paint(text: str, style: str | Severity, on: bool) -> str:
    """`text` in an ANSI style when `on`; as is otherwise."""
    return f"\x1b[{_STYLES[style]}m{text}\x1b[0m" if on and text else text


def one_line(text: str) -> str:
    """The message on a single line, for formats that print one line per diagnostic."""
    return " ".join(text.splitlines())


def lines_of(text: str) -> list[str]:
    """Physical lines of ``text``, splitting only on the line breaks Python source uses."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
