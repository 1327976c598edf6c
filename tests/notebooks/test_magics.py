"""Masking IPython syntax: which lines are IPython's, what replaces them, and the way back."""

from __future__ import annotations

import ast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from numba_check.fixes import split_lines
from numba_check.notebooks.magics import MARKER, cell_magic, mask, placeholder_lines, unmask


def masked_lines(source: str) -> list[str]:
    cell = mask(source)
    assert cell is not None
    return cell.text.splitlines()


@pytest.mark.parametrize(
    ("line", "placeholder"),
    [
        ("%matplotlib inline", "pass"),
        ("%%time", "pass"),  # a cell magic line, here the first line
        ("!ls -la", "pass"),
        ("!!ls", "pass"),
        ("np.sum?", "pass"),
        ("np.sum??", "pass"),
        ("?np.sum", "pass"),
        ("np.*sum*?", "pass"),
        ("files = !ls", "files = ..."),
        ("a, b = %sx echo", "a, b = ..."),
        ("self.x = !pwd", "self.x = ..."),
        ("pip install -U numba", "pass"),
        ("conda install numba", "pass"),
        ("cd -", "pass"),
        ("matplotlib inline", "pass"),
        ("/f 1 2", "pass"),
        (",f a b", "pass"),
        (";f a b", "pass"),
    ],
)
def test_ipython_lines_become_placeholders(line, placeholder):
    assert masked_lines(line) == [f"{placeholder}  {MARKER}"]


@pytest.mark.parametrize(
    "line",
    [
        "x = 10 % 3",
        "time = 3",
        "time.sleep(1)",
        "pwd",  # a bare name is an expression; IPython runs it as a magic only if undefined
        "run(a, b)",
        "cd = ..",
        "print('why?')",
        "x = 1  # really?",
        "# %time, in a comment",
        "result = f(x) != g(x)",
        "cd.x += 1",
        "load is None",
    ],
)
def test_python_lines_are_kept(line):
    assert masked_lines(line) == [line]


@pytest.mark.parametrize(
    "source",
    [
        "x = (1,\n%time\n)",  # inside brackets
        "s = '''\n%time\n!ls\n'''",  # inside a triple-quoted string
        's = "a\\\n%time"',  # a one-line string continued with a backslash
        "y = 1 + \\\n%2",  # after a backslash continuation
        "run (a,\n     b)",  # a call that merely spans lines
    ],
)
def test_lines_that_continue_python_are_kept(source):
    cell = mask(source)
    assert cell is not None
    assert cell.text == source
    assert cell.replaced == ()


def test_placeholders_keep_indentation_and_continuation_lines_stay_lines():
    source = "for i in range(3):\n    %time f(i, \\\n            2)\n    x = i\n"
    cell = mask(source)
    assert cell is not None
    assert cell.text == f"for i in range(3):\n    pass  {MARKER}\n{MARKER}\n    x = i\n"
    ast.parse(cell.text)
    assert placeholder_lines(cell.text) == {2, 3}


def test_statement_after_a_string_with_brackets_can_be_a_magic():
    source = 's = "(["\n%time f()\nt = """\n)\n"""\n!ls'
    assert masked_lines(source) == [
        's = "(["',
        f"pass  {MARKER}",
        't = """',
        ")",
        '"""',
        f"pass  {MARKER}",
    ]


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("%%timeit -n 3\nf()", "timeit"),
        ("\n  %%bash\nls", "bash"),
        ("%%", ""),
        ("x = 1\n%%time", None),
        ("", None),
    ],
)
def test_cell_magic_is_read_from_the_first_line_with_text(source, name):
    assert cell_magic(source) == name


@pytest.mark.parametrize("magic", ["time", "timeit -n 3", "capture out", "prun", "debug"])
def test_python_cell_magics_keep_their_body(magic):
    cell = mask(f"%%{magic}\nx = f()\n%time g()\n")
    assert cell is not None
    assert cell.text == f"pass  {MARKER}\nx = f()\npass  {MARKER}\n"


@pytest.mark.parametrize("magic", ["bash", "writefile a.py", "html", "sh", "python3", "cython"])
def test_other_cell_magics_leave_the_cell_out(magic):
    assert mask(f"%%{magic}\nx = f()\n") is None


def test_unmask_restores_the_lines_after_an_edit_moved_them():
    source = "import numba\n%matplotlib inline\nx = [1,\n     2]\n!ls\n"
    cell = mask(source)
    assert cell is not None
    edited = cell.text.replace("x = [1,\n     2]", "x = (1, 2)")
    assert unmask(edited, cell) == "import numba\n%matplotlib inline\nx = (1, 2)\n!ls\n"


def test_unmask_refuses_when_a_placeholder_is_gone():
    cell = mask("%time f()\nx = 1\n")
    assert cell is not None
    assert unmask("x = 1\n", cell) is None


# Lines mixing Python and IPython pieces, to throw at the masker in any order.
PIECES = st.sampled_from(
    [
        "x = 1",
        "%time f(x)",
        "!ls",
        "y = !ls",
        "np.sum?",
        "pip install numba",
        "s = '''",
        '"""',
        "(",
        ")",
        "[1,",
        "2]",
        "z = 1 + \\",
        "    %2",
        "    %time g()",
        "# comment?",
        "'a\\",
        "",
        "\t",
        "f = 'it''s' # (",
    ]
)


@given(st.lists(PIECES, max_size=12), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_masking_keeps_every_line_and_unmasking_restores_the_source(pieces, newline, last):
    source = newline.join(pieces) + (newline if last else "")
    cell = mask(source)
    if cell is None:
        return
    assert len(split_lines(cell.text)) == len(split_lines(source))
    assert unmask(cell.text, cell) == source
    for number, (before, after) in enumerate(
        zip(split_lines(source), split_lines(cell.text), strict=True), 1
    ):
        if number not in placeholder_lines(cell.text):
            assert before == after
