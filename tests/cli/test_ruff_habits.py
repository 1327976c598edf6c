"""ruff's habits: stdin, .gitignore, --show-settings/--show-files, --add-noqa, --fix-only,
--exit-non-zero-on-fix, --unfixable/--extend-fixable, colours, NUMBA_CHECK_OUTPUT_FORMAT,
severities in the output and the summary, `rule --all`, "did you mean", -V."""

from __future__ import annotations

import io
import subprocess

import pytest

from numba_check import __version__
from tests.cli.snippets import CLEAN, NB101, NB302, NB302_FIXED, NB501


@pytest.fixture
def stdin(monkeypatch):
    """Put `text` on standard input, as bytes (the command line reads stdin's buffer)."""

    def put(text: str) -> None:
        stream = io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8")
        monkeypatch.setattr("sys.stdin", stream)

    return put


# -- stdin


def test_dash_reads_stdin(project, run, stdin):
    stdin(NB302)
    result = run("--output-format", "concise", "-")
    assert result.code == 1
    assert result.out.startswith("-:7:21: NB302 [*] error: ")


def test_stdin_filename_names_the_text_and_selects_its_settings(project, run, stdin):
    project.pyproject('per-file-ignores = { "tests/*" = ["NB302"] }\n')
    stdin(NB302)
    assert run("--stdin-filename", "tests/a.py").code == 0
    stdin(NB302)
    result = run("--stdin-filename", "src/a.py", "--output-format", "concise")
    assert result.code == 1
    assert result.out.startswith("src/a.py:7:21: NB302")


def test_stdin_fix_writes_the_fixed_source_to_stdout(project, run, stdin):
    stdin(NB302 + NB101.replace("def f(", "def g("))
    result = run("--fix", "--stdin-filename", "a.py", "--output-format", "concise")
    assert result.code == 1  # NB101 has no fix and remains
    assert result.out == (NB302 + NB101.replace("def f(", "def g(")).replace(
        "np.zeros([n, m])", "np.zeros((n, m))"
    )
    assert "a.py:" in result.err and "NB101" in result.err
    assert not (project.root / "a.py").exists()


def test_stdin_fix_of_clean_text_echoes_it(project, run, stdin):
    stdin(CLEAN)
    result = run("--fix", "-")
    assert result.code == 0
    assert result.out == CLEAN


def test_stdin_force_excluded_is_passed_through(project, run, stdin):
    stdin(NB302)
    result = run(
        "--fix", "--force-exclude", "--extend-exclude", "gen", "--stdin-filename", "gen/a.py"
    )
    assert result.code == 0
    assert result.out == NB302


def test_stdin_notebook_by_its_name(project, run, stdin):
    import json

    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None}
    notebook = {
        "cells": [{**cell, "source": NB302}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    stdin(json.dumps(notebook))
    result = run("--stdin-filename", "nb.ipynb", "--output-format", "concise")
    assert result.code == 1
    assert result.out.startswith("nb.ipynb:cell 1:7:21: NB302")


# -- files


def _git_project(project):
    subprocess.run(["git", "init", "-q", str(project.root)], check=True)
    project.write(".gitignore", "generated/\n*_gen.py\n!keep_gen.py\n")
    project.write(".ignore", "sub/skip.py\n")
    for name in ("a.py", "x_gen.py", "keep_gen.py", "generated/b.py", "sub/skip.py", "sub/c.py"):
        project.write(name, NB302)


def test_gitignore_and_ignore_are_respected(project, run):
    _git_project(project)
    listed = run("--show-files").out.splitlines()
    assert [line.removeprefix(str(project.root) + "/") for line in listed] == [
        "a.py",
        "keep_gen.py",
        "sub/c.py",
    ]
    everything = run("--show-files", "--no-respect-gitignore").out.splitlines()
    assert len(everything) == 6


def test_gitignore_can_be_turned_off_in_the_configuration(project, run):
    _git_project(project)
    project.pyproject("respect-gitignore = false\n")
    assert len(run("--show-files").out.splitlines()) == 6


def test_nested_gitignore_overrides_its_parent(project, run):
    _git_project(project)
    project.write("sub/.gitignore", "!x_gen.py\n")
    project.write("sub/x_gen.py", NB302)
    listed = {
        line.removeprefix(str(project.root) + "/") for line in run("--show-files").out.split()
    }
    assert "sub/x_gen.py" in listed and "x_gen.py" not in listed


def test_gitignore_outside_a_repository_is_not_read(project, run):
    project.write(".gitignore", "*.py\n")
    project.write("a.py", NB302)
    assert run("--show-files").out.strip().endswith("a.py")


def test_a_named_file_is_checked_though_ignored(project, run):
    _git_project(project)
    assert run("x_gen.py").code == 1


def test_show_settings(project, run):
    project.pyproject('target-numba = "0.60"\nunfixable = ["NB302"]\n')
    result = run("--show-settings", "--extend-select", "NB904")
    assert result.code == 0
    lines = result.out.splitlines()
    assert f"# Settings from: {project.root / 'pyproject.toml'}" in lines
    assert 'target-numba = "0.60.0"' in lines
    assert 'unfixable = ["NB302"]' in lines
    assert 'extend-select = ["NB904"]' in lines


# -- fixes


def test_fix_only_reports_nothing_and_exits_0(project, run):
    project.write("a.py", NB302 + NB101.replace("def f(", "def g("))
    result = run("--fix-only", "a.py")
    assert result.code == 0
    assert "NB101" not in result.out
    assert result.out.endswith("Fixed 1 error.\n")
    assert "np.zeros((n, m))" in project.read("a.py")


def test_exit_non_zero_on_fix(project, run):
    project.write("a.py", NB302)
    assert run("--fix", "--exit-non-zero-on-fix", "a.py").code == 1
    assert project.read("a.py") == NB302_FIXED
    assert run("--fix", "--exit-non-zero-on-fix", "a.py").code == 0  # nothing left to fix


def test_unfixable_hides_and_keeps_the_fix(project, run):
    project.write("a.py", NB302)
    result = run("--fix", "--unfixable", "NB302", "--output-format", "concise", "a.py")
    assert result.code == 1
    assert project.read("a.py") == NB302
    assert "[*]" not in result.out
    result = run(
        "--fix", "--unfixable", "NB3", "--extend-fixable", "NB302", "a.py"
    )  # the more specific selector wins
    assert project.read("a.py") == NB302_FIXED


def test_add_noqa(project, run):
    project.write("a.py", NB302 + NB101.replace("def f(", "def g("))
    result = run("--add-noqa", "a.py")
    assert result.code == 0
    assert "Added 2 noqa directives." in result.err
    text = project.read("a.py")
    assert "np.zeros([n, m])  # noqa: NB302" in text
    assert run("a.py").code == 0
    assert run("--add-noqa", "a.py").err.startswith("Added 0 noqa directives.")


def test_add_noqa_extends_an_existing_directive_and_leaves_strings_alone():
    from numba_check.add_noqa import add_noqa
    from numba_check.model import Diagnostic, Location, Severity

    def at(line, code):
        loc = Location(line, 0)
        return Diagnostic(code, "x", "m", Severity.ERROR, "a.py", loc, loc)

    source = 'x = 1  # noqa: NB101\ny = """\nz\n"""\nw = 2  # noqa\n'
    text, count = add_noqa(source, [at(1, "NB302"), at(2, "NB101"), at(5, "NB101")])
    assert count == 1
    assert text == source.replace("# noqa: NB101\n", "# noqa: NB101, NB302\n", 1)


# -- output


def test_severities_in_the_lines_and_counted_apart(project, run):
    project.write("a.py", NB101 + NB501.replace("def f(", "def g("))
    result = run("--output-format", "concise", "a.py")
    assert ": NB101 error: " in result.out
    assert ": NB501 warning: " in result.out
    assert "Found 1 error, 1 warning.\n" in result.out


def test_output_format_from_the_environment(project, run, monkeypatch):
    project.write("a.py", NB302)
    monkeypatch.setenv("NUMBA_CHECK_OUTPUT_FORMAT", "json")
    assert run("a.py").out.startswith("[")
    assert run("--output-format", "concise", "a.py").out.startswith("a.py:")
    monkeypatch.setenv("NUMBA_CHECK_OUTPUT_FORMAT", "jsn")
    result = run("a.py")
    assert result.code == 2
    assert "NUMBA_CHECK_OUTPUT_FORMAT: unknown output format 'jsn'" in result.err


@pytest.mark.parametrize(
    ("env", "colored"),
    [({}, False), ({"FORCE_COLOR": "1"}, True), ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, True)],
)
def test_colour_is_forced_or_off(project, run, monkeypatch, env, colored):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    project.write("a.py", NB302)
    assert ("\x1b[" in run("--output-format", "concise", "a.py").out) is colored


def test_no_color_on_a_terminal(project, run, monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    project.write("a.py", NB302)
    assert "\x1b[1;31mNB302" in run("--output-format", "concise", "a.py").out
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run("--output-format", "concise", "a.py").out


# -- the command line itself


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["chek", "."], "unrecognized subcommand 'chek' (did you mean 'check'?)"),
        (["plugin"], "(did you mean 'plugins'?)"),
        (["--fixx"], "unrecognized argument '--fixx' (did you mean '--fix'?)"),
        (["rule", "--al"], None),  # argparse takes a unique abbreviation
        (["check", "--statistic", "--unsafe-fixs"], "(did you mean '--unsafe-fixes'?)"),
    ],
)
def test_mistyped_command_or_flag(project, run, argv, hint):
    result = run(*argv)
    if hint is None:
        assert result.code == 0
    else:
        assert result.code == 2
        assert hint in result.err


def test_version_short_flag(run):
    for args in (["-V"], ["check", "-V"]):
        result = run(*args)
        assert result.code == 0
        assert result.out == f"numba-check {__version__}\n"


def test_rule_all(run):
    result = run("rule", "--all")
    assert result.code == 0
    assert "# exception-class-match (NB101)" in result.out
    assert "# unused-noqa (NB904)" in result.out
    assert run("rule").code == 2


def test_unused_noqa_is_fixable(project, run):
    source = (
        "from numba import njit\n\n\n@njit\ndef f(x):  # noqa: NB101\n"
        "    return x + 1  # keep  # noqa: NB302, NB101\n"
    )
    project.write("a.py", source)
    result = run("--extend-select", "NB904", "--output-format", "concise", "a.py")
    assert result.out.splitlines()[0] == (
        "a.py:5:12: NB904 [*] info: Unused `noqa` directive (unused: NB101)"
    )
    result = run("--extend-select", "NB904", "--fix", "a.py")
    assert result.code == 0
    assert "Fixed 2 info:" in result.out
    assert project.read("a.py") == (
        "from numba import njit\n\n\n@njit\ndef f(x):\n    return x + 1  # keep\n"
    )
    project.write("a.py", source.replace("# noqa: NB302, NB101", "# noqa: NB302"))
    project.write(
        "a.py", source.replace("x + 1  # keep  # noqa: NB302, NB101", "[x][0]  # noqa: NB302")
    )
    assert run("--extend-select", "NB904", "--fix", "a.py").code == 0
    assert "# noqa" not in project.read("a.py")


def test_target_numba_missing_a_digit_is_rejected(project, run):
    project.pyproject('target-numba = "0.6"\n')
    project.write("a.py", NB302)
    result = run("a.py")
    assert result.code == 2
    assert 'did you mean "0.60"?' in result.err
    assert 'did you mean "0.50.1"?' in run("--isolated", "--target-numba", "0.5.1", "a.py").err


def test_server_without_pygls_says_what_to_install(run, monkeypatch):
    import sys

    for name in ("pygls", "lsprotocol", "numba_check.server"):
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "numba_check.server")
    result = run("server")
    assert result.code == 2
    assert "pip install 'numba-check[server]'" in result.err


def test_rule_prints_the_url_of_its_page(run):
    from numba_check.catalogue import DOCS_URL

    result = run("rule", "NB302")
    assert f"Documentation: {DOCS_URL}rules/NB302/\n" in result.out
