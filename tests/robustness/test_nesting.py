"""Deeply nested code: checked when Python compiles it, NB901 when Python refuses it, and never
a RecursionError, an internal error or a crashed process (these run in a fresh interpreter so
that a crash fails only them)."""

from __future__ import annotations

import sys

import pytest

from numba_check.api import check_source
from tests.robustness.helpers import all_rules, lint_in_process

HEAD = "import numba\nimport numpy as np\n\n\n@numba.njit\ndef f(x, n, m):\n    return "
ZEROS = "np.zeros([n, m])"  # NB302 (a shape given as a list), in the innermost position


def expression(shape: str, depth: int) -> str:
    return {
        "sum": " + ".join([ZEROS] + ["x"] * depth),
        "parens": "(" * depth + ZEROS + ")" * depth,
        "lists": "[" * depth + ZEROS + "]" * depth,
        "calls": ZEROS + ".copy()" * depth,
        "ternary": "x if x else " * depth + ZEROS,
        "attributes": ZEROS + ".real" * depth,
        "unary": "-" * depth + ZEROS,
        "and": " and ".join(["x"] * depth + [ZEROS]),
        "compare": " < ".join([ZEROS] + ["x"] * depth),
    }[shape]


def ifs(depth: int) -> str:
    lines = "".join(" " * (i + 1) + "if x:\n" for i in range(depth - 1))
    return "import numba\nimport numpy as np\n\n\n@numba.njit\ndef f(x, n, m):\n" + (
        lines + " " * depth + f"return {ZEROS}\n"
    )


# Python compiles all of these: they are checked, and the NB302 deep inside is found.
CHECKED = {
    "sum_600": HEAD + expression("sum", 600) + "\n",
    "parens_150": HEAD + expression("parens", 150) + "\n",
    "lists_150": HEAD + expression("lists", 150) + "\n",
    "calls_300": HEAD + expression("calls", 300) + "\n",
    "ternary_500": HEAD + expression("ternary", 500) + "\n",
    "compare_2000": HEAD + expression("compare", 2000) + "\n",
    # A flat BoolOp for Python (libcst nested it 8000 deep, which once crashed its parser).
    "and_8000": HEAD + expression("and", 8000) + "\n",
    "and_12000": HEAD + expression("and", 12000) + "\n",
    "ifs_99": ifs(99),
}
PYTHON_REFUSES = {
    "sum_3000": (HEAD + expression("sum", 3000) + "\n", 1, "expressions nested too deeply"),
    "unary_5000": (HEAD + expression("unary", 5000) + "\n", 1, "expressions nested too deeply"),
    "attributes_3000": (
        HEAD + expression("attributes", 3000) + "\n",
        1,
        "expressions nested too deeply",
    ),
    "parens_1300": (HEAD + expression("parens", 1300) + "\n", 7, "too many nested parentheses"),
    "ifs_120": (ifs(120), 106, "too many levels of indentation"),
}


def test_deep_nesting_in_a_fresh_interpreter(tmp_path):
    for name, text in CHECKED.items():
        (tmp_path / f"{name}.py").write_text(text)
    for name, (text, _, _) in PYTHON_REFUSES.items():
        (tmp_path / f"{name}.py").write_text(text)
    report = lint_in_process(".", cwd=tmp_path)
    by_file: dict[str, list[tuple[str, int, str]]] = {}
    for (filename, code, row, _), message in zip(report.found, report.messages, strict=True):
        by_file.setdefault(filename.removesuffix(".py"), []).append((code, row, message))
    for name, text in CHECKED.items():
        compile(text, name, "exec")
        assert [c for c, _, _ in by_file.pop(name)] == ["NB302"], name
    for name, (text, row, message) in PYTHON_REFUSES.items():
        with pytest.raises((RecursionError, SyntaxError, MemoryError)):
            compile(text, name, "exec")
        assert by_file.pop(name) == [("NB901", row, f"Cannot parse: {message}")], name
    assert by_file == {}
    assert report.code == 1


def test_deep_expression_through_the_api_keeps_the_recursion_limit():
    limit = sys.getrecursionlimit()
    source = HEAD + expression("sum", 600) + "\n"
    (diag,) = check_source(source, "m.py", settings=all_rules())
    assert (diag.code, diag.location.line, diag.location.column) == ("NB302", 7, 20)
    assert sys.getrecursionlimit() == limit


def test_deep_expression_is_fixed(project, run):
    project.write("deep.py", HEAD + expression("sum", 600) + "\n")
    result = run("--fix", "--no-cache", "--quiet", "deep.py")
    assert (result.code, result.out) == (0, "")
    assert (
        project.read("deep.py")
        == HEAD + expression("sum", 600).replace(ZEROS, "np.zeros((n, m))") + "\n"
    )


def test_many_concatenated_strings():
    # libcst's parser refused these ('expected one of STRING'), a false NB901.
    source = HEAD.replace("(x, n, m)", "()") + " ".join(["'a'"] * 5000) + "\n"
    compile(source, "m.py", "exec")
    assert check_source(source, "m.py", settings=all_rules()) == []
