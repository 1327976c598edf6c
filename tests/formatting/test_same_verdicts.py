"""Verdicts do not depend on formatting.

Every rule case and every corpus snippet, laid out differently (one-line blocks, semicolons,
parenthesised and re-broken expressions, comments, other indent widths), must get the same
codes on the same statements. Statements are matched by their index in source order, not by
line, since the layouts move them.
"""

from __future__ import annotations

import ast
from collections import Counter

import libcst
import pytest

from numba_check.engine import build_config, check_text
from numba_check.rules.base import parse_version
from numba_check.selection import Selection

from ..conformance.corpus import VERSIONS, load_corpus
from ..each import check_each
from ..rules.cases import cases_of, rules_with_cases
from .reformat import VARIANTS, reformat, statement_index, statement_of, tree

INSTALLED = "0.68"
# Every rule, the ones off by default too.
EVERYTHING = Selection(select=("NB",))


def _groups() -> list:
    """One parameter per rule (its cases) and per corpus file (its snippets): a case is a
    loop, not a test of its own (tests/each.py). A case is (id, (source, version))."""
    out = []
    for rule in rules_with_cases():
        cases = [(i, (c.code, c.target_numba or INSTALLED)) for i, c in cases_of(rule)]
        out.append(pytest.param(cases, id=rule.code))
    files: dict[str, list] = {}
    for snippet in load_corpus():
        versions = {v for v in VERSIONS if snippet.verdict_for(v) != snippet.verdict}
        for version in sorted(versions | {INSTALLED}):
            case = (f"{snippet.id}-{version}", (snippet.source, version))
            files.setdefault(snippet.file, []).append(case)
    out += [pytest.param(cases, id=name) for name, cases in files.items()]
    return out


def verdicts(source: str, version: str) -> Counter:
    """How many times each code is reported on each statement (by index)."""
    config = build_config(EVERYTHING, parse_version(version))
    spans = statement_index(ast.parse(source))
    return Counter(
        (statement_of(spans, d.location.line, d.location.column), d.code)
        for d in check_text(source, "case.py", config)
    )


def _checkable(source: str) -> bool:
    try:
        ast.parse(source)
    except SyntaxError:
        return False  # the tool's own NB9xx cases
    # A noqa comment belongs to its line: moving lines moves what it suppresses.
    return "noqa" not in source


@pytest.mark.parametrize("cases", _groups())
def test_same_codes_on_same_statements(cases: list) -> None:
    checkable = [(i, c) for i, c in cases if _checkable(c[0])]
    if not checkable:
        pytest.skip("unparsable or line-bound (noqa) cases only")
    check_each(checkable, _same_verdicts)


def _same_verdicts(case: tuple[str, str]) -> None:
    source, version = case
    expected = verdicts(source, version)
    syntax = tree(source)
    module = libcst.parse_module(source)
    for variant in VARIANTS:
        layout = reformat(module, variant)
        assert tree(layout) == syntax, variant
        got = verdicts(layout, version)
        assert got == expected, f"{variant}:\n{layout}\nexpected {expected}, got {got}"
