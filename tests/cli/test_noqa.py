"""Suppression comments, through the command line."""

from __future__ import annotations

from tests.cli.snippets import NB101, NB302

LINE = "    except ZeroDivisionError:"


def test_line_noqa_with_code(project, run):
    project.write("a.py", NB101.replace(LINE, LINE + "  # noqa: NB101"))
    assert run("a.py").code == 0


def test_blanket_line_noqa(project, run):
    project.write("a.py", NB101.replace(LINE, LINE + "  # noqa"))
    assert run("a.py").code == 0


def test_line_noqa_with_other_code_does_not_suppress(project, run):
    project.write("a.py", NB101.replace(LINE, LINE + "  # noqa: NB302"))
    result = run("--output-format", "concise", "a.py")
    assert result.code == 1
    assert "NB101" in result.out


def test_file_level_noqa(project, run):
    project.write("a.py", "# numba-check: noqa\n" + NB101 + NB302.replace("def f(", "def g("))
    assert run("a.py").code == 0


def test_file_level_noqa_with_codes(project, run):
    body = NB101 + NB302.replace("def f(", "def g(")
    project.write("a.py", "# numba-check: noqa: NB101\n" + body)
    result = run("--output-format", "concise", "a.py")
    assert result.code == 1
    assert "NB101" not in result.out
    assert "NB302" in result.out


def test_unused_noqa_is_reported_when_selected(project, run):
    project.write("a.py", NB101.replace(LINE, LINE + "  # noqa: NB101, NB302"))
    assert run("a.py").code == 0
    result = run("--output-format", "concise", "--extend-select", "NB904", "a.py")
    assert result.code == 1
    assert "NB904" in result.out and "NB302" in result.out
