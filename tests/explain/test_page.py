"""docs/errors.md, "Why did Numba refuse this?", is generated from the patterns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from numba_check.explain import load_patterns, patterns
from numba_check.explain.page import main, markdown_page
from numba_check.rules import RULES_BY_CODE

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "errors.md"


def test_the_page_is_up_to_date() -> None:
    assert PAGE.read_text(encoding="utf-8") == markdown_page(), (
        "docs/errors.md is stale: run `python -m numba_check.explain > docs/errors.md`"
    )


def test_every_pattern_has_an_entry_with_its_example_and_rules() -> None:
    page = markdown_page()
    for pattern in patterns():
        start = page.index(f'<a id="{pattern.id}"></a>')
        end = page.find("<a id=", start + 1)
        entry = page[start : end if end != -1 else len(page)]
        assert f"```text\n{pattern.example}\n```" in entry, pattern.id
        for code in pattern.codes:
            assert f"[{code} `{RULES_BY_CODE[code].name}`](rules.md#" in entry, pattern.id


def test_rule_links_point_at_headings_of_the_rule_reference() -> None:
    reference = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    anchors = set(re.findall(r"\(rules\.md#([a-z0-9-]+)\)", markdown_page()))
    assert anchors
    for anchor in anchors:
        code, name = anchor.split("-", 1)
        assert f"## {code.upper()} `{name}`" in reference, anchor


def test_titles_are_literal_markdown() -> None:
    (pattern,) = load_patterns(
        """
[[pattern]]
id = "odd"
title = "*args of <class 'int'> in __init__ | [x]"
regex = '''x'''
codes = ["NB101"]
confidence = "low"
example = "x"
note = "A note."
"""
    )
    page = markdown_page([pattern])
    assert r"### \*args of &lt;class 'int'&gt; in \_\_init\_\_ \| \[x\]" in page
    assert "**Rule** (low confidence): [NB101 `exception-class-match`]" in page
    assert "A note." in page
    # Only the sections that have entries.
    assert re.findall(r"^## (.*)$", page, re.M) == ["Statements and syntax"]


def test_module_entry_prints_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    main()
    assert capsys.readouterr().out == markdown_page()
