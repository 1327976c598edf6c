"""--fix and --diff on notebooks: only the fixed cells change, everything else stays as it was."""

from __future__ import annotations

import json

from numba_check.model import Applicability, Edit, Fix, Location
from tests.notebooks.builders import (
    CATCHES,
    IMPORTS,
    INT_LIST,
    INT_LIST_FIXED,
    SHAPE,
    SHAPE_FIXED,
    code,
    dumps,
    markdown,
    notebook,
    with_output,
)


def cells(text: str) -> list[dict]:
    return json.loads(text)["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def demo() -> str:
    """Imports, prose, an unfixable NB101, a fixable NB302 with outputs, a %%bash cell."""
    return dumps(
        notebook(
            with_output(f"{IMPORTS}\n%matplotlib inline"),
            markdown("# Kernels"),
            code(CATCHES),
            with_output(f"%time x = 1\n{SHAPE}\n!echo done"),
            code("%%bash\necho [1, 2]"),
            kernelspec={"name": "python3", "display_name": "Python 3", "language": "python"},
        )
    )


def test_fix_rewrites_only_the_fixed_cell(project, run):
    before = demo()
    project.write("nb.ipynb", before)
    result = run("--fix", "--no-cache", "--output-format", "concise", "nb.ipynb")
    assert result.code == 1  # the NB101 remains
    assert result.out == "nb.ipynb:cell 3:5:5: NB101 " + result.out.split(" NB101 ", 1)[1]
    assert "Found 2 errors (1 fixed, 1 remaining)." in result.out
    after = project.read("nb.ipynb")
    old, new = cells(before), cells(after)
    assert source(new[3]) == f"%time x = 1\n{SHAPE_FIXED}\n!echo done"
    # The changed cell keeps its outputs, count, metadata and id; the others are untouched.
    assert {k: v for k, v in new[3].items() if k != "source"} == {
        k: v for k, v in old[3].items() if k != "source"
    }
    assert [c for i, c in enumerate(new) if i != 3] == [c for i, c in enumerate(old) if i != 3]
    assert json.loads(after)["metadata"] == json.loads(before)["metadata"]
    # Byte for byte: the file differs from the original only in that one source line.
    assert after == before.replace(
        '"    return np.zeros([n, m])\\n"', '"    return np.zeros((n, m))\\n"'
    )
    assert after.endswith("}\n")


def test_fix_is_idempotent_and_magics_survive(project, run):
    project.write("nb.ipynb", demo())
    run("--fix", "--no-cache", "nb.ipynb")
    once = project.read("nb.ipynb")
    result = run("--fix", "--no-cache", "nb.ipynb")
    assert project.read("nb.ipynb") == once
    assert "Found 1 error." in result.out
    assert "%matplotlib inline" in source(cells(once)[0])
    assert source(cells(once)[4]) == "%%bash\necho [1, 2]"


def test_fixes_in_several_cells_and_unsafe_fixes(project, run):
    nb = notebook(code(IMPORTS), code(SHAPE), code(INT_LIST), code(SHAPE.replace("grid", "grid2")))
    project.write("nb.ipynb", dumps(nb))
    assert run("--fix", "--no-cache", "nb.ipynb").code == 1  # NB501's fix is unsafe
    safe = cells(project.read("nb.ipynb"))
    assert [source(c) for c in safe[1:]] == [
        SHAPE_FIXED,
        INT_LIST,
        SHAPE_FIXED.replace("grid", "grid2"),
    ]
    result = run("--fix", "--unsafe-fixes", "--no-cache", "nb.ipynb")
    assert result.code == 0
    assert source(cells(project.read("nb.ipynb"))[2]) == INT_LIST_FIXED


def test_fix_keeps_a_notebook_written_by_another_tool_in_its_own_layout(project, run):
    data = json.loads(dumps(notebook(code(IMPORTS), code(SHAPE))))
    for cell in data["cells"]:
        cell["source"] = "".join(cell["source"])
    text = json.dumps(data, indent=4)  # not nbformat's: indent 4, sources as strings
    project.write("nb.ipynb", text)
    assert run("--fix", "--no-cache", "nb.ipynb").code == 0
    assert project.read("nb.ipynb") == text.replace("np.zeros([n, m])", "np.zeros((n, m))")


def test_diff_shows_each_changed_cell_and_writes_nothing(project, run):
    nb = notebook(code(IMPORTS), markdown("text"), code(SHAPE), code(CATCHES), code(SHAPE))
    project.write("nb.ipynb", dumps(nb))
    before = project.read("nb.ipynb")
    result = run("--diff", "--no-cache", "nb.ipynb")
    assert result.code == 1
    assert project.read("nb.ipynb") == before
    hunk = (
        "@@ -1,3 +1,3 @@\n"
        " @numba.njit\n"
        " def grid(n, m):\n"
        "-    return np.zeros([n, m])\n"
        "+    return np.zeros((n, m))\n"
    )
    assert result.out == (
        f"--- nb.ipynb:cell 3\n+++ nb.ipynb:cell 3\n{hunk}"
        f"--- nb.ipynb:cell 5\n+++ nb.ipynb:cell 5\n{hunk}"
    )
    assert "Would fix 2 errors." in result.err


def test_diff_of_a_clean_notebook_is_empty(project, run):
    project.write("nb.ipynb", dumps(notebook(code(IMPORTS), code(CATCHES))))
    result = run("--diff", "--no-cache", "nb.ipynb")
    assert (result.code, result.out) == (0, "")
    assert "No errors would be fixed." in result.err


def test_a_fix_never_touches_a_magic_line_nor_leaves_its_cell():
    # No rule's fix reaches a masked line today (magics start statements, fixes replace
    # expressions); the guard is what keeps it so for the rules to come.
    from numba_check.notebooks import _fix_in_cell, _Virtual
    from numba_check.notebooks.magics import mask

    first, second = mask("x = [1]\n%time f()\ny = [2]"), mask("z = [3]")
    assert first is not None and second is not None
    virtual = _Virtual.join([(1, first.text), (2, second.text)])

    def fix(start: int, end: int) -> Fix:
        edit = Edit(Location(start, 0), Location(end, 1), "(0,)")
        return Fix(Applicability.SAFE, "use a tuple", (edit,))

    assert _fix_in_cell(fix(1, 1), 0, virtual) == fix(1, 1)
    assert _fix_in_cell(fix(3, 3), 0, virtual) == fix(3, 3)
    assert _fix_in_cell(fix(4, 4), 1, virtual) == fix(1, 1)  # made relative to cell 2
    assert _fix_in_cell(fix(2, 2), 0, virtual) is None  # the magic line
    assert _fix_in_cell(fix(1, 3), 0, virtual) is None  # across it
    assert _fix_in_cell(fix(3, 4), 0, virtual) is None  # into the next cell


def test_fixed_results_are_cached_by_content(project, run):
    project.write("nb.ipynb", dumps(notebook(code(IMPORTS), code(SHAPE), code(CATCHES))))
    assert run("--fix", "nb.ipynb").code == 1
    first = run("--output-format", "json", "nb.ipynb")
    second = run("--output-format", "json", "nb.ipynb")
    assert first.out == second.out
    assert [(d["cell"], d["code"]) for d in json.loads(second.out)] == [(3, "NB101")]


def test_when_the_source_cannot_be_replaced_in_place_nbformat_writes_the_notebook(
    project, run, monkeypatch
):
    from numba_check.notebooks import layout

    def refuse(text, sources):
        raise layout.LayoutError("no")

    monkeypatch.setattr(layout, "replace_sources", refuse)
    before = dumps(notebook(code(IMPORTS), with_output(SHAPE)))
    project.write("nb.ipynb", before)
    assert run("--fix", "--no-cache", "nb.ipynb").code == 0
    # nbformat's own layout, as Jupyter would save it, with the fixed source.
    assert project.read("nb.ipynb") == before.replace("np.zeros([n, m])", "np.zeros((n, m))")
