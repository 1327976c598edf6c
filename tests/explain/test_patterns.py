"""The pattern data: its loader's checks, and the ranking of what matches."""

from __future__ import annotations

import textwrap

import pytest

from numba_check.explain import (
    Confidence,
    PatternError,
    load_patterns,
    match,
    parse,
    patterns,
)
from numba_check.rules import RULES_BY_CODE

CODES = ("NB101", "NB102", "NB103")


def table(body: str):
    return load_patterns(textwrap.dedent(body), known_codes=CODES)


GOOD = """
[[pattern]]
id = "first"
title = "First"
regex = '''needle'''
codes = ["NB101"]
confidence = "high"
example = "needle"
"""


def test_builtin_patterns_load_and_name_builtin_rules() -> None:
    loaded = patterns()
    assert len(loaded) > 50
    assert len({p.id for p in loaded}) == len(loaded)
    for pattern in loaded:
        assert pattern.codes and set(pattern.codes) <= set(RULES_BY_CODE), pattern.id
        assert all(RULES_BY_CODE[c].severity.value == "error" for c in pattern.codes), pattern.id


def test_a_good_table() -> None:
    (pattern,) = table(GOOD)
    assert (pattern.id, pattern.codes, pattern.confidence) == ("first", ("NB101",), Confidence.HIGH)
    assert pattern.search(parse("a line\nwith the needle in it\nlast")) == "with the needle in it"
    assert pattern.search(parse("nothing here")) is None


FIRST = "errors.toml: pattern 'first': "


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            ("regex = '''needle'''", "regex = '''(unclosed'''"),
            FIRST + "`regex` is not a valid regex",
        ),
        (("regex = '''needle'''", "regex = '''x?'''"), FIRST + "`regex` matches the empty string"),
        (("regex = '''needle'''", ""), FIRST + "`regex` is required"),
        (('codes = ["NB101"]', 'codes = ["NB999"]'), FIRST + "unknown rule codes ['NB999']"),
        (('codes = ["NB101"]', "codes = []"), FIRST + "`codes` must be a non-empty list"),
        (('confidence = "high"', 'confidence = "sure"'), FIRST + "`confidence` must be one of"),
        (('id = "first"', 'id = "First One"'), "pattern 'First One': `id` must be kebab-case"),
        (('example = "needle"', 'example = "needle"\nexamples = 1'), FIRST + "unknown keys"),
        (
            ("regex = '''needle'''", "regex = '''needle'''\ncontext = 3"),
            FIRST + "`context` must be a",
        ),
        (('title = "First"', 'title = "First'), "errors.toml: "),
    ],
)
def test_bad_data_is_named(change: tuple[str, str], error: str) -> None:
    with pytest.raises(PatternError) as info:
        table(GOOD.replace(*change))
    assert error in str(info.value)


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(PatternError, match="'first': the id is used twice"):
        table(GOOD + GOOD)


def test_ranking_confidence_then_place_in_pattern_then_order() -> None:
    rules = table(
        """
        [[pattern]]
        id = "generic"
        title = "Generic"
        regex = '''needle'''
        codes = ["NB103", "NB102"]
        confidence = "low"
        example = "needle"

        [[pattern]]
        id = "specific"
        title = "Specific"
        regex = '''needle in'''
        codes = ["NB101", "NB102"]
        confidence = "medium"
        example = "needle in"
        """
    )
    found = match(parse("the needle in the haystack"), rules)
    assert [(c.code, c.pattern, c.confidence) for c in found] == [
        ("NB101", "specific", Confidence.MEDIUM),
        ("NB102", "specific", Confidence.MEDIUM),
        ("NB103", "generic", Confidence.LOW),
    ]
    assert found[0].matched == "the needle in the haystack"


def test_context_and_unless() -> None:
    rules = table(
        """
        [[pattern]]
        id = "on-gpu"
        title = "On the GPU"
        regex = '''needle'''
        context = '''cuda mode pipeline'''
        codes = ["NB101"]
        confidence = "high"
        example = "needle"

        [[pattern]]
        id = "on-cpu"
        title = "On the CPU"
        regex = '''needle'''
        unless = '''cuda mode pipeline'''
        codes = ["NB102"]
        confidence = "high"
        example = "needle"
        """
    )
    gpu = "TypingError: Failed in cuda mode pipeline (step: nopython frontend)\nneedle"
    cpu = "TypingError: Failed in nopython mode pipeline (step: nopython frontend)\nneedle"
    assert [c.code for c in match(parse(gpu), rules)] == ["NB101"]
    assert [c.code for c in match(parse(cpu), rules)] == ["NB102"]
