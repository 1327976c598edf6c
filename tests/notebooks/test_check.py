"""Checking notebooks: positions per cell, the cells as one module, magics, noqa, odd files."""

from __future__ import annotations

import json

import pytest

from numba_check import check_paths
from numba_check.api import lint_config
from numba_check.notebooks import check_notebook
from numba_check.settings import Settings
from tests.notebooks.builders import (
    CATCHES,
    CLEAN,
    IMPORTS,
    SHAPE,
    code,
    dumps,
    markdown,
    notebook,
)

CONFIG = lint_config(Settings(cache=False))


def check(text: str, name: str = "nb.ipynb") -> list[tuple[int | None, int, int, str]]:
    """(cell, row, 1-based column, code) of each diagnostic."""
    return [
        (d.cell, d.location.line, d.location.column + 1, d.code)
        for d in check_notebook(text, name, CONFIG)
    ]


def test_positions_name_the_cell_and_count_rows_within_it():
    nb = notebook(
        markdown("# Kernels\nSome prose."),
        code(IMPORTS),
        code(CATCHES),
        markdown("More prose."),
        code(SHAPE),
    )
    # Cells are numbered among all cells, markdown included, as Jupyter and ruff count them.
    assert check(dumps(nb)) == [(3, 5, 5, "NB101"), (5, 3, 21, "NB302")]


def test_end_positions_and_fix_edits_are_in_the_cell_too():
    nb = notebook(code(IMPORTS), code("x = 1\n\n\n"), code(SHAPE))
    (found,) = check_notebook(dumps(nb), "nb.ipynb", CONFIG)
    assert found.cell == 3
    assert (found.location.line, found.end_location.line) == (3, 3)
    assert found.fix is not None
    (edit,) = found.fix.edits
    assert (edit.start.line, edit.start.column, edit.end.column) == (3, 20, 26)
    assert edit.content == "(n, m)"


def test_imports_in_one_cell_count_in_later_cells():
    # Without cell 1, nothing in cell 2 is compiled by Numba and nothing is reported.
    alone = notebook(code(CATCHES))
    assert check(dumps(alone)) == []
    joined = notebook(code("import numba"), code("x = 2"), code(CATCHES))
    assert check(dumps(joined)) == [(3, 5, 5, "NB101")]


def test_a_helper_defined_in_another_cell_is_known():
    helper = "def helper(x):\n    return x + 1"
    user = "@numba.njit\ndef f(x):\n    return helper(x)"
    nb = notebook(code("import numba"), code(helper), code(user))
    # NB202: compiled code calls a plain function; both are found, though in different cells.
    assert check(dumps(nb)) == [(3, 3, 12, "NB202")]
    compiled_helper = notebook(code("import numba"), code("@numba.njit\n" + helper), code(user))
    assert check(dumps(compiled_helper)) == []


LINE_MAGICS = [
    "%matplotlib inline",
    "%load_ext autoreload",
    "%time f(1.0)",
    "%timeit -n 10 f(1.0)",
    "!pip install numba",
    "!!ls -la",
    "files = !ls *.csv",
    "out, err = %sx echo hi",
    "np.zeros?",
    "np.zeros??",
    "?np.zeros",
    "%pinfo np.zeros",
    "pip install 'numba>=0.57'",
    "cd ..",
    "/print 1",
    ",print a b",
    ";print a b",
    "%time x = f(\\\n    1.0)",
]


@pytest.mark.parametrize("magic", LINE_MAGICS)
def test_line_magics_and_shell_escapes_give_no_diagnostic(magic):
    nb = notebook(code(IMPORTS), code(magic), code(f"{magic}\n{CATCHES}"))
    rows = magic.count("\n") + 1
    assert check(dumps(nb)) == [(3, 5 + rows, 5, "NB101")]


def test_magics_inside_blocks_keep_the_block_valid():
    loop = "for i in range(3):\n    %time f(i)\n    !echo $i\nif True:\n    x = !ls"
    nb = notebook(code(IMPORTS), code(CATCHES), code(loop))
    assert check(dumps(nb)) == [(2, 5, 5, "NB101")]


def test_percent_inside_an_expression_is_python():
    # A `%` that continues a bracket, a string or a backslash line is not a magic: the
    # diagnostics below it keep their rows, so the cell was parsed as written.
    cell = 'x = (10\n%3)\ns = """\n%time\n"""\ny = 1 + \\\n    2\n' + CATCHES
    nb = notebook(code(IMPORTS), code(cell))
    assert check(dumps(nb)) == [(2, 12, 5, "NB101")]


@pytest.mark.parametrize("magic", ["%%time", "%%timeit -n 3 -r 1", "%%capture out", "%%prun"])
def test_python_cell_magics_check_their_body(magic):
    nb = notebook(code(IMPORTS), code(f"{magic}\n{CATCHES}"))
    assert check(dumps(nb)) == [(2, 6, 5, "NB101")]


@pytest.mark.parametrize(
    "magic", ["%%bash", "%%writefile kernels.py", "%%html", "%%javascript", "%%python3"]
)
def test_other_cell_magics_are_not_checked(magic):
    nb = notebook(code(IMPORTS), code(f"{magic}\n{CATCHES}\nthis is not python("), code(SHAPE))
    assert check(dumps(nb)) == [(3, 3, 21, "NB302")]


def test_noqa_works_in_cells():
    silenced = CATCHES.replace("except ZeroDivisionError:", "except ZeroDivisionError:  # noqa")
    nb = notebook(code(IMPORTS), code(silenced), code(SHAPE.replace("])", "])  # noqa: NB302")))
    assert check(dumps(nb)) == []


def test_unused_noqa_is_reported_in_its_cell():
    settings = Settings(cache=False, extend_select=("NB904",))
    nb = notebook(code(IMPORTS), code(CLEAN.replace("s = 0.0", "s = 0.0  # noqa: NB302")))
    found = check_notebook(dumps(nb), "nb.ipynb", lint_config(settings))
    assert [(d.cell, d.location.line, d.code) for d in found] == [(2, 3, "NB904")]


def test_file_wide_noqa_in_any_cell_covers_the_notebook():
    nb = notebook(code(IMPORTS), code(CATCHES), code("# numba-check: noqa: NB101\n" + SHAPE))
    assert check(dumps(nb)) == [(3, 4, 21, "NB302")]


def test_per_file_ignores_match_the_notebook_name():
    settings = Settings(cache=False, per_file_ignores=(("*.ipynb", ("NB101",)),))
    nb = notebook(code(IMPORTS), code(CATCHES))
    assert check_notebook(dumps(nb), "nb.ipynb", lint_config(settings)) == ()


def test_syntax_error_names_its_cell_in_position_and_message():
    nb = notebook(code(IMPORTS), code("f = numba.njit"), code("y = 2\nz = [1,\n     2)"))
    (found,) = check_notebook(dumps(nb), "nb.ipynb", CONFIG)
    assert (found.cell, found.code, found.location.line) == (3, "NB901", 3)
    # The parser's own "on line N" names the cell's rows, not the joined module's.
    assert found.message.endswith("opening parenthesis '[' on line 2 of cell 3")


def test_notebook_without_numba_is_clean():
    nb = notebook(code("import pandas as pd\ndf = pd.DataFrame()"), code("%matplotlib inline"))
    assert check(dumps(nb)) == []


@pytest.mark.parametrize(
    "nb",
    [
        notebook(),
        notebook(markdown("# Only prose")),
        notebook(code("")),
        notebook(code("   \n\n")),
        notebook(code("%%bash\nls")),
    ],
    ids=["no-cells", "markdown-only", "empty-cell", "blank-cell", "bash-only"],
)
def test_notebooks_with_no_python_are_clean(nb):
    assert check(dumps(nb)) == []


def test_empty_file_is_reported_as_python_files_are():
    assert check("") == [(None, 1, 1, "NB903")]


def test_notebook_in_another_language_is_not_checked():
    r_kernel = {
        "language_info": {"name": "R"},
        "kernelspec": {"name": "ir", "language": "R", "display_name": "R"},
    }
    nb = notebook(code(IMPORTS), code(CATCHES), **r_kernel)
    assert check(dumps(nb)) == []
    python = {"language_info": {"name": "python", "version": "3.12.1"}}
    assert check(dumps(notebook(code(IMPORTS), code(CATCHES), **python))) == [(2, 5, 5, "NB101")]


def test_string_sources_and_crlf_line_endings_are_read():
    text = dumps(notebook(code(IMPORTS), code(CATCHES)))
    data = json.loads(text)
    for cell in data["cells"]:
        cell["source"] = "".join(cell["source"]).replace("\n", "\r\n")
    assert check(json.dumps(data)) == [(2, 5, 5, "NB101")]


BROKEN = {
    "truncated": (
        '{\n "cells": [\n',
        (3, 1),
        "Cannot parse notebook: not valid JSON: Expecting value",
    ),
    "trailing-comma": (
        '{"cells": [],}',
        (1, 14),
        "Cannot parse notebook: not valid JSON: Expecting property name enclosed in double quotes",
    ),
    "a-list": ("[1, 2]", (1, 1), "Cannot parse notebook: not a Jupyter notebook"),
    "no-version": ('{"cells": []}', (1, 1), "Cannot parse notebook: not a Jupyter notebook"),
    "version-3": (
        '{"nbformat": 3, "nbformat_minor": 0, "worksheets": [], "metadata": {}}',
        (1, 1),
        "Cannot check notebook: nbformat 3 notebooks are not supported",
    ),
    "cells-not-a-list": (
        '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": {}}',
        (1, 1),
        "Cannot parse notebook: `cells` is not a list of cells",
    ),
    "cell-without-metadata": (
        '{"nbformat": 4, "nbformat_minor": 5, "metadata": {},'
        ' "cells": [{"cell_type": "code", "source": "import numba"}]}',
        (1, 1),
        "Cannot parse notebook: not a valid nbformat 4 notebook (missing or malformed: metadata)",
    ),
    "source-not-text": (
        '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code",'
        ' "metadata": {}, "outputs": [], "execution_count": null, "source": 3}]}',
        (1, 1),
        "Cannot parse notebook: cell 1 has a `source` that is not text",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_notebook_is_one_clear_diagnostic(case):
    text, (row, column), message = BROKEN[case]
    (found,) = check_notebook(text, "nb.ipynb", CONFIG)
    assert found.code == "NB901"
    assert found.cell is None
    assert (found.location.line, found.location.column + 1) == (row, column)
    assert found.message.startswith(message)


def test_notebooks_are_read_without_nbformat(monkeypatch):
    text = dumps(notebook(code(IMPORTS), code(CATCHES)))  # built with nbformat, as Jupyter does
    monkeypatch.setitem(__import__("sys").modules, "nbformat", None)  # importing it fails
    found = check_notebook(text, "nb.ipynb", CONFIG)
    assert [(d.cell, d.code) for d in found] == [(2, "NB101")]


def test_check_paths_walks_notebooks_beside_python_files(tmp_path):
    (tmp_path / "nb.ipynb").write_text(dumps(notebook(code(IMPORTS), code(CATCHES))))
    (tmp_path / "mod.py").write_text(f"{IMPORTS}\n{SHAPE}\n")
    found = check_paths([tmp_path], settings=Settings(cache=False))
    assert [(d.filename.endswith("mod.py"), d.cell, d.code) for d in found] == [
        (True, None, "NB302"),
        (False, 2, "NB101"),
    ]
