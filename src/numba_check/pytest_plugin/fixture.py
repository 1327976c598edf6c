"""The ``numba_check`` fixture: compile, run both versions on copies, compare, time, report."""

from __future__ import annotations

import copy
import os
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from numba_check.pytest_plugin import explain, marker, report, timing
from numba_check.pytest_plugin.compare import Mismatch, Tolerance, compare
from numba_check.pytest_plugin.options import Options
from numba_check.pytest_plugin.results import CheckResult
from numba_check.pytest_plugin.target import GufuncReference, Target, resolve


class NumbaTimingSkipped(pytest.PytestWarning):
    """Timing was skipped for a check; its equality was still verified."""


@dataclass(frozen=True)
class Outcome:
    value: Any = None
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] | None = None
    error: BaseException | None = None
    duration: float = 0.0


def materialise(value: Any) -> Any:
    """Generators (Python's or Numba's) become lists so they can be compared."""
    if hasattr(value, "__next__") and hasattr(value, "__iter__"):
        return list(value)
    return value


def _copy_inputs(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[tuple, dict]:
    try:
        return copy.deepcopy((args, kwargs))
    except Exception as exc:  # noqa: BLE001
        pytest.fail(
            f"numba-check: cannot deep-copy the arguments ({type(exc).__name__}: {exc}); each "
            "version must run on its own copy",
            pytrace=False,
        )


def _run(fn: Callable[..., Any], args: tuple, kwargs: dict) -> Outcome:
    __tracebackhide__ = True
    t0 = time.perf_counter()
    try:
        value = materialise(fn(*args, **kwargs))
    except Exception as exc:  # noqa: BLE001 - compared with the other side below
        return Outcome(args=args, kwargs=kwargs, error=exc, duration=time.perf_counter() - t0)
    return Outcome(value, args, kwargs, None, time.perf_counter() - t0)


def _compile_spans(records: list[tuple[float, Any]]) -> float | None:
    """Total time of the outermost numba:compile events (nested compiles are inside them)."""
    depth, total, start = 0, 0.0, 0.0
    for ts, ev in records:
        if ev.is_start:
            if depth == 0:
                start = ts
            depth += 1
        elif ev.is_end and depth:
            depth -= 1
            if depth == 0:
                total += ts - start
    return total if records else None


def _describe_error(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:300]}" if text else type(exc).__name__


class NumbaCheck:
    """``numba_check(func, *args, **kwargs)`` and ``numba_check.kernel(...)``."""

    def __init__(self, item: pytest.Item, options: Options, cuda_conflict: str | None) -> None:
        self._item = item
        self._options = options
        self._spec = marker.read(item)
        self._cuda_conflict = cuda_conflict
        self.results: list[CheckResult] = []

    # -- settings -------------------------------------------------------------------------
    @property
    def tolerance(self) -> Tolerance:
        s, o = self._spec, self._options
        return Tolerance(
            rtol=o.rtol if s.rtol is None else s.rtol,
            atol=o.atol if s.atol is None else s.atol,
            check_dtype=s.check_dtype,
        )

    @property
    def required(self) -> float:
        return self._options.min_speedup if self._spec.min is None else self._spec.min

    @property
    def budget(self) -> float:
        return self._options.max_time if self._spec.max_time is None else self._spec.max_time

    def _required_text(self) -> str:
        if self._spec.min is not None:
            return self._spec.describe()
        source = self._options.source("numba_min_speedup")
        return f"default --numba-min-speedup {self.required:g} ({source})"

    def timing_skip_reason(
        self, target: Target | None = None, simulator: bool = False
    ) -> str | None:
        o = self._options
        if o.timing == "off":
            return f"timing turned off ({o.source('numba_timing')})"
        if (target is not None and target.jit_disabled) or os.environ.get(
            "NUMBA_DISABLE_JIT", "0"
        ) not in ("", "0"):
            return "NUMBA_DISABLE_JIT=1: nothing is compiled"
        if simulator:
            return "CUDA simulator: kernels run as Python, their speed means nothing"
        tracer = timing.tracer_active()
        if tracer:
            return f"{tracer}: it would inflate Python's time"
        if o.timing == "auto" and os.environ.get("PYTEST_XDIST_WORKER"):
            return "xdist worker: parallel tests disturb timing (use --numba-timing=on to time)"
        return None

    # -- reporting ------------------------------------------------------------------------
    def _row(self, target: Target, status: str, result: CheckResult | None = None, **extra: Any):
        times = result.times if result else None
        report.record(
            self._item,
            report.Row(
                test=self._item.nodeid,
                function=target.name,
                kind=target.kind,
                python_time=times.python_best if times else None,
                numba_time=times.numba_best if times else None,
                speedup=times.speedup if times else None,
                required=self.required if self.required else None,
                compile_time=result.compile_time if result else extra.pop("compile_time", None),
                status=status,
                attempts=len(times.attempts) if times else 0,
                detail=extra.pop("detail", ""),
            ),
        )

    def _fail(self, target: Target, status: str, message: str, **extra: Any) -> None:
        self._row(target, status, detail=message, **extra)
        pytest.fail(message, pytrace=False)

    # -- the check ------------------------------------------------------------------------
    def __call__(self, func: Any, *args: Any, **kwargs: Any) -> CheckResult:
        """Compile ``func``, compare it with its Python original on copies, time it."""
        __tracebackhide__ = True
        try:
            target = resolve(func)
        except TypeError as exc:
            pytest.fail(f"numba-check: {exc}", pytrace=False)
        nb_args, nb_kwargs = _copy_inputs(args, kwargs)
        py_args, py_kwargs = _copy_inputs(args, kwargs)

        nb, compile_time, caught = self._compiled_call(target, nb_args, nb_kwargs)
        for w in caught:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        warning_texts = tuple(
            f"{w.category.__name__}: {w.message}" for w in caught if _is_numba_warning(w.category)
        )
        if nb.error is not None and self._is_compile_error(target, nb.error):
            self._compile_failed(target, nb.error, compile_time)
        self._check_nopython(target, compile_time)

        if isinstance(target.reference, GufuncReference) and nb.error is None:
            target.reference.like = tuple(
                v for v in (nb.value if isinstance(nb.value, tuple) else (nb.value,))
            )
        py = _run(target.reference, py_args, py_kwargs)
        self._compare(target, py, nb, compile_time)

        required = self.required
        skip = self.timing_skip_reason(target)
        times = None
        if skip is None:
            times = self._time(target, args, kwargs, py.duration, required)
        result = CheckResult(
            function=target.name,
            kind=target.kind,
            value=nb.value,
            expected=py.value,
            speedup=times.speedup if times else None,
            times=times,
            compile_time=compile_time,
            required=required,
            timing_skipped=skip,
            warnings=warning_texts,
            args=nb.args,
            expected_args=py.args,
        )
        self.results.append(result)
        if skip is not None:
            self._row(target, f"timing skipped: {skip}", result)
            warnings.warn(
                NumbaTimingSkipped(f"numba-check: timing of '{target.name}' skipped: {skip}"),
                stacklevel=2,
            )
            return result
        assert times is not None
        if times.speedup < required:
            message = self._slow_message(target, result)
            self._row(target, "too slow", result, detail=message)
            pytest.fail(message, pytrace=False)
        self._row(target, "ok", result)
        return result

    def _compiled_call(self, target: Target, args: tuple, kwargs: dict):
        from numba.core import event

        types_before = len(getattr(target.compiled, "types", ()) or ())
        with (
            warnings.catch_warnings(record=True) as caught,
            event.install_recorder("numba:compile") as recorder,
        ):
            warnings.simplefilter("always")
            outcome = _run(target.compiled, args, kwargs)
        compile_time = _compile_spans(recorder.buffer)
        types_after = len(getattr(target.compiled, "types", ()) or ())
        if compile_time is None and target.kind == "vectorize" and types_after > types_before:
            # A dynamic @vectorize compiles a new loop without a numba:compile event; the
            # first call's duration (compile plus one run) is then the best figure available.
            compile_time = outcome.duration
        return outcome, compile_time, list(caught)

    @staticmethod
    def _is_compile_error(target: Target, exc: BaseException) -> bool:
        from numba.core.errors import NumbaError

        if isinstance(exc, NumbaError):
            return True
        # An internal compiler crash (AssertionError, AttributeError...) leaves no overload.
        d = target.dispatcher
        return d is not None and not d.overloads

    def _compile_failed(self, target: Target, exc: BaseException, compile_time: float | None):
        message = (
            f"numba-check: Numba cannot compile '{target.name}' ({target.kind}) in nopython "
            f"mode\n{explain.trim_numba_error(exc)}\n"
            + explain.format_diagnostics(
                target.py_func, target.name, target.kind.startswith("python")
            )
        )
        self._fail(target, "compile error", message)

    def _check_nopython(self, target: Target, compile_time: float | None) -> None:
        d = target.dispatcher
        if d is None:
            return
        object_mode = [sig for sig, cres in d.overloads.items() if cres.objectmode]
        if object_mode:
            self._fail(
                target,
                "not nopython",
                f"numba-check: '{target.name}' compiled in object mode (forceobj=True or an "
                f"object-mode fallback) for {object_mode[0]}: not nopython. Object mode runs "
                "as slowly as Python; numba-check accepts only nopython code.",
                compile_time=compile_time,
            )

    def _compare(self, target: Target, py: Outcome, nb: Outcome, compile_time: float | None):
        __tracebackhide__ = True
        head = f"numba-check: '{target.name}' ({target.kind}) differs from its Python original"
        if py.error is not None or nb.error is not None:
            if py.error is not None and nb.error is not None and type(py.error) is type(nb.error):
                # Same behaviour: the test sees the exception, as with the plain function.
                raise py.error
            got = f"raised {_describe_error(nb.error)}" if nb.error else f"returned {nb.value!r}"
            expected = (
                f"raised {_describe_error(py.error)}" if py.error else f"returned {py.value!r}"
            )
            self._fail(
                target,
                "mismatch",
                f"{head}: an exception in one version but not the other\n"
                f"  Python {expected[:300]}\n  Numba  {got[:300]}",
                compile_time=compile_time,
            )
        tol = self.tolerance
        mismatch: Mismatch | None = compare(py.value, nb.value, "return", tol)
        if mismatch is None:
            names = target.param_names()
            for i, (e, g) in enumerate(zip(py.args, nb.args, strict=True)):
                label = f"arg {i} {names[i]!r}" if i < len(names) else f"arg {i}"
                mismatch = compare(e, g, label, tol)
                if mismatch:
                    break
        if mismatch is None:
            for key in py.kwargs or {}:
                mismatch = compare(py.kwargs[key], nb.kwargs[key], f"arg {key!r}", tol)
                if mismatch:
                    break
        if mismatch is not None:
            self._fail(
                target,
                "mismatch",
                f"{head}\n{mismatch.format()}\n  tolerances: rtol={tol.rtol:g}, atol={tol.atol:g}"
                + ("" if tol.check_dtype else ", check_dtype=False"),
                compile_time=compile_time,
            )

    def _time(self, target: Target, args: tuple, kwargs: dict, py_first: float, required: float):
        # Each side gets its own copy for timing: in-place kernels keep mutating it.
        nb_args, nb_kwargs = _copy_inputs(args, kwargs)
        py_args, py_kwargs = _copy_inputs(args, kwargs)
        compiled, reference = target.compiled, target.reference

        def run_numba() -> None:
            materialise(compiled(*nb_args, **nb_kwargs))

        def run_python() -> None:
            materialise(reference(*py_args, **py_kwargs))

        return timing.speedup_check(run_python, run_numba, self.budget, required, py_first)

    def _slow_message(self, target: Target, result: CheckResult) -> str:
        times = result.times
        assert times is not None
        lines = [
            f"numba-check: '{target.name}' ({target.kind}) is {times.speedup:.3g}x faster than "
            f"Python; required {self.required:g}x ({self._required_text()})",
            f"  python: best {timing.fmt_time(times.python_best)}/call",
            f"  numba:  best {timing.fmt_time(times.numba_best)}/call",
        ]
        for n, a in enumerate(times.attempts, 1):
            lines.append(
                f"  attempt {n}: {a.speedup:.3g}x (python best {timing.fmt_time(a.python_best)}, "
                f"median {timing.fmt_time(a.python_median)}, x{a.python_loops} loops; numba best "
                f"{timing.fmt_time(a.numba_best)}, median {timing.fmt_time(a.numba_median)}, "
                f"x{a.numba_loops} loops; {a.rounds} rounds in {a.elapsed:.2f} s)"
            )
        lines.append(
            f"  compile time {timing.fmt_time(result.compile_time)} (not timed); "
            f"budget {self.budget:g} s per attempt; {timing.machine()}"
        )
        return "\n".join(lines)

    # -- CUDA -----------------------------------------------------------------------------
    def kernel(self, kernel: Any, griddim: Any, blockdim: Any, *, reference: Callable[..., Any]):
        """``numba_check.kernel(k, grid, block, reference=ref)(*args)``: compare k with ref."""
        from numba_check.pytest_plugin import cuda

        return cuda.KernelCheck(self, kernel, griddim, blockdim, reference)


def _is_numba_warning(category: type) -> bool:
    return any(c.__module__.startswith("numba") for c in category.__mro__[:-2])
