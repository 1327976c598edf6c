"""Odd file contents through the command line: bytes that are not UTF-8, byte order marks, every
line ending, tabs, null bytes, a 5 MB file, an empty file. Each gives the exact diagnostic (or
none), the documented exit code, and never a traceback."""

from __future__ import annotations

import ast
import codecs

import pytest

from numba_check.api import check_source
from tests.cli.snippets import NB101, NB302, NB302_FIXED
from tests.robustness.helpers import all_rules, lint

# NB101 on row 8 (`except ZeroDivisionError:`), column 5.
NB101_AT = ("bad.py", "NB101", 8, 5)


# -- encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "row", "column"),
    [
        pytest.param(b"import numba\nx = '\xe9'\n", 2, 5, id="latin-1"),
        pytest.param(b"import numba\n# caf\xc3\n", 2, 5, id="truncated-sequence-in-comment"),
        pytest.param(b"\xff\xfei\x00m\x00p\x00", 1, 0, id="utf-16"),
        pytest.param(b"import numba\r\n\r\nx = 1 # \x80\r\n", 3, 8, id="crlf"),
        # A coding cookie makes Python read Latin-1; numba-check reads UTF-8 only (documented).
        pytest.param(b"# -*- coding: latin-1 -*-\nimport numba\ns = '\xe9'\n", 3, 5, id="cookie"),
    ],
)
def test_undecodable_bytes_are_nb902(project, run, data, row, column):
    (project.root / "bad.py").write_bytes(data)
    report = lint(run, "bad.py")
    assert report.found == [("bad.py", "NB902", row, column + 1)]
    assert report.code == 1


def test_undecodable_file_does_not_hide_the_others(project, run):
    (project.root / "a.py").write_bytes(b"import numba\nx = '\xe9'\n")
    project.write("bad.py", NB101)
    report = lint(run, ".")
    assert report.found == [("a.py", "NB902", 2, 6), NB101_AT]


def test_byte_order_mark_shifts_nothing(project, run):
    (project.root / "bad.py").write_bytes(codecs.BOM_UTF8 + NB101.encode())
    report = lint(run, "bad.py")
    assert report.found == [NB101_AT]
    assert report.code == 1


def test_byte_order_mark_alone_is_an_empty_file(project, run):
    (project.root / "bom.py").write_bytes(codecs.BOM_UTF8)
    assert lint(run, "bom.py").found == [("bom.py", "NB903", 1, 1)]


def test_lone_surrogate_through_the_api_is_nb902():
    # A file cannot hold one (it would not decode), but a str handed to check_source can.
    source = NB101.replace("return 0.0", "return '\ud800'")
    (diag,) = check_source(source, "m.py", settings=all_rules())
    assert (diag.code, diag.location.line, diag.location.column) == ("NB902", 9, 16)
    assert "U+D800" in diag.message


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(NB101.replace("return 0.0", "return '\0'"), id="in-a-string"),
        pytest.param(NB101.replace("return 0.0", "return 0.0  # \0"), id="in-a-comment"),
    ],
)
def test_null_bytes_are_refused_as_python_refuses_them(project, run, source):
    project.write("bad.py", source)
    report = lint(run, "bad.py")
    assert [f[1:3] for f in report.found] == [("NB901", 9)]
    assert report.messages == ["Cannot parse: source code cannot contain null bytes"]
    with pytest.raises((SyntaxError, ValueError)):
        ast.parse(source)


# -- line endings and tabs ----------------------------------------------------------------

SUPPRESSED = NB101.replace("except ZeroDivisionError:", "except ZeroDivisionError:  # noqa: NB101")
# Two problems: one suppressed on row 8, one reported on row 10; an unused noqa on row 5.
TWO = (
    SUPPRESSED.replace("def f(x):", "def f(x):  # noqa: NB202")
    + "    except ValueError:\n        return 1.0\n"
)


def _endings(text: str, style: str) -> str:
    lines = text.split("\n")
    if style == "mixed":
        ends = ["\r\n", "\n", "\r"]
        return "".join(line + ends[i % 3] for i, line in enumerate(lines[:-1])) + lines[-1]
    return text.replace("\n", {"lf": "\n", "crlf": "\r\n", "cr": "\r"}[style])


@pytest.mark.parametrize("style", ["lf", "crlf", "cr", "mixed"])
def test_line_endings_give_the_same_rows_and_noqa(project, run, style):
    (project.root / "bad.py").write_bytes(_endings(TWO, style).encode())
    report = lint(run, "--extend-select", "NB904", "bad.py")
    assert [f[1:] for f in report.found] == [("NB904", 5, 12), ("NB101", 10, 5)]
    assert report.code == 1


@pytest.mark.parametrize("style", ["crlf", "cr", "mixed"])
def test_fix_keeps_every_line_ending(project, run, style):
    original = _endings(NB302 + "\n\n" + NB101.replace("def f(", "def g("), style)
    (project.root / "a.py").write_bytes(original.encode())
    report = lint(run, "--fix", "a.py")
    assert [f[1] for f in report.found] == ["NB101"]
    fixed = (project.root / "a.py").read_bytes().decode()
    assert fixed == original.replace("np.zeros([n, m])", "np.zeros((n, m))")
    ast.parse(fixed)


def test_tab_indentation_is_checked_like_spaces(project, run):
    project.write("bad.py", NB101.replace("        ", "\t\t").replace("    ", "\t"))
    report = lint(run, "bad.py")
    # Columns count characters, as ruff's do: the tab before `except` is one.
    assert report.found == [("bad.py", "NB101", 8, 2)]


def test_inconsistent_tabs_are_a_syntax_error_at_the_right_line(project, run):
    project.write("bad.py", NB101.replace("        return 1 / x", "\treturn 1 / x"))
    report = lint(run, "bad.py")
    assert [f[1:3] for f in report.found] == [("NB901", 7)]
    assert "inconsistent use of tabs" in report.messages[0]
    assert report.code == 1


def test_form_feed_between_functions(project, run):
    project.write("bad.py", NB101.replace("\n\n@numba.njit", "\n\x0c\n@numba.njit"))
    # A form feed is whitespace, not a line break, to Python (str.splitlines() disagrees).
    assert lint(run, "bad.py").found == [NB101_AT]


# -- size and emptiness -------------------------------------------------------------------

FIVE_MB = 5 * 1024 * 1024


def test_five_megabyte_file(project, run):
    # A generated module: a compiled function and 5 MB of data in a string.
    row = "0123456789abcdef" * 5 + "\n"
    text = NB101 + '\nDATA = """\n' + row * (FIVE_MB // len(row)) + '"""\n\n' + NB302
    project.write("big.py", text)
    assert len(text) > FIVE_MB
    report = lint(run, "big.py")
    last = text.count("\n")  # NB302 is on the last line
    assert report.found == [("big.py", "NB101", 8, 5), ("big.py", "NB302", last, 21)]
    assert report.code == 1


def test_five_megabyte_file_without_numba_is_skipped(project, run):
    line = "value = compute(1, 2, 3)  # " + "x" * 50 + "\n"
    project.write("plain.py", line * (FIVE_MB // len(line) + 1))
    report = lint(run, "plain.py")
    assert report.found == []
    assert report.code == 0


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param("empty.py", "", [("empty.py", "NB903", 1, 1)], id="zero-bytes"),
        pytest.param("blank.py", " \t\r\n\n", [("blank.py", "NB903", 1, 1)], id="whitespace"),
        pytest.param("pkg/__init__.py", "", [], id="package-marker"),
    ],
)
def test_empty_file(project, run, name, text, expected):
    project.write(name, text)
    report = lint(run, name)
    assert report.found == expected
    assert report.code == (1 if expected else 0)


def test_empty_file_among_others(project, run):
    project.write("empty.py", "")
    project.write("bad.py", NB101)
    project.write("pkg/__init__.py", "")
    report = lint(run, ".")
    assert report.found == [NB101_AT, ("empty.py", "NB903", 1, 1)]
    assert project.read("empty.py") == ""


def test_fixing_a_file_that_ends_without_a_newline(project, run):
    project.write("a.py", NB302.rstrip("\n"))
    assert lint(run, "--fix", "a.py").found == []
    assert project.read("a.py") == NB302_FIXED.rstrip("\n")
