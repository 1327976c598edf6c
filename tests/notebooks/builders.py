"""Notebooks for the tests, built with nbformat as Jupyter writes them."""

from __future__ import annotations

from typing import Any

import pytest

# Reading notebooks needs the notebooks extra (it is in the test extra); without it the notebook
# tests are skipped, visibly, rather than failing to import.
nbformat = pytest.importorskip("nbformat", reason="needs nbformat: pip install -e .[notebooks]")
v4 = nbformat.v4

IMPORTS = "import numba\nimport numpy as np"

# NB101 at row 5, column 5 of its cell: Numba only catches `Exception`.
CATCHES = """\
@numba.njit
def f(x):
    try:
        return 1 / x
    except ZeroDivisionError:
        return 0.0"""

# NB302 (safe fix) at row 3, column 21: a shape given as a list.
SHAPE = """\
@numba.njit
def grid(n, m):
    return np.zeros([n, m])"""
SHAPE_FIXED = SHAPE.replace("[n, m]", "(n, m)")

# NB501 (unsafe fix) at row 3: a list of ints later given floats.
INT_LIST = """\
@numba.njit
def halves(n):
    out = [0] * n
    for i in range(n):
        out[i] = i * 0.5
    return out"""
INT_LIST_FIXED = INT_LIST.replace("[0] * n", "[0.0] * n")

CLEAN = """\
@numba.njit
def total(a):
    s = 0.0
    for x in a:
        s += x
    return s"""


def code(source: str, **fields: Any) -> nbformat.NotebookNode:
    return v4.new_code_cell(source, **fields)


def markdown(source: str) -> nbformat.NotebookNode:
    return v4.new_markdown_cell(source)


def notebook(*cells: nbformat.NotebookNode, **metadata: Any) -> nbformat.NotebookNode:
    return v4.new_notebook(cells=list(cells), metadata=metadata)


def dumps(nb: nbformat.NotebookNode) -> str:
    """The file Jupyter writes: nbformat's JSON and a final newline."""
    return nbformat.writes(nb) + "\n"


def with_output(source: str) -> nbformat.NotebookNode:
    """A code cell that has run: an execution count, an output and metadata."""
    return code(
        source,
        execution_count=7,
        outputs=[v4.new_output("stream", name="stdout", text="done\n")],
        metadata={"tags": ["keep"], "collapsed": False},
    )
