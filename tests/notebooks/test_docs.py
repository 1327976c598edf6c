"""docs/notebooks.md shows what the tool really does with a notebook."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from numba_check import cli
from numba_check.output import FORMATS
from tests.notebooks.builders import CATCHES, IMPORTS, SHAPE, code, dumps, markdown, notebook

PAGE = Path(__file__).resolve().parents[2] / "docs" / "notebooks.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)


def blocks(language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(PAGE.read_text("utf-8")) if lang == language]


def test_console_sessions_are_what_the_tool_prints(project, capsys):
    # The notebook the page talks about: imports, prose, an NB101 in cell 3, an NB302 in cell 4.
    nb = notebook(code(IMPORTS), markdown("# Kernels"), code(CATCHES), code(SHAPE))
    sessions = [b for b in blocks("console") if b.startswith("$ numba-check ") and "ipynb" in b]
    assert len(sessions) == 2
    for session in sessions:
        project.write("analysis.ipynb", dumps(nb))
        command, expected = session.split("\n", 1)
        args = shlex.split(command.removeprefix("$ numba-check "))
        capsys.readouterr()
        cli.main(["--no-cache", "--isolated", *args])
        captured = capsys.readouterr()
        assert captured.out + captured.err == expected


def test_every_output_format_says_where_the_cell_goes():
    table = PAGE.read_text("utf-8").split("| Format |", 1)[1].split("\n\n", 1)[0]
    documented = set(re.findall(r"^\| `(\w+)`", table, re.M))
    documented |= set(re.findall(r"^\| `\w+`, `(\w+)`", table, re.M))
    assert documented == set(FORMATS)


def test_pre_commit_snippet_parses():
    (snippet,) = blocks("yaml")
    ((repo,),) = [yaml.safe_load(snippet)]
    (hook,) = repo["hooks"]
    assert hook["id"] == "numba-check"
    assert not any(dep.startswith("nbformat") for dep in hook["additional_dependencies"])
