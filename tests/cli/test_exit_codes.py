"""Exit codes: 0 clean, 1 diagnostics remain, 2 usage/config/internal error."""

from __future__ import annotations

import pytest

from numba_check import cli
from tests.cli.snippets import CLEAN, NB101, NOT_NUMBA, SYNTAX_ERROR


def test_clean_file_exits_0(project, run):
    project.write("ok.py", CLEAN)
    result = run("ok.py")
    assert result.code == 0
    assert result.out == "All checks passed!\n"
    assert result.err == ""


def test_diagnostic_exits_1(project, run):
    project.write("bad.py", NB101)
    result = run("bad.py")
    assert result.code == 1
    assert "bad.py:8:5: NB101" in result.out
    assert "Found 1 error." in result.out


def test_check_subcommand_and_default_are_the_same(project, run):
    project.write("bad.py", NB101)
    assert (
        run("check", "bad.py", "--output-format", "concise").out
        == run("bad.py", "--output-format", "concise").out
    )


def test_no_paths_checks_the_working_directory(project, run):
    project.write("pkg/bad.py", NB101)
    result = run("--output-format", "concise")
    assert result.code == 1
    assert "pkg/bad.py:8:5: NB101" in result.out


def test_exit_zero(project, run):
    project.write("bad.py", NB101)
    result = run("--exit-zero", "bad.py")
    assert result.code == 0
    assert "NB101" in result.out


def test_unknown_flag_exits_2(project, run):
    result = run("--no-such-flag", ".")
    assert result.code == 2
    assert "unrecognized argument '--no-such-flag'" in result.err


def test_no_python_files_warns_and_exits_0(project, run):
    (project.root / "empty").mkdir()
    result = run("empty")
    assert result.code == 0
    assert "warning: No Python files found" in result.err


def test_missing_path_is_reported_like_ruff_e902(project, run):
    result = run("--output-format", "concise", "missing.py")
    assert result.code == 1
    assert result.out.startswith("missing.py:1:1: NB905 error: Cannot read file")


def test_syntax_error_is_a_diagnostic(project, run):
    project.write("broken.py", SYNTAX_ERROR)
    result = run("--output-format", "concise", "broken.py")
    assert result.code == 1
    assert "broken.py:" in result.out and "NB901" in result.out
    assert "Traceback" not in result.err


def test_file_without_numba_is_clean(project, run):
    project.write("plain.py", NOT_NUMBA)
    assert run("plain.py").code == 0


def test_version(run):
    result = run("--version")
    assert result.code == 0
    assert result.out.startswith("numba-check ")


def test_help(run):
    result = run("--help")
    assert result.code == 0
    assert "check" in result.out and "rules" in result.out


def test_internal_error_is_a_short_message(project, run, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr("numba_check.api.run", boom)
    project.write("ok.py", CLEAN)
    result = run("ok.py")
    assert result.code == 2
    assert "internal error: RuntimeError: kaboom" in result.err
    assert "report" in result.err
    assert "Traceback" not in result.err


def test_internal_error_traceback_with_debug(project, run, monkeypatch, capsys):
    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr("numba_check.api.run", boom)
    monkeypatch.setenv("NUMBA_CHECK_DEBUG", "1")
    project.write("ok.py", CLEAN)
    assert cli.main(["ok.py"]) == 2
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["json", "github", "sarif", "junit"])
def test_machine_formats_print_no_summary(project, run, fmt):
    project.write("bad.py", NB101)
    result = run("--output-format", fmt, "bad.py")
    assert result.code == 1
    assert result.err == ""
    assert result.out
