"""The ``numba_check`` fixture: compile, run both versions on copies, compare, time, report."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest

from numba_check.pytest_plugin import explain, isolation, marker, report, seeding, timing
from numba_check.pytest_plugin.compare import Mismatch, Tolerance, compare
from numba_check.pytest_plugin.copying import copy_arguments
from numba_check.pytest_plugin.options import Options
from numba_check.pytest_plugin.pure import compared_arguments, pure_arguments
from numba_check.pytest_plugin.results import CheckResult
from numba_check.pytest_plugin.target import GufuncReference, Target, overload_caller, resolve


class NumbaTimingSkipped(pytest.PytestWarning):
    """Timing was skipped for a check; its equality was still verified."""


@dataclass(frozen=True)
class Outcome:
    value: Any = None
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] | None = None
    error: BaseException | None = None
    duration: float = 0.0  # wall seconds
    cpu: float = 0.0  # this thread's CPU seconds


def materialise(value: Any) -> Any:
    """Generators (Python's or Numba's) become lists so they can be compared, up to a limit."""
    if hasattr(value, "__next__") and hasattr(value, "__iter__"):
        limit = isolation.MAX_ITEMS
        items = []
        for item in value:
            items.append(item)
            if len(items) > limit:
                raise isolation.TooManyItems(limit)
        return items
    return value


def _run(fn: Callable[..., Any], args: tuple, kwargs: dict, limit: float | None = None) -> Outcome:
    """One call; ``limit`` seconds bound a Python call (a watchdog interrupts it)."""
    __tracebackhide__ = True
    t0, c0 = time.perf_counter(), time.thread_time()
    try:
        with isolation.watchdog(limit):
            value = materialise(fn(*args, **kwargs))
    except Exception as exc:  # noqa: BLE001 - compared with the other side below
        return Outcome(
            args=args,
            kwargs=kwargs,
            error=exc,
            duration=time.perf_counter() - t0,
            cpu=time.thread_time() - c0,
        )
    return Outcome(value, args, kwargs, None, time.perf_counter() - t0, time.thread_time() - c0)


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
        rtol = o.rtol if o.source("numba_rtol") != "default" else None
        return Tolerance(
            rtol=rtol if s.rtol is None else s.rtol,
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
        # Decided when the target was resolved: compiling makes Numba re-read its environment.
        if target.jit_disabled if target is not None else _jit_disabled():
            return "NUMBA_DISABLE_JIT=1: nothing is compiled"
        if simulator:
            return "CUDA simulator: kernels run as Python, their speed means nothing"
        tracer = timing.tracer_active()
        if tracer:
            return f"{tracer}: it would inflate Python's time"
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
    def __call__(
        self,
        func: Any,
        *args: Any,
        reference: Callable[..., Any] | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> CheckResult:
        """Compile ``func``, compare it with its Python original on copies, time it.

        ``reference=`` replaces the Python original (an ``@overload``-ed API, a parallel
        ufunc, a Python original that cannot run); ``seed=`` seeds NumPy's and ``random``'s
        generators, in Python and in Numba alike, before each side runs.
        """
        __tracebackhide__ = True
        if seed is not None:
            try:
                seed = seeding.check(seed)
            except ValueError as exc:
                self._fail_early(_name(func), "error", f"numba-check: {exc}")
        if self.forked:
            return self._forked(func, args, kwargs, reference, seed)
        return self._check(func, args, kwargs, reference, seed)

    @property
    def forked(self) -> bool:
        return self._spec.forked if self._spec.forked is not None else self._options.forked

    def _forked(self, func: Any, args: tuple, kwargs: dict, reference: Any, seed: Any):
        """The check in a forked child: a crash or hang there fails this test only."""
        __tracebackhide__ = True
        if not isolation.can_fork():
            self._fail_early(
                _name(func), "error", "numba-check: --numba-forked needs os.fork (not on Windows)"
            )
        props = self._item.user_properties
        start = len(props)

        def work() -> Any:
            try:
                result = self._check(func, args, kwargs, reference, seed)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the parent
                return "raised", exc, props[start:]
            return "ok", _picklable(result), props[start:]

        # The child also compiles and times: its limit leaves room for both beyond the
        # Python reference's own limit.
        limit = 2 * self._options.timeout + (timing.RETRIES + 1) * 3 * self.budget
        status, payload = isolation.run_forked(work, limit)
        if status == "crashed":
            self._fail_early(_name(func), "crashed", f"numba-check: '{_name(func)}': {payload}")
        if status == "raised":  # work() itself failed to run
            raise payload
        kind, value, rows = payload
        props.extend(rows)
        if kind == "raised":
            raise value
        self.results.append(value)
        return value

    def _check(self, func: Any, args: tuple, kwargs: dict, reference: Any, seed: Any):
        __tracebackhide__ = True
        try:
            target = resolve(func, reference)
        except TypeError as exc:
            unsupported = str(exc)
        else:
            unsupported = None
        if unsupported is not None:  # failed outside the except block: one message, not two
            self._fail_early(_name(func), "unsupported", f"numba-check: {unsupported}")
        nb_args, nb_kwargs = self._copy_inputs(target, args, kwargs)
        py_args, py_kwargs = self._copy_inputs(target, args, kwargs)
        ref_args, ref_kwargs = pure_arguments(py_args, py_kwargs)

        nb, compile_time, caught, target, compiled = self._compiled_call(
            target, nb_args, nb_kwargs, seed
        )
        for w in caught:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        warning_texts = tuple(
            f"{w.category.__name__}: {w.message}" for w in caught if _is_numba_warning(w.category)
        )
        if nb.error is not None and self._is_compile_error(target, nb.error):
            self._compile_failed(target, nb.error, compile_time)
        if isinstance(nb.error, isolation.TooManyItems):
            self._fail(target, "error", f"numba-check: '{target.name}' (Numba): {nb.error}")
        self._check_nopython(target, compile_time)

        if isinstance(target.reference, GufuncReference) and nb.error is None:
            target.reference.like = tuple(
                v for v in (nb.value if isinstance(nb.value, tuple) else (nb.value,))
            )
        if seed is not None:
            seeding.seed_python(seed)
        try:
            py = _run(target.reference, ref_args, ref_kwargs, self._options.timeout)
        except isolation.ReferenceTimeout as exc:
            self._fail(
                target,
                "python timeout",
                f"numba-check: the Python original of '{target.name}' ran past {exc.limit:g} s "
                "and was interrupted (it may never end: Python's integers grow where Numba's "
                "wrap). Raise --numba-timeout, or give a reference= that ends.",
                compile_time=compile_time,
            )
        if isinstance(py.error, isolation.TooManyItems):
            self._fail(target, "error", f"numba-check: '{target.name}' (Python): {py.error}")
        py = replace(
            py,
            args=compared_arguments(py_args, ref_args),
            kwargs=compared_arguments(py_kwargs, ref_kwargs),
        )
        self._compare(target, py, nb, compile_time)
        self._fuzz_if_marked(func, args, kwargs)
        mutated = _mutates(args, kwargs, py, nb)
        required = self.required
        skip = self.timing_skip_reason(target)
        times = None
        if skip is None:
            times = self._time(
                target, compiled, args, kwargs, ref_args, ref_kwargs, py, required, mutated
            )
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
            reference_replaced=target.replaced,
            compile_note=self._compile_note,
        )
        self.results.append(result)
        if skip is not None:
            self._row(target, f"timing skipped: {skip}", result)
            warnings.warn(
                NumbaTimingSkipped(f"numba-check: timing of '{target.name}' skipped: {skip}"),
                stacklevel=3,
            )
            return result
        assert times is not None
        if times.speedup < required:
            message = self._slow_message(target, result)
            if times.busy:
                # Neighbours held the cores while parallel code was timed by the wall clock:
                # a low figure says nothing about the code.
                self._row(target, "inconclusive", result, detail=message)
                self._inconclusive(f"{message}\n  {times.busy}")
                return result
            self._row(target, "too slow", result, detail=message)
            pytest.fail(message, pytrace=False)
        self._row(target, "ok", result)
        return result

    def _inconclusive(self, message: str) -> None:
        report.mark_inconclusive(self._item, message)

    def _copy_inputs(self, target: Target | None, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
        __tracebackhide__ = True
        try:
            return copy_arguments(args, kwargs)
        except Exception as exc:  # noqa: BLE001
            message = (
                f"numba-check: cannot copy the arguments ({type(exc).__name__}: {exc}); each "
                "version must run on its own copy"
            )
            if target is None:
                pytest.fail(message, pytrace=False)
            self._fail(target, "error", message)
            raise  # unreachable: _fail raises

    def _fail_early(self, name: str, status: str, message: str) -> None:
        """A failure before there is a Target: still a row in the table and the JSON."""
        __tracebackhide__ = True
        report.record(
            self._item,
            report.Row(
                test=self._item.nodeid,
                function=name,
                kind="-",
                python_time=None,
                numba_time=None,
                speedup=None,
                required=self.required or None,
                compile_time=None,
                status=status,
                detail=message,
            ),
        )
        pytest.fail(message, pytrace=False)

    def _compiled_call(self, target: Target, args: tuple, kwargs: dict, seed: int | None):
        from numba.core import event

        compiled = target.compiled
        if target.overload:
            wrapper = overload_caller(target.compiled, len(args), tuple(kwargs))
            target = replace(target, dispatcher=wrapper)
            compiled = _positional(wrapper)
        d = target.dispatcher
        types_before = len(getattr(compiled, "types", ()) or ())
        hits_before = _cache_hits(d)
        if seed is not None:
            seeding.seed_numba(seed)
        with (
            warnings.catch_warnings(record=True) as caught,
            event.install_recorder("numba:compile") as recorder,
        ):
            warnings.simplefilter("always")
            outcome = _run(compiled, args, kwargs)
        compile_time = _compile_spans(recorder.buffer)
        types_after = len(getattr(compiled, "types", ()) or ())
        if compile_time is None and target.kind == "vectorize" and types_after > types_before:
            # A dynamic @vectorize compiles a new loop without a numba:compile event; the
            # first call's duration (compile plus one run) is then the best figure available.
            compile_time = outcome.duration
        self._compile_note = None
        if d is not None and _cache_hits(d) > hits_before:
            self._compile_note = "loaded from the cache (cache=True)"
            compile_time = outcome.duration
        elif compile_time is None and d is not None and outcome.error is None:
            # Compiled before this check (by another test or an earlier call): Numba kept the
            # compile time in the overload's metadata.
            compile_time = _earlier_compile_time(d, args, kwargs)
            if compile_time is not None:
                self._compile_note = "compiled before this check"
        return outcome, compile_time, list(caught), target, compiled

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
        if py.error is not None and nb.error is not None and type(py.error) is type(nb.error):
            # Same behaviour: the test sees the exception, as with the plain function.
            self._row(
                target,
                f"both raised {type(py.error).__name__}",
                detail=_describe_error(py.error),
                compile_time=compile_time,
            )
            raise py.error
        message = difference(target, py, nb, self.tolerance)
        if message is not None:
            self._fail(target, "mismatch", message, compile_time=compile_time)

    def _time(
        self,
        target: Target,
        compiled: Callable[..., Any],
        args: tuple,
        kwargs: dict,
        ref_args: tuple,
        ref_kwargs: dict,
        py: Outcome,
        required: float,
        mutated: bool,
    ):
        """Time both sides on the inputs that were checked.

        When the call mutates its arguments, every timed call gets fresh copies, made before
        the sample's clock starts; otherwise one copy per side serves every call.
        """
        reference = target.reference

        def numba_inputs() -> tuple[tuple, dict]:
            return copy_arguments(args, kwargs)

        def python_inputs() -> tuple[tuple, dict]:
            return pure_arguments(*copy_arguments(args, kwargs))

        finish = materialise if "generator" in target.kind else None
        numba_side = timing.Side(compiled, numba_inputs, mutated, finish)
        python_side = timing.Side(reference, python_inputs, mutated, finish)
        first = py.duration if target.parallel else py.cpu
        return timing.speedup_check(
            python_side, numba_side, self.budget, required, first, parallel=target.parallel
        )

    def _slow_message(self, target: Target, result: CheckResult) -> str:
        times = result.times
        assert times is not None
        lines = [
            f"numba-check: '{target.name}' ({target.kind}) is {timing.fmt_speedup(times.speedup)}"
            f" than Python; required {self.required:g}x faster ({self._required_text()})",
            f"  python: best {timing.fmt_time(times.python_best)}/call ({times.python_clock})",
            f"  numba:  best {timing.fmt_time(times.numba_best)}/call ({times.numba_clock})",
        ]
        if result.reference_replaced:
            lines.append(
                "  the Python side ran these compiled functions as Python: "
                + ", ".join(result.reference_replaced)
            )
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

    # -- fuzzing --------------------------------------------------------------------------
    def _fuzz_if_marked(self, func: Any, args: tuple, kwargs: dict) -> None:
        __tracebackhide__ = True
        from numba_check.pytest_plugin import fuzz

        spec = fuzz.read_marker(self._item, fuzz.defaults_from(self._options))  # validated
        if spec is not None:
            fuzz.check(self, func, args, kwargs, spec)

    def fuzz(self, func: Any, *examples: Any, **options: Any) -> Any:
        """Fuzz ``func`` against its Python original on inputs drawn like ``examples``.

        Options: ``n`` (most inputs, 200 or --numba-fuzz-examples), ``strategies`` (hypothesis
        strategies by argument name or position), ``max_time`` (seconds, 10 or
        --numba-fuzz-max-time), ``layouts``. See docs/fuzzing.md.
        """
        __tracebackhide__ = True
        from numba_check.pytest_plugin import fuzz

        try:
            spec = fuzz.parse(options, "numba_check.fuzz", fuzz.defaults_from(self._options))
        except ValueError as exc:
            problem = str(exc)
        else:
            return fuzz.check(self, func, examples, {}, spec)
        pytest.fail(f"numba-check: {problem}", pytrace=False)  # outside except: one message


def difference(target: Target, py: Outcome, nb: Outcome, tol: Tolerance) -> str | None:
    """The mismatch message for two outcomes, or None when they agree.

    The same exception type on both sides is agreement; the fixture and fuzzing share this.
    """
    head = f"numba-check: '{target.name}' ({target.kind}) differs from its Python original"
    if py.error is not None or nb.error is not None:
        if py.error is not None and nb.error is not None and type(py.error) is type(nb.error):
            return None
        got = f"raised {_describe_error(nb.error)}" if nb.error else f"returned {nb.value!r}"
        expected = f"raised {_describe_error(py.error)}" if py.error else f"returned {py.value!r}"
        return (
            f"{head}: an exception in one version but not the other\n"
            f"  Python {expected[:300]}\n  Numba  {got[:300]}"
        )
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
    if mismatch is None:
        return None
    return (
        f"{head}\n{mismatch.format()}\n  tolerances: "
        + (f"rtol={tol.rtol:g}" if tol.rtol is not None else "rtol from the dtype")
        + f", atol={tol.atol:g}"
        + ("" if tol.check_dtype else ", check_dtype=False")
    )


def _positional(wrapper: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return wrapper(*args, *kwargs.values())

    return call


def _cache_hits(d: Any) -> int:
    stats = getattr(d, "stats", None)
    hits = getattr(stats, "cache_hits", None)
    return sum(hits.values()) if hits else 0


def _earlier_compile_time(d: Any, args: tuple, kwargs: dict) -> float | None:
    try:
        sig = tuple(d.typeof_pyval(a) for a in (*args, *kwargs.values()))
        timers = d.get_metadata(sig).get("timers", {})
    except Exception:  # noqa: BLE001 - keyword order, folded defaults: the figure is optional
        return None
    value = timers.get("compiler_lock")
    return float(value) if value else None


def _jit_disabled() -> bool:
    """Numba's own configuration is the truth (a test may have changed it since import)."""
    import sys

    config = sys.modules.get("numba.core.config")
    return bool(getattr(config, "DISABLE_JIT", False))


def _name(func: Any) -> str:
    return getattr(func, "__name__", type(func).__name__)


def _mutates(args: tuple, kwargs: dict, py: Outcome, nb: Outcome) -> bool:
    """Whether either side changed an argument (then each timed call needs fresh copies)."""
    exact = Tolerance(rtol=0.0, atol=0.0)
    for after in (py, nb):
        for before, now in zip(args, after.args, strict=False):
            if compare(before, now, "", exact) is not None:
                return True
        for key, before in kwargs.items():
            if compare(before, (after.kwargs or {}).get(key), "", exact) is not None:
                return True
    return False


def _picklable(result: CheckResult) -> CheckResult:
    """The result as the forked child can send it: values that do not pickle are dropped."""
    import pickle

    try:
        pickle.dumps(result)
    except Exception:  # noqa: BLE001 - jitclass instances and other native objects
        return replace(result, value=None, expected=None, args=(), expected_args=())
    return result


def _is_numba_warning(category: type) -> bool:
    return any(c.__module__.startswith("numba") for c in category.__mro__[:-2])
