"""check_each, the loop the data-driven tests run their cases in, reports every failure."""

from __future__ import annotations

import sys

import pytest

from .each import check_each


def _positive(n: int) -> None:
    assert n > 0, f"{n} is not positive"


def test_every_failing_case_is_named_with_its_message() -> None:
    with pytest.raises(AssertionError) as failure:
        check_each([("a", 1), ("b", -2), ("c", 3), ("d", 0)], _positive)
    text = str(failure.value)
    assert "2 of 4 cases failed" in text
    assert "b: -2 is not positive" in text and "d: 0 is not positive" in text
    assert "a:" not in text and "c:" not in text


def test_passing_cases_pass() -> None:
    check_each([("a", 1), ("b", 2)], _positive)


def test_no_cases_is_a_failure_not_a_pass() -> None:
    with pytest.raises(AssertionError, match="no cases"):
        check_each([], _positive)


def test_an_error_is_not_a_verdict_and_names_its_case() -> None:
    def crash(n: int) -> None:
        raise KeyError(n)

    with pytest.raises((KeyError, RuntimeError)) as error:
        check_each([("first", 1)], crash)
    if sys.version_info >= (3, 11):
        assert error.type is KeyError
        assert "while checking first" in error.value.__notes__
    else:
        assert "while checking first" in str(error.value)
        assert isinstance(error.value.__cause__, KeyError)
