"""--fix, --unsafe-fixes and --diff: what is written, what is reported, and idempotence."""

from __future__ import annotations

import codecs

import pytest

from numba_check.settings import Settings
from tests.cli.snippets import (
    NB101,
    NB301,
    NB301_FIXED,
    NB302,
    NB302_FIXED,
    NB501,
    NB501_FIXED,
)


def test_safe_fix_is_applied(project, run):
    project.write("a.py", NB302)
    result = run("--fix", "a.py")
    assert result.code == 0
    assert project.read("a.py") == NB302_FIXED
    # As ruff's --show-fixes lists them: what was fixed, by file and rule, then the summary.
    assert result.out == (
        "Fixed 1 error:\n- a.py:\n    1 \u00d7 NB302 (shape-as-list)\n\n"
        "Found 1 error (1 fixed, 0 remaining).\n"
    )


def test_second_fix_changes_nothing(project, run):
    project.write("a.py", NB302 + NB301.replace("def f(", "def g("))
    assert run("--fix", "a.py").code == 0
    once = project.read("a.py")
    result = run("--fix", "a.py")
    assert result.code == 0
    assert project.read("a.py") == once
    assert "All checks passed!" in result.out


def test_unsafe_fix_needs_unsafe_fixes(project, run):
    project.write("a.py", NB501)
    result = run("--fix", "a.py")
    assert result.code == 1
    assert project.read("a.py") == NB501
    assert "NB501" in result.out
    assert "1 hidden fix can be enabled with the `--unsafe-fixes` option" in result.out
    result = run("--fix", "--unsafe-fixes", "a.py")
    assert result.code == 0
    assert project.read("a.py") == NB501_FIXED


def test_unsafe_fixes_alone_writes_nothing(project, run):
    project.write("a.py", NB501)
    result = run("--unsafe-fixes", "a.py")
    assert result.code == 1
    assert project.read("a.py") == NB501
    assert "[*] 1 fixable with the `--fix` option." in result.out


def test_remaining_diagnostics_are_reported_after_fixing(project, run):
    project.write("a.py", NB302 + NB101.replace("def f(", "def g("))
    result = run("--fix", "--output-format", "concise", "a.py")
    assert result.code == 1
    reported = result.out.split("Fixed 1 error:")[0]
    assert "NB302" not in reported
    assert "NB101" in reported
    assert "Found 2 errors (1 fixed, 1 remaining)." in result.out
    # Positions refer to the fixed text.
    fixed = project.read("a.py").splitlines()
    line = int(result.out.split(":")[1])
    assert "except ZeroDivisionError" in fixed[line - 1]


def test_diff_prints_and_writes_nothing(project, run):
    project.write("a.py", NB302)
    result = run("--diff", "a.py")
    assert result.code == 1
    assert project.read("a.py") == NB302
    assert result.out.startswith("--- a.py\n+++ a.py\n")
    assert "-    return np.zeros([n, m])\n+    return np.zeros((n, m))\n" in result.out
    assert "Would fix 1 error." in result.err


def test_diff_without_changes_exits_0(project, run):
    project.write("a.py", NB101)
    result = run("--diff", "a.py")
    assert result.code == 0
    assert result.out == ""


def test_diff_with_unsafe_fixes(project, run):
    project.write("a.py", NB501)
    assert run("--diff", "a.py").code == 0
    result = run("--diff", "--unsafe-fixes", "a.py")
    assert result.code == 1
    assert "+    out = [0.0] * n" in result.out
    assert project.read("a.py") == NB501


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_fix_keeps_newline_style(project, run, newline):
    project.write("a.py", NB302.replace("\n", newline))
    assert run("--fix", "a.py").code == 0
    assert project.read("a.py") == NB302_FIXED.replace("\n", newline)


def test_fix_keeps_byte_order_mark(project, run):
    path = project.root / "a.py"
    path.write_bytes(codecs.BOM_UTF8 + NB302.encode())
    assert run("--fix", "a.py").code == 0
    assert path.read_bytes() == codecs.BOM_UTF8 + NB302_FIXED.encode()


def test_fix_does_not_touch_clean_files(project, run):
    path = project.write("a.py", NB101)
    before = path.stat().st_mtime_ns
    run("--fix", "a.py")
    assert path.stat().st_mtime_ns == before


def test_noqa_protects_from_fix(project, run):
    text = NB302.replace("np.zeros([n, m])", "np.zeros([n, m])  # noqa: NB302")
    project.write("a.py", text)
    assert run("--fix", "a.py").code == 0
    assert project.read("a.py") == text


def test_ignored_rules_are_not_fixed(project, run):
    project.write("a.py", NB302)
    assert run("--fix", "--ignore", "NB302", "a.py").code == 0
    assert project.read("a.py") == NB302


def test_fix_with_exit_zero(project, run):
    project.write("a.py", NB101)
    assert run("--fix", "--exit-zero", "a.py").code == 0


def test_fixed_code_relints_clean(project):
    from numba_check.api import check_source

    for text, fixed in ((NB302, NB302_FIXED), (NB301, NB301_FIXED), (NB501, NB501_FIXED)):
        assert check_source(text)  # there was something to fix
        assert check_source(fixed, settings=Settings(cache=False)) == []
