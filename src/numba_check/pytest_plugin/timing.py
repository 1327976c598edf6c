"""Honest speed-up measurement: calibrated loops, interleaved samples, ratio of best times.

Both callables are already compiled and warm when they get here. Each side gets its own loop
count so that one sample lasts at least ``MIN_SAMPLE`` seconds; samples of the two sides alternate
in ABBA order; the estimate is the ratio of the best per-call times (see docs/pytest-plugin.md).

Which clock: serial code (the Python reference, and compiled code that runs on one thread) is
timed by this thread's CPU time, which does not advance while the thread is preempted, so
CPU-bound neighbours cannot inflate either side. Parallel compiled code runs on several threads:
it is timed by the wall clock, and the run queue is read around each sample; when other
processes held the cores throughout, a too-low figure is "inconclusive", not a failure.
"""

from __future__ import annotations

import gc
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from numba_check.pytest_plugin.results import Attempt, Timing

MIN_SAMPLE = 1e-3  # seconds per sample: below ~1 ms timer noise dominates
MIN_ROUNDS = 5
MAX_ROUNDS = 1000
RETRIES = 2  # extra measurements before declaring a speed-up too small
CALIBRATION_SAMPLES = 3  # the loop count is set from the median of these, not from one sample
FRESH_BYTES = 64 << 20  # memory for the fresh argument copies of one sample

cpu_clock = time.thread_time
wall_clock = time.perf_counter
CPU, WALL = "thread CPU time", "wall clock"


def _nbytes(value: Any, seen: set[int] | None = None) -> int:
    seen = set() if seen is None else seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    nbytes = getattr(value, "nbytes", None)
    if isinstance(nbytes, int):
        return nbytes
    if isinstance(value, (list, tuple)):
        return sys.getsizeof(value) + sum(_nbytes(v, seen) for v in value)
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(_nbytes(v, seen) for v in value.values())
    return sys.getsizeof(value)


@dataclass
class Side:
    """One side of the comparison: what to call, and the inputs each timed call gets.

    ``fresh``: the call mutates its arguments, so every call of a sample gets its own copies,
    made before the sample's clock starts (copying is never timed).
    """

    fn: Callable[..., Any]
    inputs: Callable[[], tuple[tuple, dict]]
    fresh: bool = False
    finish: Callable[[Any], Any] | None = None  # e.g. materialising a generator
    _shared: tuple[tuple, dict] | None = field(default=None, repr=False)
    _max_loops: int | None = field(default=None, repr=False)

    def max_loops(self) -> int:
        if not self.fresh:
            return sys.maxsize
        if self._max_loops is None:
            size = max(1, _nbytes(self.inputs()))
            self._max_loops = max(1, FRESH_BYTES // size)
        return self._max_loops

    def sample(self, loops: int, clock: Callable[[], float]) -> float:
        """Seconds for ``loops`` calls (total, not per call)."""
        fn, finish = self.fn, self.finish
        if self.fresh:
            sets = [self.inputs() for _ in range(loops)]
            t0 = clock()
            if finish is None:
                for args, kwargs in sets:
                    fn(*args, **kwargs)
            else:
                for args, kwargs in sets:
                    finish(fn(*args, **kwargs))
            return clock() - t0
        if self._shared is None:
            self._shared = self.inputs()
        args, kwargs = self._shared
        # A call costs the same on both sides of the ratio only if nothing else runs in the
        # loop: a wrapper per call would weigh on a sub-microsecond compiled function.
        t0 = clock()
        if finish is None:
            for _ in range(loops):
                fn(*args, **kwargs)
        else:
            for _ in range(loops):
                finish(fn(*args, **kwargs))
        return clock() - t0


def calibrate(
    side: Side, clock: Callable[[], float], budget: float, first: float | None = None
) -> int:
    """Loops per sample so that one sample lasts at least MIN_SAMPLE, within the budget.

    The count grows from one sample, then is checked against the median of
    CALIBRATION_SAMPLES samples: one sample taken while preempted or cold misleads.
    """
    cap = side.max_loops()
    loops = 1
    duration = first if first is not None else side.sample(1, clock)
    spent = duration
    while duration < MIN_SAMPLE and spent < budget and loops < cap:
        factor = 10 if duration <= 0 else min(10.0, max(2.0, 1.2 * MIN_SAMPLE / duration))
        loops = min(cap, max(loops + 1, int(loops * factor)))
        duration = side.sample(loops, clock)
        spent += duration
    if spent < budget and duration < 20 * MIN_SAMPLE:
        durations = [duration] + [side.sample(loops, clock) for _ in range(CALIBRATION_SAMPLES - 1)]
        median = statistics.median(durations)
        if 0 < median < MIN_SAMPLE:
            loops = min(cap, math.ceil(loops * 1.2 * MIN_SAMPLE / median))
    return loops


# -- are the cores free? -------------------------------------------------------------------------


def _own_running_threads() -> int:
    running = 0
    try:
        for tid in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{tid}/stat", encoding="ascii") as f:
                # The state follows the parenthesised command name, which may hold spaces.
                if f.read().rpartition(")")[2].split()[0] == "R":
                    running += 1
    except OSError:
        return 1
    return running


def others_running() -> float | None:
    """How many runnable threads other processes have now (None when it cannot be told)."""
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            runnable = int(f.read().split()[3].split("/")[0])
        return max(0, runnable - _own_running_threads())
    except (OSError, ValueError, IndexError):
        pass
    try:  # elsewhere the one-minute load average is the best figure there is
        return max(0.0, os.getloadavg()[0] - 1)
    except (AttributeError, OSError):
        return None


def busy_reason(readings: list[float | None]) -> str | None:
    """Why the cores were not free for parallel code, judged from the run-queue readings."""
    known = [r for r in readings if r is not None]
    if not known:
        return None
    others = statistics.median(known)
    if others >= 1:
        return (
            f"other processes kept {others:g} thread(s) runnable on {os.cpu_count()} CPUs while "
            "parallel code was timed by the wall clock: the speed-up is inconclusive, neither "
            "passed nor failed"
        )
    return None


# -- measurement ----------------------------------------------------------------------------


def measure(
    python: Side,
    numba: Side,
    budget: float,
    python_first: float | None = None,
    parallel: bool = False,
) -> Attempt:
    """One measurement within roughly ``budget`` seconds (at least one sample per side).

    ``python_first`` is the CPU time of a call already made: when a single Python call takes a
    large part of the budget, it counts as the Python sample instead of running Python again.
    """
    start = wall_clock()
    nb_clock = wall_clock if parallel else cpu_clock
    # The budget is spent in this thread's CPU time for serial code, so that neighbours cannot
    # cut the number of samples short; the wall clock only caps a pathological case.
    spent_clock = wall_clock if parallel else cpu_clock
    spent_start = spent_clock()
    py_samples: list[float] = []
    slow_python = python_first is not None and python_first > budget / (2 * MIN_ROUNDS)
    if slow_python:
        py_loops = 1
        py_samples.append(python_first)  # type: ignore[arg-type]
    else:
        py_loops = calibrate(python, cpu_clock, budget / 4, python_first)
    nb_loops = calibrate(numba, nb_clock, budget / 4)
    nb_samples: list[float] = []
    readings: list[float | None] = []
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        rounds = 0
        while rounds < MAX_ROUNDS:
            elapsed = spent_clock() - spent_start
            if rounds >= MIN_ROUNDS and elapsed >= budget:
                break
            if rounds >= 1 and (elapsed >= 3 * budget or wall_clock() - start >= 10 * budget):
                break  # hard cap: a slow side must not make the test take minutes
            run_python = not slow_python or elapsed + py_samples[-1] < budget
            order = (True, False) if rounds % 2 == 0 else (False, True)
            for is_python in order:
                if is_python and run_python:
                    py_samples.append(python.sample(py_loops, cpu_clock) / py_loops)
                elif not is_python:
                    if parallel:
                        readings.append(others_running())
                    nb_samples.append(numba.sample(nb_loops, nb_clock) / nb_loops)
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
        elapsed=wall_clock() - start,
        busy=busy_reason(readings) if parallel else None,
    )


def speedup_check(
    python: Side,
    numba: Side,
    budget: float,
    required: float,
    python_first: float | None = None,
    parallel: bool = False,
) -> Timing:
    """Measure, and re-measure up to RETRIES times while the estimate is below ``required``."""
    slow = python_first is not None and python_first > budget / (2 * MIN_ROUNDS)

    def timing(attempts: list[Attempt]) -> Timing:
        return Timing(tuple(attempts), CPU, WALL if parallel else CPU)

    attempts = [measure(python, numba, budget, python_first, parallel)]
    while timing(attempts).speedup < required and len(attempts) <= RETRIES:
        attempts.append(measure(python, numba, budget, python_first if slow else None, parallel))
    return timing(attempts)


def fmt_speedup(speedup: float) -> str:
    """'12.3x faster' or '3.4x slower' (never '0.29x faster')."""
    if speedup >= 1 or speedup <= 0:
        return f"{speedup:.3g}x faster"
    return f"{1 / speedup:.3g}x slower"


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
