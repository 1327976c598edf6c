"""Odd notebooks never crash the checker, and every position lies inside the cell it names."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from numba_check.api import lint_config
from numba_check.fixes import split_lines
from numba_check.notebooks import check_notebook, fix_notebook
from numba_check.settings import Settings
from tests.notebooks.builders import CATCHES, IMPORTS, INT_LIST, SHAPE, code, dumps, markdown
from tests.notebooks.builders import notebook as build

CONFIG = lint_config(Settings(cache=False, unsafe_fixes=True))

LINES = st.sampled_from(
    [
        IMPORTS,
        CATCHES,
        SHAPE,
        INT_LIST,
        "%time grid(2, 3)",
        "%%timeit",
        "%%bash",
        "!ls",
        "x = !ls",
        "np.zeros?",
        "pip install numba",
        "for i in range(2):\n    %time grid(i, i)",
        "x = (1,\n%2)",
        's = """\n%notmagic\n"""',
        "# noqa",
        "",
        "\n",
    ]
)
CELLS = st.lists(st.lists(LINES, max_size=4).map("\n".join), max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CELLS, st.lists(st.booleans(), max_size=6))
def test_positions_stay_in_their_cells_and_fixing_reaches_a_fixed_point(sources, prose):
    cells = [code(IMPORTS)]  # so that the cells below have compiled functions to check
    for i, source in enumerate(sources):
        if i < len(prose) and prose[i]:
            cells.append(markdown("Some prose"))
        cells.append(code(source))
    text = dumps(build(*cells))
    found = check_notebook(text, "nb.ipynb", CONFIG)
    event("diagnostics" if found else "clean")
    by_number = {i: c for i, c in enumerate(cells, 1)}
    for d in found:
        assert d.cell is not None, d
        cell = by_number[d.cell]
        assert cell.cell_type == "code"
        # As ruff counts them: an empty cell has one row, a final newline starts another.
        rows = max(len(split_lines(cell.source)) + cell.source.endswith(("\n", "\r")), 1)
        assert 1 <= d.location.line <= d.end_location.line <= rows, d
    result = fix_notebook(text, "nb.ipynb", CONFIG, unsafe=True)
    again = fix_notebook(result.text, "nb.ipynb", CONFIG, unsafe=True)
    assert again.text == result.text
    assert not again.fixed
    # Only sources changed: every other field of every cell, and the metadata, are as they were.
    before, after = json.loads(text), json.loads(result.text)
    for old, new in zip(before["cells"], after["cells"], strict=True):
        old.pop("source"), new.pop("source")
    assert before == after


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
)


@settings(max_examples=100, deadline=None)
@given(JSON)
def test_any_json_is_checked_or_refused_with_one_diagnostic(value):
    found = check_notebook(json.dumps(value), "nb.ipynb", CONFIG)
    assert len(found) <= 1
    assert all(d.code in ("NB901", "NB903") for d in found)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_any_text_is_checked_or_refused_with_one_diagnostic(text):
    found = check_notebook(text, "nb.ipynb", CONFIG)
    assert len(found) <= 1
    assert all(d.code in ("NB901", "NB903") for d in found)


@settings(max_examples=60, deadline=None)
@given(
    st.fixed_dictionaries(
        {"nbformat": st.just(4), "nbformat_minor": st.integers(0, 5)},
        optional={
            "metadata": st.dictionaries(
                st.sampled_from(["kernelspec", "language_info", "x"]),
                st.none()
                | st.dictionaries(
                    st.sampled_from(["name", "language"]), st.text(max_size=6) | st.none()
                ),
            ),
            "cells": st.lists(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "cell_type": st.sampled_from(["code", "markdown", "raw", 3]),
                        "source": st.text(max_size=20)
                        | st.lists(st.text(max_size=8))
                        | st.integers(),
                        "metadata": st.just({}) | st.none(),
                        "outputs": st.just([]) | st.lists(st.integers(), max_size=1),
                    },
                ),
                max_size=3,
            ),
        },
    )
)
def test_malformed_notebooks_are_one_diagnostic_at_most(data):
    found = check_notebook(json.dumps(data), "nb.ipynb", CONFIG)
    assert all(d.code in ("NB901", "NB902") or d.cell is not None for d in found)
    assert sum(d.code == "NB901" and d.cell is None for d in found) <= 1
