"""JUnit XML in ruff's shape: a testsuite per file, a failing testcase per diagnostic."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from itertools import groupby

from numba_check.model import Diagnostic
from numba_check.output.base import FormatContext, display_name, row_col

NAME = "junit"

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_RAW_CONTROL = re.compile("[\r\x7f-\x9f]")


def render(diagnostics: Sequence[Diagnostic], ctx: FormatContext) -> str:
    """A ``testsuites`` document; with nothing to report, one passing testcase, as ruff does."""
    root = ET.Element("testsuites", _counts("numba-check", len(diagnostics)))
    if not diagnostics:
        suite = ET.SubElement(root, "testsuite", _counts("numba-check", 0, tests=1))
        ET.SubElement(suite, "testcase", name="No errors found", classname="numba-check")
    # The engine sorts by filename, so each file's diagnostics are adjacent.
    for filename, group in groupby(diagnostics, key=lambda d: d.filename):
        found = list(group)
        suite = ET.SubElement(root, "testsuite", _counts(display_name(filename), len(found)))
        for diagnostic in found:
            _testcase(suite, diagnostic)
    ET.indent(root, space="    ")
    # CR (which XML would read back as a newline anyway), DEL and the C1 controls are XML
    # characters that a terminal acts on: written as references, not raw.
    body = ET.tostring(root, encoding="unicode")
    body = _RAW_CONTROL.sub(lambda m: f"&#x{ord(m.group()):x};", body)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _counts(name: str, failures: int, tests: int | None = None) -> dict[str, str]:
    return {
        "name": _xml_text(name),
        "tests": str(failures if tests is None else tests),
        "skipped": "0",
        "failures": str(failures),
        "errors": "0",
    }


def _testcase(suite: ET.Element, diagnostic: Diagnostic) -> None:
    row, col = row_col(diagnostic.location)
    case = ET.SubElement(
        suite,
        "testcase",
        name=f"{diagnostic.code} ({diagnostic.name})",
        classname=_xml_text(display_name(diagnostic.filename)),
        file=_xml_text(display_name(diagnostic.filename)),
        line=str(row),
        column=str(col),
    )
    properties = ET.SubElement(case, "properties")
    ET.SubElement(properties, "property", name="severity", value=diagnostic.severity.value)
    if diagnostic.cell is not None:
        ET.SubElement(properties, "property", name="cell", value=str(diagnostic.cell))
    failure = ET.SubElement(
        case,
        "failure",
        message=_xml_text(f"{diagnostic.code}: {diagnostic.message}"),
        type=diagnostic.code,
    )
    where = f"cell {diagnostic.cell}, " if diagnostic.cell is not None else ""
    failure.text = _xml_text(f"{where}line {row}, col {col}, {diagnostic.message}")


def _xml_text(text: str) -> str:
    """``text`` with the characters XML cannot hold replaced; ElementTree escapes the rest."""
    return _NOT_XML.sub("\ufffd", text)
