"""A compile failure names the rules its message maps to (numba-check explain), besides the
linter's view of the function."""

from __future__ import annotations

import pytest

import numba_check.explain


def test_compile_failure_names_the_rule_of_the_message(nc: pytest.Pytester) -> None:
    nc.makepyfile(
        """
        import pytest

        def parse(x):
            try:
                return x + 1
            except ValueError:
                return 0

        @pytest.mark.numba_speedup(min=0)
        def test_it(numba_check):
            numba_check(parse, 1.0)
        """
    )
    result = nc.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*Exception matching is limited to <class 'Exception'>",
            "numba-check explain: the message maps to",
            "  NB101 exception-class-match (high confidence)",
            "  (details: `numba-check rule NB101`)",
            "numba-check linter*",
        ]
    )


def test_ambiguous_message_lists_a_few_rules(nc: pytest.Pytester) -> None:
    nc.makepyfile(
        """
        import pytest
        from numba import njit

        def helper(x):
            return x * 2

        @njit
        def uses_helper(x):
            return helper(x) + 1

        @pytest.mark.numba_speedup(min=0)
        def test_it(numba_check):
            numba_check(uses_helper, 1.0)
        """
    )
    result = nc.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*Untyped global name 'helper'*",
            "numba-check explain: the message maps to",
            "  NB202 untyped-global-function (medium confidence)",
            "  NB201 unsupported-library-call (medium confidence)",
            "  NB303 unsupported-numpy-function (medium confidence)",
            "  (details: `numba-check rule NB202`)",
        ]
    )


def test_message_no_rule_covers_adds_nothing(nc: pytest.Pytester) -> None:
    nc.makepyfile(
        """
        import pytest
        from numba import njit

        BUF = memoryview(b"abc")

        @njit
        def size():
            return len(BUF)

        @pytest.mark.numba_speedup(min=0)
        def test_it(numba_check):
            numba_check(size)
        """
    )
    result = nc.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*memoryview(uint8, 1d, C)*"])
    assert "numba-check explain" not in result.stdout.str()


def test_explain_crash_does_not_break_the_check(
    nc: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(text: str, **kwargs: object) -> None:
        raise RuntimeError("explain exploded")

    monkeypatch.setattr(numba_check.explain, "explain", boom)
    nc.makepyfile(
        """
        import pytest

        def parse(x):
            try:
                return x + 1
            except ValueError:
                return 0

        @pytest.mark.numba_speedup(min=0)
        def test_it(numba_check):
            numba_check(parse, 1.0)
        """
    )
    result = nc.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*Exception matching is limited*",
            "numba-check explain: failed (RuntimeError: explain exploded)",
            "numba-check linter*",
        ]
    )
