"""--select / --ignore / --extend-select / --per-file-ignores through the command line."""

from __future__ import annotations

import re

import pytest

from tests.cli.snippets import NB101, NB301, NB302, NB501

MIXED = (
    NB101
    + NB301.replace("def f(", "def g(")
    + NB302.replace("def f(", "def h(")
    + (NB501.replace("def f(", "def k("))
)
ALL_FOUR = {"NB101", "NB301", "NB302", "NB501"}


def codes(text: str) -> set[str]:
    return set(re.findall(r": (NB\d{3}) ", text))


@pytest.fixture
def mixed(project):
    project.write("mixed.py", MIXED)
    return "mixed.py"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), ALL_FOUR),
        (("--select", "NB"), ALL_FOUR),
        (("--select", "ALL"), ALL_FOUR),
        (("--select", "NB1"), {"NB101"}),
        (("--select", "NB101"), {"NB101"}),
        (("--select", "NB1,NB5"), {"NB101", "NB501"}),
        (("--select", "NB1", "--select", "NB5"), {"NB101", "NB501"}),
        (("--select", "nb3"), {"NB301", "NB302"}),
        (("--ignore", "NB3"), {"NB101", "NB501"}),
        (("--ignore", "NB"), set()),
        # The more specific selector wins, whichever flag carries it.
        (("--select", "NB3", "--ignore", "NB302"), {"NB301"}),
        (("--ignore", "NB3", "--select", "NB302"), {"NB302"}),
        (("--select", "NB302", "--ignore", "NB3"), {"NB302"}),
        (("--select", "ALL", "--ignore", "NB1,NB5"), {"NB301", "NB302"}),
        # On a tie, ignore wins.
        (("--select", "NB101", "--ignore", "NB101"), set()),
        (("--select", "NB1", "--extend-select", "NB3"), {"NB101", "NB301", "NB302"}),
        (("--ignore", "NB3", "--extend-select", "NB301"), {"NB101", "NB301", "NB501"}),
        (("--select", "NB1", "--extend-select", "NB5", "--ignore", "NB501"), {"NB101"}),
    ],
)
def test_selectors(run, mixed, args, expected):
    result = run("--output-format", "concise", *args, mixed)
    assert codes(result.out) == expected
    assert result.code == (1 if expected else 0)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), set()),  # off by default
        (("--select", "NB9"), set()),  # a family prefix does not turn on a default-off rule
        (("--select", "ALL"), set()),
        (("--extend-select", "NB904"), {"NB904"}),
        (("--select", "NB904"), {"NB904"}),
        (("--extend-select", "NB904", "--ignore", "NB904"), set()),
    ],
)
def test_default_off_rule_needs_an_exact_selector(project, run, args, expected):
    project.write("stale.py", "import numba\nx = 1  # noqa: NB101\n")
    result = run("--output-format", "concise", *args, "stale.py")
    assert codes(result.out) == expected


def test_per_file_ignores_on_the_command_line(project, run):
    project.write("src/bad.py", NB101)
    project.write("tests/bad.py", NB101)
    result = run("--output-format", "concise", "--per-file-ignores", "tests/*:NB101", ".")
    assert "src/bad.py:8:5: NB101" in result.out
    assert "tests/bad.py" not in result.out


def test_per_file_ignores_by_file_name_and_several_codes(project, run):
    project.write("a/kernels.py", NB101 + NB302.replace("def f(", "def g("))
    project.write("b/other.py", NB101)
    result = run("--output-format", "concise", "--per-file-ignores", "kernels.py:NB101,NB302", ".")
    assert "kernels.py" not in result.out
    assert "b/other.py:8:5: NB101" in result.out


def test_per_file_ignores_repeatable(project, run):
    project.write("a.py", NB101)
    project.write("b.py", NB302)
    result = run(
        "--output-format",
        "concise",
        "--per-file-ignores",
        "a.py:NB1",
        "--per-file-ignores",
        "b.py:NB302",
        ".",
    )
    assert result.code == 0, result.out


def test_per_file_ignores_in_pyproject(project, run):
    project.pyproject('[tool.numba-check.per-file-ignores]\n"tests/*" = ["NB101"]\n')
    project.write("src/bad.py", NB101)
    project.write("tests/bad.py", NB101)
    result = run("--output-format", "concise", ".")
    assert "src/bad.py" in result.out
    assert "tests/bad.py" not in result.out


def _anchored_project(project) -> None:
    project.pyproject('[tool.numba-check.per-file-ignores]\n"tests/*" = ["NB101"]\n')
    project.write("tests/t.py", NB101)
    project.write("lib/tests/u.py", NB101)  # another folder named tests: not the pattern's
    project.write("lib/m.py", NB101)


def test_per_file_ignores_are_anchored_at_the_configuration_folder(project, run):
    # Issue 17: "tests/*" once ignored lib/tests/u.py (any depth) from the root.
    _anchored_project(project)
    result = run("--output-format", "concise", ".")
    assert "tests/t.py" not in result.out
    assert "lib/tests/u.py:8:5: NB101" in result.out
    assert "lib/m.py:8:5: NB101" in result.out


def test_per_file_ignores_hold_when_run_from_a_subfolder(project, run, monkeypatch):
    # ... and nothing at all when run from inside tests/ (the name was then "t.py").
    _anchored_project(project)
    monkeypatch.chdir(project.root / "tests")
    assert run("--output-format", "concise", ".").code == 0
    monkeypatch.chdir(project.root / "lib")
    result = run("--output-format", "concise", ".")
    assert "tests/u.py:8:5: NB101" in result.out
    assert "m.py:8:5: NB101" in result.out


def test_per_file_ignores_with_a_nested_path_and_double_star(project, run, monkeypatch):
    project.pyproject(
        "[tool.numba-check.per-file-ignores]\n"
        '"lib/tests/*" = ["NB101"]\n"**/gen_*.py" = ["NB101"]\n'
    )
    project.write("lib/tests/u.py", NB101)
    project.write("tests/t.py", NB101)
    project.write("gen_a.py", NB101)  # `**/` stands for no folder too
    project.write("deep/er/gen_b.py", NB101)
    monkeypatch.chdir(project.root / "deep")
    result = run("--output-format", "concise", "..")
    assert result.out.count("NB101") == 1
    assert "tests/t.py:8:5: NB101" in result.out


def test_per_file_ignores_on_the_command_line_are_anchored_at_the_working_folder(
    project, run, monkeypatch
):
    project.write("tests/t.py", NB101)
    project.write("lib/tests/u.py", NB101)
    monkeypatch.chdir(project.root / "lib")
    result = run("--output-format", "concise", "--per-file-ignores", "tests/*:NB101", "..")
    assert "lib/tests/u.py" not in result.out
    assert "tests/t.py:8:5: NB101" in result.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--select", "NB999"), "--select: unknown rule selector 'NB999'"),
        (("--ignore", "XYZ"), "--ignore: unknown rule selector 'XYZ'"),
        (("--extend-select", "NB1,E501"), "--extend-select: unknown rule selector 'E501'"),
        (("--per-file-ignores", "x.py:NB77"), "--per-file-ignores 'x.py': unknown rule selector"),
        (("--per-file-ignores", "x.py"), "--per-file-ignores: expected PATTERN:CODE"),
    ],
)
def test_bad_selectors_exit_2(project, run, args, message):
    project.write("bad.py", NB101)
    result = run(*args, "bad.py")
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("numba-check: error: ")
    assert message in result.err
    assert len(result.err.splitlines()) == 1
