"""Notebooks through the command line: every output format names the cell."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.notebooks.builders import CATCHES, IMPORTS, SHAPE, code, dumps, markdown, notebook

PY_SHAPE = f"{IMPORTS}\n\n\n{SHAPE}\n"  # NB302 at 7:21


@pytest.fixture
def files(project):
    nb = notebook(code(IMPORTS), markdown("Prose"), code(f"%time 1\n{CATCHES}"), code(SHAPE))
    project.write("nb.ipynb", dumps(nb))
    project.write("mod.py", PY_SHAPE)
    return project


def test_concise_names_the_cell_as_ruff_does(files, run):
    result = run("--no-cache", "--output-format", "concise", ".")
    assert result.code == 1
    lines = result.out.splitlines()[:-2]
    assert [line.split(": ", 1)[0] + ": " + line.split(": ", 1)[1][:5] for line in lines] == [
        "mod.py:7:21: NB302",
        "nb.ipynb:cell 3:6:5: NB101",
        "nb.ipynb:cell 4:3:21: NB302",
    ]
    assert "Found 3 errors." in result.out


def test_full_shows_the_cell_source_with_rows_of_the_cell(files, run):
    result = run("--no-cache", "--output-format", "full", "nb.ipynb")
    blocks = result.out.split("\n\n")
    assert blocks[0].startswith("nb.ipynb:cell 3:6:5: NB101 ")
    assert "5 |         return 1 / x\n6 |     except ZeroDivisionError:\n  |     ^^^^" in blocks[0]
    assert blocks[1].startswith("nb.ipynb:cell 4:3:21: NB302 [*] ")
    assert "3 |     return np.zeros([n, m])\n  |                     ^^^^^^" in blocks[1]


def test_show_fixes_shows_the_cell_rows(files, run):
    result = run("--no-cache", "--show-fixes", "nb.ipynb")
    assert "\n3 -     return np.zeros([n, m])\n3 +     return np.zeros((n, m))\n" in result.out


def test_json_has_ruffs_cell_field(files, run):
    result = run("--no-cache", "--output-format", "json", ".")
    found = json.loads(result.out)
    assert [(d["filename"], d["cell"], d["location"], d["code"]) for d in found] == [
        ("mod.py", None, {"row": 7, "column": 21}, "NB302"),
        ("nb.ipynb", 3, {"row": 6, "column": 5}, "NB101"),
        ("nb.ipynb", 4, {"row": 3, "column": 21}, "NB302"),
    ]
    (edit,) = found[2]["fix"]["edits"]
    assert (edit["location"], edit["end_location"]) == (
        {"row": 3, "column": 21},
        {"row": 3, "column": 27},
    )


def test_sarif_github_junit_and_gitlab_say_the_cell(files, run):
    sarif = json.loads(run("--no-cache", "--output-format", "sarif", "nb.ipynb").out)
    results = sarif["runs"][0]["results"]
    assert [r["properties"]["cell"] for r in results] == [3, 4]
    assert results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 6

    github = run("--no-cache", "--output-format", "github", "nb.ipynb").out.splitlines()
    assert github[0].startswith("::error title=numba-check (NB101),file=nb.ipynb,line=6,col=5,")
    assert github[0].split("::")[2].startswith("nb.ipynb:cell 3:6:5: NB101 ")

    junit = ET.fromstring(run("--no-cache", "--output-format", "junit", "nb.ipynb").out)
    case = junit.find("testsuite/testcase")
    assert case is not None
    assert case.find("properties/property[@name='cell']").get("value") == "3"
    assert case.find("failure").text.startswith("cell 3, line 6, col 5, ")

    gitlab = json.loads(run("--no-cache", "--output-format", "gitlab", "nb.ipynb").out)
    assert gitlab[0]["description"].endswith("(cell 3, line 6, column 5)")


def test_statistics_count_notebook_diagnostics(files, run):
    result = run("--no-cache", "--statistics", ".")
    assert result.out.splitlines()[0].split("\t")[:2] == ["2", "NB302"]


def test_a_broken_notebook_fails_the_run_with_one_diagnostic(project, run):
    project.write("nb.ipynb", '{\n "cells": [\n  {"cell_type": "code",}\n ]\n}\n')
    result = run("--no-cache", "nb.ipynb")
    assert result.code == 1
    assert result.out.startswith(
        "nb.ipynb:3:24: NB901 error: Cannot parse notebook: not valid JSON: "
        "Expecting property name enclosed in double quotes\n"
    )
    assert '3 |   {"cell_type": "code",}' in result.out
    assert "Traceback" not in result.out + result.err


def test_clean_notebook_passes(project, run):
    project.write("nb.ipynb", dumps(notebook(code(IMPORTS), code("%timeit 1"))))
    result = run("--no-cache", ".")
    assert (result.code, result.out) == (0, "All checks passed!\n")


def test_excluded_notebooks_are_left_out(files, run):
    result = run(
        "--no-cache", "--output-format", "concise", "--quiet", "--extend-exclude", "*.ipynb", "."
    )
    assert [line.split(":")[0] for line in result.out.splitlines()] == ["mod.py"]


def test_console_script_checks_a_notebook(tmp_path: Path):
    exe = Path(sys.executable).with_name("numba-check")
    found = str(exe) if exe.exists() else shutil.which("numba-check")
    if found is None:
        pytest.skip("numba-check console script is not installed")
    (tmp_path / "nb.ipynb").write_text(dumps(notebook(code(IMPORTS), code(CATCHES))))
    done = subprocess.run(
        [found, "--no-cache", "--output-format", "concise", "nb.ipynb"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("nb.ipynb:cell 2:5:5: NB101 ")


def test_worker_processes_give_the_serial_results(project, monkeypatch):
    from numba_check import api
    from numba_check.settings import Settings

    for i in range(api.PARALLEL_THRESHOLD + 2):
        cells = [code(IMPORTS), code(CATCHES if i % 2 else SHAPE)]
        project.write(f"nb{i:02}.ipynb", dumps(notebook(*cells)))
    settings = Settings(cache=False, fix=True, project_root=project.root)
    parallel = api.run(["."], settings, jobs=2, mode="fix")
    fixed = {p.name: p.read_text() for p in project.root.glob("*.ipynb")}
    assert sum(parallel.fixed.values()) == api.PARALLEL_THRESHOLD // 2 + 1
    monkeypatch.setattr(api, "PARALLEL_THRESHOLD", 10_000)
    serial = api.run(["."], settings, mode="fix")
    assert parallel.diagnostics == serial.diagnostics
    assert {d.cell for d in serial.diagnostics} == {2}
    assert {p.name: p.read_text() for p in project.root.glob("*.ipynb")} == fixed


def test_notebooks_are_read_without_nbformat(files, run, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "nbformat", None)  # importing it fails
    found = run("--no-cache", "--output-format", "concise", "nb.ipynb")
    assert found.out.startswith("nb.ipynb:cell 3:6:5: NB101 ")
