"""Comments for noqa found from a module's parse (the lines that may hold a directive, string
literals read from the tree) are the ones tokenizing the whole module finds."""

from __future__ import annotations

import ast
import io
import tokenize

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from numba_check import noqa
from tests.rules.cases import all_cases


def _string_lines(source: str):
    tree = ast.parse(source)

    def lines() -> list[tuple[int, int]]:
        return [
            (n.lineno, n.end_lineno)
            for n in ast.walk(tree)
            if isinstance(n, ast.JoinedStr)
            or (isinstance(n, ast.Constant) and isinstance(n.value, (str, bytes)))
        ]

    return lines


def _tokenizes(source: str) -> bool:
    try:
        list(tokenize.generate_tokens(io.StringIO(source, newline=None).readline))
    except (tokenize.TokenError, SyntaxError):
        return False
    return True


def _same(source: str) -> noqa.Suppressions:
    tokenized = noqa.parse(source)
    assert noqa.parse(source, _string_lines(source)) == tokenized
    return tokenized


ODD = [
    'x = "# noqa"  # noqa: NB101\n',
    'x = "# noqa: NB101"\n',
    "x = '#'  # noqa\n",
    'x = ("a"  # noqa: NB102\n     "b")\n',
    'def f():\n    """A docstring.\n\n    # noqa: NB101\n    """\n    return 1  # noqa\n',
    's = """\n# noqa\n""" ; t = 1  # noqa: NB103\n',
    's = """a\nb""" ; t = """c\n# noqa: NB104\nd"""  # noqa: NB105\n',
    "x = f'{1}#'  # NOQA:nb101,NB102\n",
    "x = f'''\n{1}\n'''  # noqa\n",
    "x = 1 \\\n    + 2  # noqa: NB101\n",
    "if True:\n    x = [\n        '#',  # noqa: NB101\n    ]\n",
    "x = 1  # type: ignore # noqa: NB101\n",
    "x = b'#noqa'  #noqa:NB101\n",
    "x = 1  # noqa: E501\ny = 2  # noqa\nz = 3  # noqa: see below\n",
    "x = 1\r\n# noqa: NB101\r\ny = '''\r\n# noqa\r\n'''\r\n",
    "x = r'\\'  # noqa'  # noqa: NB106\n",
    'x = """\\\n# noqa"""\n',
    "# numba-check: noqa: NB101\nx = 1  # noqa\n",
]


@pytest.mark.parametrize("source", ODD)
def test_comments_from_the_parse_are_the_tokenized_ones(source):
    _same(source)


def test_a_directive_inside_a_string_is_no_comment():
    found = _same('def f():\n    """\n    # noqa: NB101\n    """\n    x = "# noqa"\n')
    assert found.lines == {}
    found = _same('x = ("a"  # noqa: NB102\n     "b")\n')
    assert list(found.lines) == [1]


def test_every_rule_case_has_the_same_comments():
    for _rule, case in all_cases():
        _same(case.code)


LINES = st.sampled_from(
    [
        "x = 1",
        "x = '#'",
        "x = '''",
        "'''",
        '"""',
        "y = 2  # noqa",
        "y = '# noqa'  # noqa: NB101",
        "# noqa: NB102, E501",
        "z = f'{x}#'  # NoQA",
        "w = ('a'  # noqa: NB103",
        "     'b')",
        "v = [",
        "]",
        "u = 1 \\",
        "    + 2",
        "t = b'#'  #noqa:NB104",
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.filter_too_much])
@given(lines=st.lists(LINES, max_size=12), ending=st.sampled_from(["\n", "\r\n", "\r"]))
def test_generated_modules_have_the_same_comments(lines, ending):
    source = ending.join(lines) + ending
    try:
        ast.parse(source)
    except SyntaxError:
        assume(False)
    # Where Python's tokenize module refuses what its parser takes (a backslash at the end
    # of the file), the whole-module way falls back to every line's first `#`: no reference.
    assume(_tokenizes(source))
    _same(source)


def test_only_directives_that_can_matter_are_kept():
    source = "x = 1  # noqa: E501\ny = 2  # noqa: see below\nz = 3  # noqa\nw = 4  # noqa:NB101\n"
    found = _same(source)
    assert {line: entry.codes for line, entry in found.lines.items()} == {3: None, 4: ("NB101",)}
