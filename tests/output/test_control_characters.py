"""Control characters from a checked project never reach the terminal raw (issue 17).

A stranger's file name, source line or a message quoting their code may hold ESC (which starts
a terminal escape sequence: colours, cursor moves, a changed window title), BEL, a CR that
overwrites what was printed, or a C1 control (U+009B acts as ESC [ on some terminals). Every
format shows them escaped: text formats as ``\\xNN``, JSON as ``\\u00NN`` and XML as character
references (both read back as the original characters), tab and newline as they are.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from numba_check.model import Applicability, Diagnostic, Edit, Fix, Location, Severity
from numba_check.output import FORMATS, FormatContext, get_formatter
from numba_check.output.base import printable

# What a terminal acts on: C0 but tab and newline, DEL, C1.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

NAME = "pkg/\x1b]0;pwned\x07evil\x9b2J.py"
SOURCE = "import numba\nx = [1]  # \x1b[31mred\x1b[0m\x08\x85\x7f\n"
MESSAGE = "Shape \x1b[2Jgiven\ras a list\x07"


def sample() -> tuple[list[Diagnostic], FormatContext]:
    fix = Fix(
        Applicability.SAFE, "Use \x1b[1m(1,)", (Edit(Location(2, 4), Location(2, 7), "(1,)"),)
    )
    found = Diagnostic(
        code="NB302",
        name="shape-as-list",
        message=MESSAGE,
        severity=Severity.ERROR,
        filename=NAME,
        location=Location(2, 4),
        end_location=Location(2, 7),
        fix=fix,
    )
    return [found], FormatContext(tool_version="0.1", sources={NAME: SOURCE}, show_fixes=True)


def test_printable_escapes_controls_and_keeps_tabs_and_newlines():
    assert printable("a\x1b[31mb\tc\nd\x07\r\x00\x7f\x9b\x85é") == (
        "a\\x1b[31mb\tc\nd\\x07\\x0d\\x00\\x7f\\x9b\\x85é"
    )


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_format_prints_a_raw_control_character(fmt):
    diagnostics, context = sample()
    text = get_formatter(fmt)(diagnostics, context)
    assert not RAW_CONTROL.findall(text), text


def test_full_shows_the_source_line_escaped_and_underlines_under_it():
    diagnostics, context = sample()
    text = get_formatter("full")(diagnostics, context)
    assert text.startswith(
        "pkg/\\x1b]0;pwned\\x07evil\\x9b2J.py:2:5: NB302 [*] error: Shape \\x1b[2Jgiven\\x0das a list\\x07"
    )
    assert "2 | x = [1]  # \\x1b[31mred\\x1b[0m\\x08\\x85\\x7f\n  |     ^^^\n" in text
    assert "= help: Use \\x1b[1m(1,)" in text
    assert "2 + x = (1,)  # \\x1b[31mred" in text


def test_json_formats_read_back_the_original_characters():
    diagnostics, context = sample()
    text = get_formatter("json")(diagnostics, context)
    assert "\\u009b" in text and "\\u001b" in text
    (found,) = json.loads(text)
    assert (found["filename"], found["message"]) == (NAME, MESSAGE)
    (issue,) = json.loads(get_formatter("gitlab")(diagnostics, context))
    assert issue["location"]["path"] == NAME
    sarif = json.loads(get_formatter("sarif")(diagnostics, context))
    (result,) = sarif["runs"][0]["results"]
    assert result["message"]["text"].startswith(MESSAGE)


def test_junit_keeps_c1_as_character_references():
    diagnostics, context = sample()
    text = get_formatter("junit")(diagnostics, context)
    assert "&#x9b;" in text
    suite = ET.fromstring(text.encode("utf-8")).find("testsuite")
    assert suite is not None and "\x9b" in (suite.get("name") or "")


def test_the_command_line_escapes_names_and_lines(tmp_path: Path):
    # A real file named with ESC and BEL, whose source line holds ESC: concise and full output.
    name = "m\x1b[1mx\x07.py"
    (tmp_path / name).write_text(
        "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
        "    return np.zeros(n, dtype=int)  # \x1b]0;title\x07\n",
        encoding="utf-8",
    )
    for fmt in (
        ("concise", "full", "github", "grouped")
        if "grouped" in FORMATS
        else (
            "concise",
            "full",
            "github",
        )
    ):
        done = subprocess.run(
            [sys.executable, "-m", "numba_check", "--no-cache", "--output-format", fmt, "."],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 1, done.stderr
        assert "NB307" in done.stdout
        assert "m\\x1b[1mx\\x07.py" in done.stdout
        assert not RAW_CONTROL.findall(done.stdout + done.stderr), (fmt, done.stdout)


class _Terminal:
    """A stand-in for a terminal's standard output."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def write(self, text: str) -> int:
        self.written.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


DIFF_SOURCE = 'import numba\nimport numpy as np\n\n\n@numba.njit\ndef f(n):\r\n    s = "\x1b[2J"\n    return np.zeros([n, n])\n'


def test_diff_on_a_terminal_is_escaped_but_a_piped_diff_applies(tmp_path, monkeypatch):
    from numba_check import cli

    (tmp_path / "a.py").write_bytes(DIFF_SOURCE.encode())
    monkeypatch.chdir(tmp_path)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    assert cli.main(["--no-cache", "--diff", "a.py"]) == 1
    shown = "".join(terminal.written)
    assert "np.zeros((n, n))" in shown
    assert not RAW_CONTROL.findall(shown.replace("\r\n", ""))
    assert "\\x1b[2J" in shown and "\r\n" in shown  # escaped; line ends kept
    monkeypatch.undo()
    piped = subprocess.run(
        [sys.executable, "-m", "numba_check", "--no-cache", "--diff", "a.py"],
        cwd=tmp_path,
        capture_output=True,
    )
    assert b'"\x1b[2J"' in piped.stdout  # byte for byte, so that `patch` applies it
