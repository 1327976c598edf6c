"""Honest speed-up measurement: calibrated loops, interleaved samples, ratio of best times.

Both callables are already compiled and warm when they get here. Each side gets its own loop
count so that one sample lasts at least ``MIN_SAMPLE`` seconds; samples of the two sides alternate
in ABBA order; the estimate is the ratio of the best per-call times, the estimator that varied
least on a loaded two-core machine (see docs/pytest-plugin.md).
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from collections.abc import Callable

from numba_check.pytest_plugin.results import Attempt, Timing

MIN_SAMPLE = 1e-3  # seconds per sample: below ~1 ms timer noise dominates
MIN_ROUNDS = 5
MAX_ROUNDS = 1000
RETRIES = 2  # extra measurements before declaring a speed-up too small

clock = time.perf_counter


def _run(fn: Callable[[], object], loops: int) -> float:
    t0 = clock()
    for _ in range(loops):
        fn()
    return clock() - t0


def calibrate(fn: Callable[[], object], budget: float, first: float | None = None) -> int:
    """Loops per sample so that one sample lasts at least MIN_SAMPLE, within the budget."""
    loops = 1
    duration = first if first is not None else _run(fn, 1)
    spent = duration
    while duration < MIN_SAMPLE and spent < budget:
        factor = 10 if duration <= 0 else min(10.0, max(2.0, 1.2 * MIN_SAMPLE / duration))
        loops = max(loops + 1, int(loops * factor))
        duration = _run(fn, loops)
        spent += duration
    return loops


def measure(
    python: Callable[[], object],
    numba: Callable[[], object],
    budget: float,
    python_first: float | None = None,
) -> Attempt:
    """One measurement within roughly ``budget`` seconds (at least one sample per side).

    ``python_first`` is the duration of a call already made: when a single Python call takes a
    large part of the budget, it counts as the Python sample instead of running Python again.
    """
    start = clock()
    py_samples: list[float] = []
    slow_python = python_first is not None and python_first > budget / (2 * MIN_ROUNDS)
    if slow_python:
        py_loops = 1
        py_samples.append(python_first)
    else:
        py_loops = calibrate(python, budget / 4, python_first)
    nb_loops = calibrate(numba, budget / 4)
    nb_samples: list[float] = []
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        rounds = 0
        while rounds < MAX_ROUNDS:
            elapsed = clock() - start
            if rounds >= MIN_ROUNDS and elapsed >= budget:
                break
            if rounds >= 1 and elapsed >= 3 * budget:
                break  # hard cap: a slow side must not make the test take minutes
            run_python = not slow_python or elapsed + py_samples[-1] < budget
            order = (True, False) if rounds % 2 == 0 else (False, True)
            for is_python in order:
                if is_python and run_python:
                    py_samples.append(_run(python, py_loops) / py_loops)
                elif not is_python:
                    nb_samples.append(_run(numba, nb_loops) / nb_loops)
            rounds += 1
    finally:
        if gc_was_enabled:
            gc.enable()
    return Attempt(
        python_best=min(py_samples),
        numba_best=min(nb_samples),
        python_median=statistics.median(py_samples),
        numba_median=statistics.median(nb_samples),
        rounds=rounds,
        python_loops=py_loops,
        numba_loops=nb_loops,
        elapsed=clock() - start,
    )


def speedup_check(
    python: Callable[[], object],
    numba: Callable[[], object],
    budget: float,
    required: float,
    python_first: float | None = None,
) -> Timing:
    """Measure, and re-measure up to RETRIES times while the estimate is below ``required``."""
    attempts = [measure(python, numba, budget, python_first)]
    while Timing(tuple(attempts)).speedup < required and len(attempts) <= RETRIES:
        slow = python_first is not None and python_first > budget / (2 * MIN_ROUNDS)
        attempts.append(measure(python, numba, budget, python_first if slow else None))
    return Timing(tuple(attempts))


def tracer_active() -> str | None:
    """Name of an active tracer or profiler, which would inflate Python's time."""
    if sys.gettrace() is not None:
        return f"a tracer is active ({_describe(sys.gettrace())}, e.g. coverage or a debugger)"
    if sys.getprofile() is not None:
        return f"a profiler is active ({_describe(sys.getprofile())})"
    monitoring = getattr(sys, "monitoring", None)
    if monitoring is not None:
        for tool_id in range(6):
            name = monitoring.get_tool(tool_id)
            if name:
                return f"sys.monitoring tool {name!r} is active (e.g. coverage)"
    return None


def _describe(obj: object) -> str:
    owner = getattr(obj, "__self__", None)
    target = owner if owner is not None else obj
    return f"{type(target).__module__}.{type(target).__qualname__}"


def machine() -> str:
    try:
        load = f", load average {os.getloadavg()[0]:.2f}"
    except (AttributeError, OSError):
        load = ""
    return f"{os.cpu_count()} CPUs{load}"


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"
