"""Point 5: honest speed-up measurement, and timing skipped visibly when it cannot be honest."""

from __future__ import annotations

import time

import pytest

from numba_check.pytest_plugin import timing
from numba_check.pytest_plugin.results import Timing

LOOP = """
import numpy as np
import pytest
from numba import njit

@njit
def tanh_sum(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += np.tanh(a[i])
    return s

A = np.linspace(0, 1, 2000)
"""


def test_passing_speedup_reports_figures(nc: pytest.Pytester) -> None:
    nc.makepyfile(
        LOOP
        + """
@pytest.mark.numba_speedup(min=2)
def test_fast(numba_check):
    res = numba_check(tanh_sum, A)
    assert res.speedup >= 2
    assert res.times.python_best > res.times.numba_best > 0
    assert res.compile_time > 0
    assert res.timing_skipped is None
"""
    )
    result = nc.runpytest()
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*::test_fast*tanh_sum*x*>= 2x*ms*ok"])


def test_failing_speedup_remeasures_and_reports(nc: pytest.Pytester) -> None:
    nc.makepyfile(
        LOOP
        + """
@pytest.mark.numba_speedup(min=1e9)
def test_too_slow(numba_check):
    numba_check(tanh_sum, A)
"""
    )
    result = nc.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*'tanh_sum' (njit) is *x faster than Python; required 1e+09x faster "
            "(@pytest.mark.numba_speedup(min=1e+09))",
            "*python: best *s/call (thread CPU time)",
            "*numba:  best *s/call (thread CPU time)",
            "*attempt 1: *x (python best*loops*rounds in*",
            "*attempt 2: *",
            "*attempt 3: *",
            "*compile time * (not timed); budget 0.05 s per attempt; * CPUs*",
        ]
    )


def test_slow_python_respects_the_budget(nc: pytest.Pytester) -> None:
    nc.makepyfile(
        """
        import pytest
        from numba import njit

        @njit
        def long_loop(n):            # about 0.3 s per call in Python, ~1 ms compiled
            s = 0.0
            for i in range(n):
                s += (i % 7) * 0.5
            return s

        @pytest.mark.numba_speedup(min=2, max_time=0.1)
        def test_it(numba_check):
            res = numba_check(long_loop, 3_000_000)
            assert res.times.attempts[0].python_loops == 1
        """
    )
    start = time.perf_counter()
    result = nc.runpytest()
    elapsed = time.perf_counter() - start
    result.assert_outcomes(passed=1)
    # one 0.4 s Python call for equality, reused as the timing sample: no minutes of waiting
    assert elapsed < 10, elapsed


def test_timing_off_skips_visibly_but_checks_equality(nc: pytest.Pytester) -> None:
    nc.makepyfile(
        LOOP
        + """
@pytest.mark.numba_speedup(min=1e9)
def test_skipped(numba_check):
    res = numba_check(tanh_sum, A)
    assert res.speedup is None and res.times is None
    assert "timing turned off" in res.timing_skipped

def halves(n):
    out = [0] * n
    for i in range(n):
        out[i] = i * 0.5
    return out

def test_still_compared(numba_check):
    numba_check(halves, 4)
"""
    )
    result = nc.runpytest("--numba-timing=off")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*NumbaTimingSkipped: numba-check: timing of 'tanh_sum' skipped: timing turned off "
            "(command line option --numba-timing)",
            "*::test_skipped*timing skipped: timing turned off*",
            "timing skipped for 1 check(s): equality was checked, speed was not.",
        ]
    )


def test_tracer_skips_timing(nc: pytest.Pytester) -> None:
    nc.makepyfile(
        LOOP
        + """
import sys

@pytest.mark.numba_speedup(min=1e9)
def test_traced(numba_check):
    sys.settrace(lambda *a: None)
    try:
        res = numba_check(tanh_sum, A)
    finally:
        sys.settrace(None)
    assert res.speedup is None
"""
    )
    result = nc.runpytest()
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*timing skipped: a tracer is active*"])


def test_disable_jit_skips_timing(nc_sub: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NUMBA_DISABLE_JIT", "1")
    nc_sub.makepyfile(
        LOOP
        + """
@pytest.mark.numba_speedup(min=1e9)
def test_disabled(numba_check):
    res = numba_check(tanh_sum, A)
    assert res.speedup is None
"""
    )
    result = nc_sub.runpytest_subprocess()
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*timing skipped: NUMBA_DISABLE_JIT=1*"])


def test_numba_warnings_are_shown(nc: pytest.Pytester) -> None:
    nc.makepyfile(
        """
        import numpy as np
        import pytest
        from numba import njit

        @njit(parallel=True)
        def first(a):
            return a[0] + 1.0

        @pytest.mark.numba_speedup(min=0)
        def test_it(numba_check):
            res = numba_check(first, np.ones(3))
            assert any("NumbaPerformanceWarning" in w for w in res.warnings)
        """
    )
    result = nc.runpytest()
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(["*NumbaPerformanceWarning*", "*parallel=True*"])


# -- unit tests of the measurement itself ------------------------------------------------


def side(fn) -> timing.Side:
    return timing.Side(lambda: fn(), lambda: ((), {}))


def test_calibration_reaches_a_millisecond() -> None:
    work = side(lambda: sum(range(100)))
    loops = timing.calibrate(work, timing.cpu_clock, budget=1.0)
    assert work.sample(loops, timing.cpu_clock) >= timing.MIN_SAMPLE * 0.5


def test_measure_uses_the_slow_first_call_instead_of_rerunning() -> None:
    calls = []

    def python() -> None:
        calls.append(1)

    attempt = timing.measure(side(python), side(lambda: None), budget=0.01, python_first=1.0)
    assert calls == []  # one 1 s call already made counts as the Python sample
    assert attempt.python_best == 1.0
    assert attempt.speedup > 1


def test_speedup_is_the_ratio_of_best_times_across_attempts() -> None:
    a = timing.measure(side(lambda: sum(range(200))), side(lambda: None), budget=0.02)
    t = Timing((a,))
    assert t.speedup == pytest.approx(a.python_best / a.numba_best)
    assert a.rounds >= timing.MIN_ROUNDS


def test_one_outlying_attempt_decides_nothing() -> None:
    def attempt(speedup: float) -> timing.Attempt:
        return timing.Attempt(speedup, 1.0, speedup, 1.0, 5, 1, 1, 0.1)

    assert Timing((attempt(800), attempt(1300), attempt(820))).speedup == 820


def test_fresh_inputs_are_made_outside_the_timed_loop() -> None:
    made = []

    def inputs():
        made.append(1)
        return ([3, 1, 2],), {}

    def sort_in_place(values):
        assert values == [3, 1, 2]  # never the output of an earlier call
        values.sort()

    work = timing.Side(sort_in_place, inputs, fresh=True)
    assert work.sample(50, timing.cpu_clock) >= 0
    assert len(made) == 50


def test_slowdown_wording() -> None:
    assert timing.fmt_speedup(12.0) == "12x faster"
    assert timing.fmt_speedup(1 / 3.4) == "3.4x slower"


def test_fmt_time() -> None:
    assert timing.fmt_time(1.5) == "1.5 s"
    assert timing.fmt_time(0.0025) == "2.5 ms"
    assert timing.fmt_time(3e-6) == "3 us"
    assert timing.fmt_time(None) == "-"
