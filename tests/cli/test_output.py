"""-o FILE, --statistics, formats, --quiet."""

from __future__ import annotations

import json

from tests.cli.snippets import NB101, NB302, NB501


def test_output_file(project, run):
    project.write("a.py", NB101)
    result = run("--output-format", "json", "-o", "reports/out.json", "a.py")
    assert result.code == 1
    assert result.out == ""
    data = json.loads(project.read("reports/out.json"))
    assert [d["code"] for d in data] == ["NB101"]
    assert data[0]["filename"] == "a.py"


def test_output_file_long_flag_with_the_summary_in_the_file(project, run):
    # As ruff does: the report and its summary go where the report goes.
    project.write("a.py", NB101)
    result = run("--output-file", "out.txt", "--output-format", "concise", "a.py")
    assert project.read("out.txt").startswith("a.py:8:5: NB101")
    assert "\nFound 1 error.\n" in project.read("out.txt")
    assert result.out == ""


def test_statistics(project, run):
    project.write("a.py", NB101 + NB302.replace("def f(", "def g("))
    project.write("b.py", NB302)
    project.write("c.py", NB501)
    result = run("--statistics", ".")
    assert result.code == 1
    assert result.out.splitlines() == [
        "2\tNB302\t[*] shape-as-list",
        "1\tNB101\t    exception-class-match",
        "1\tNB501\t    int-list-assigned-float",
    ]


def test_statistics_json(project, run):
    project.write("a.py", NB302)
    project.write("b.py", NB501)
    result = run("--statistics", "--output-format", "json", "--unsafe-fixes", ".")
    assert json.loads(result.out) == [
        {"code": "NB302", "name": "shape-as-list", "count": 1, "fixable": True},
        {"code": "NB501", "name": "int-list-assigned-float", "count": 1, "fixable": True},
    ]


def test_statistics_clean(project, run):
    project.write("a.py", "x = 1\n")
    result = run("--statistics", "a.py")
    assert result.code == 0
    assert result.out == ""


def test_quiet(project, run):
    project.write("a.py", NB101)
    result = run("-q", "--output-format", "concise", "a.py")
    assert result.code == 1
    assert result.err == ""
    assert "NB101" in result.out


def test_full_format_is_default(project, run):
    project.write("a.py", NB101)
    result = run("a.py")
    assert "  |" in result.out  # the source snippet of the full format
    assert "except ZeroDivisionError" in result.out


def test_output_order_is_sorted_by_file_and_position(project, run):
    for name in ("b.py", "a.py", "sub/c.py"):
        project.write(name, NB101 + NB302.replace("def f(", "def g("))
    lines = run("--output-format", "concise", "--quiet", ".").out.splitlines()
    files = [line.split(":")[0] for line in lines]
    assert files == ["a.py", "a.py", "b.py", "b.py", "sub/c.py", "sub/c.py"]
