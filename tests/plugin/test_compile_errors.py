"""Point 4: compile failures explained with Numba's message, trimmed, and the linter's view."""

from __future__ import annotations

import pytest

import numba_check
from numba_check.model import Diagnostic, Location, Severity

SOURCE = """
import pytest

pytestmark = pytest.mark.numba_speedup(min=0)

def parse(x):
    try:
        return x + 1
    except ValueError:
        return 0

def test_it(numba_check):
    numba_check(parse, 1.0)
"""


def test_compile_failure_is_trimmed_and_explained(
    nc: pytest.Pytester, linter_available: bool
) -> None:
    nc.makepyfile(SOURCE)
    result = nc.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*Numba cannot compile 'parse' (python -> njit) in nopython mode",
            "TypingError:",
            "*UnsupportedError: Exception matching is limited to <class 'Exception'>",
            '*File "test_compile_failure_is_trimmed_and_explained.py", line *',
            "numba-check linter*",
        ]
    )
    out = result.stdout.str()
    failure = out[out.index("Numba cannot compile") : out.index("numba-check ====")]
    assert len(failure.splitlines()) < 20, failure
    assert "During: " not in failure and "Traceback" not in failure
    if not linter_available:
        assert "linter is not available" in failure
        pytest.skip("numba_check.check_source is not available yet: NB101 not checked")
    assert "NB101" in failure, failure


def test_untyped_global_is_explained(nc: pytest.Pytester) -> None:
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
    result.stdout.fnmatch_lines(["*Untyped global name 'helper'*"])
    result.stdout.fnmatch_lines(["*compile error"])


def test_linter_crash_does_not_break_the_check(
    nc: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(source: str, filename: str) -> list[Diagnostic]:
        raise RuntimeError("linter exploded")

    monkeypatch.setattr(numba_check, "check_source", boom, raising=False)
    nc.makepyfile(SOURCE)
    result = nc.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*Exception matching is limited*",
            "numba-check linter: the linter failed on *(RuntimeError: linter exploded)",
        ]
    )


def test_linter_diagnostics_are_limited_to_the_function(
    nc: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake(source: str, filename: str) -> list[Diagnostic]:
        lines = source.splitlines()
        line = next(i for i, text in enumerate(lines, 1) if "except ValueError" in text)

        def diag(n: int, code: str) -> Diagnostic:
            return Diagnostic(
                code,
                "fake-rule",
                "fake message",
                Severity.ERROR,
                filename,
                Location(n, 4),
                Location(n, 20),
            )

        return [diag(line, "NB101"), diag(1, "NB999")]

    monkeypatch.setattr(numba_check, "check_source", fake, raising=False)
    nc.makepyfile(SOURCE)
    result = nc.runpytest()
    result.stdout.fnmatch_lines(
        [
            "numba-check linter on 'parse':",
            "  test_linter_diagnostics_are_limited_to_the_function.py:8:5: NB101 [error] "
            "fake-rule: fake message",
        ]
    )
    assert "NB999" not in result.stdout.str()
