"""Frozen records of what a check found: timings and the result handed back to the test."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Attempt:
    """One timing measurement: best and median seconds per call on each side."""

    python_best: float
    numba_best: float
    python_median: float
    numba_median: float
    rounds: int
    python_loops: int
    numba_loops: int
    elapsed: float
    busy: str | None = None  # why the cores were not free, when parallel code was timed

    @property
    def speedup(self) -> float:
        return self.python_best / self.numba_best if self.numba_best > 0 else float("inf")


@dataclass(frozen=True)
class Timing:
    """All timing attempts of one check: the best time seen on each side, and the estimate."""

    attempts: tuple[Attempt, ...]
    python_clock: str = "thread CPU time"
    numba_clock: str = "thread CPU time"

    @property
    def busy(self) -> str | None:
        """Set when every attempt ran with the cores taken by other processes."""
        reasons = [a.busy for a in self.attempts]
        return reasons[-1] if reasons and all(reasons) else None

    @property
    def python_best(self) -> float:
        return min(a.python_best for a in self.attempts)

    @property
    def numba_best(self) -> float:
        return min(a.numba_best for a in self.attempts)

    @property
    def speedup(self) -> float:
        """The median of the attempts' speed-ups: one outlying attempt (a burst of hypervisor
        steal, say) can neither pass nor fail a check that was measured again."""
        return statistics.median(a.speedup for a in self.attempts)


@dataclass(frozen=True)
class CheckResult:
    """What ``numba_check(func, *args)`` returns.

    ``value`` is the compiled function's return value, ``expected`` the pure-Python one.
    ``speedup`` and ``times`` are None when timing was skipped; ``timing_skipped`` says why.
    ``compile_time`` is in seconds, measured outside the timing (None when nothing compiled).
    """

    function: str
    kind: str
    value: Any
    expected: Any
    speedup: float | None
    times: Timing | None
    compile_time: float | None
    required: float | None = None
    timing_skipped: str | None = None
    warnings: tuple[str, ...] = field(default=())
    args: tuple[Any, ...] = field(default=(), repr=False)
    expected_args: tuple[Any, ...] = field(default=(), repr=False)
    reference_replaced: tuple[str, ...] = ()  # compiled objects the reference ran as Python
    compile_note: str | None = None  # "compiled before this check", "loaded from the cache"


@dataclass(frozen=True)
class KernelResult:
    """What ``numba_check.kernel(...)(*args)`` returns: the arguments after each run."""

    function: str
    args: tuple[Any, ...]
    expected_args: tuple[Any, ...]
    simulator: bool
    timing_skipped: str | None = None
