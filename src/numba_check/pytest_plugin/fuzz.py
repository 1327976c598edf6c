"""Differential fuzzing: hypothesis draws inputs like the examples, both versions must agree.

``numba_check.fuzz(func, *examples, n=200, strategies=..., max_time=..., layouts=...)`` and the
``@pytest.mark.numba_fuzz(...)`` marker (which fuzzes every ``numba_check(func, *args)`` call of
the test, with its arguments as the examples) end here. Each drawn input is built afresh for each
side, so a mutation on one side cannot leak into the other and a view keeps its strides (a deep
copy would make it contiguous). hypothesis and NumPy are imported lazily, only when a test
fuzzes: the plugin imports this module to register the marker.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

from numba_check.pytest_plugin import marker

if TYPE_CHECKING:
    import numpy as np

MARKER = "numba_fuzz"
LAYOUTS = ("C", "F", "strided", "reversed")
KEYWORDS = ("n", "strategies", "max_time", "layouts")
DESCRIPTION = (
    f"{MARKER}(n=200, strategies=None, max_time=10.0, layouts=('C', 'F', 'strided', "
    "'reversed')): numba-check (n and max_time default to --numba-fuzz-examples and "
    "--numba-fuzz-max-time): each numba_check(func, *args) call of the test also fuzzes "
    "func: hypothesis draws up to n inputs like args (strategies: per-argument hypothesis "
    "strategies by name or position) and the compiled function must agree with Python on each."
)
MAX_ELEMENTS = 256  # per drawn array: enough for summation-order effects, cheap to shrink
SMALL_INT_BOUND = 64  # integer scalars reach at least +-64 (sizes, counts, exponents)
# An input holding an integer type's extreme: the Python side first, stopped after this share
# of max_time (within these bounds), the compiled side then in a forked child, stopped after
# COMPILED_FACTOR times the Python side's time (at least COMPILED_FLOOR seconds).
EXTREME_PYTHON_SHARE, EXTREME_PYTHON_BOUNDS = 1 / 20, (0.25, 2.0)
COMPILED_FACTOR, COMPILED_FLOOR = 50, 1.0


@dataclass(frozen=True)
class FuzzSpec:
    """What one fuzz run is asked to do."""

    n: int = 200
    strategies: Mapping[str | int, Any] = field(default_factory=dict)
    max_time: float = 10.0
    layouts: tuple[str, ...] = LAYOUTS


@dataclass(frozen=True)
class FuzzResult:
    """What ``numba_check.fuzz`` returns when the two versions agreed on every input."""

    function: str
    examples: int  # inputs run on both sides
    elapsed: float
    budget_reached: bool  # stopped by max_time before n inputs
    skipped: int = 0  # inputs with an integer extreme on which Python ran past its limit


def parse(kwargs: Mapping[str, Any], where: str, defaults: FuzzSpec | None = None) -> FuzzSpec:
    """Validate fuzz options (from the call or the marker); ValueError names ``where``.

    ``defaults`` holds ``n`` and ``max_time`` from the ini file or command line
    (``--numba-fuzz-examples``, ``--numba-fuzz-max-time``): what the call does not give.
    """
    unknown = sorted(set(kwargs) - set(KEYWORDS))
    if unknown:
        raise ValueError(
            f"{where}: unknown keyword{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(map(repr, unknown))}; allowed: {', '.join(KEYWORDS)}"
        )
    spec = defaults or FuzzSpec()
    n = kwargs.get("n", spec.n)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{where}: n= must be an integer >= 1, got {n!r}")
    max_time = kwargs.get("max_time", spec.max_time)
    if isinstance(max_time, bool) or not isinstance(max_time, (int, float)) or not max_time > 0:
        raise ValueError(f"{where}: max_time= must be a number of seconds > 0, got {max_time!r}")
    strategies = kwargs.get("strategies") or {}
    if not isinstance(strategies, Mapping):
        raise ValueError(
            f"{where}: strategies= must map argument names or positions to hypothesis "
            f"strategies, got {type(strategies).__name__}"
        )
    for key, value in strategies.items():
        if type(value).__module__.split(".")[0] != "hypothesis":
            raise ValueError(
                f"{where}: strategies[{key!r}] must be a hypothesis strategy, got {value!r}"
            )
    layouts = kwargs.get("layouts", spec.layouts)
    if isinstance(layouts, str):
        layouts = (layouts,)
    layouts = tuple(layouts)
    bad = [x for x in layouts if x not in LAYOUTS]
    if bad or not layouts:
        raise ValueError(
            f"{where}: layouts= takes one or more of {', '.join(LAYOUTS)}, got {layouts!r}"
        )
    return FuzzSpec(int(n), dict(strategies), float(max_time), layouts)


def read_marker(item: pytest.Item, defaults: FuzzSpec | None = None) -> FuzzSpec | None:
    mark = item.get_closest_marker(MARKER)
    if mark is None:
        return None
    if mark.args:
        raise ValueError(f"@pytest.mark.{MARKER} takes keywords only, got {mark.args!r}")
    return parse(mark.kwargs, f"@pytest.mark.{MARKER}", defaults)


def defaults_from(options: Any) -> FuzzSpec:
    """The run's fuzz defaults from its resolved numba-check options."""
    return FuzzSpec(n=options.fuzz_examples, max_time=options.fuzz_max_time)


def validate_items(items: list[pytest.Item], without_fixture: str = "error") -> None:
    """Reject bad numba_fuzz markers at collection time, naming every offending test; a
    marker on a test without the fixture as `marker.validate_items` treats its own."""
    problems = []
    for item in items:
        try:
            read_marker(item)
        except ValueError as exc:
            problems.append(f"  {item.nodeid}: {exc}")
            continue
        problems.extend(marker.unused(item, MARKER, without_fixture))
    if problems:
        raise pytest.UsageError(
            f"numba-check: invalid @pytest.mark.{MARKER} marker(s):\n" + "\n".join(problems)
        )


# -- inputs -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Drawn:
    """One drawn argument: its values and the memory layout it is handed over in."""

    value: Any
    layout: str = "as drawn"  # C, F, strided, reversed, or "as drawn" (scalars, strategies)
    extreme: bool = False  # holds an integer scalar at its type's extremes (see run)

    def build(self) -> Any:
        """A fresh copy for one side, in the drawn layout."""
        import numpy as np

        v = self.value
        if not isinstance(v, np.ndarray):
            import copy

            return copy.deepcopy(v)
        if self.layout == "F":
            return np.asfortranarray(v)
        if self.layout == "strided":
            # Every other element of the last axis of a buffer twice as wide.
            base = np.zeros((*v.shape[:-1], 2 * v.shape[-1]), dtype=v.dtype)
            view = base[..., ::2]
            view[...] = v
            return view
        if self.layout == "reversed":
            return np.ascontiguousarray(v[..., ::-1])[..., ::-1]
        return np.array(v, copy=True, order="C")

    def __repr__(self) -> str:
        import numpy as np

        if isinstance(self.value, np.ndarray):
            with np.printoptions(threshold=40, edgeitems=4, precision=10, floatmode="maxprec"):
                text = np.array2string(self.value, separator=", ")
            text = " ".join(text.split())
            note = {
                "F": ", Fortran order",
                "strided": ", non-contiguous view (every other element)",
                "reversed": ", negative strides (a [::-1] view)",
            }.get(self.layout, "")
            return f"array({text}, dtype={self.value.dtype}{note})"
        if isinstance(self.value, np.generic):
            return f"np.{type(self.value).__name__}({self.value.item()!r})"
        return repr(self.value)


def _int_bounds(example: int, lo: int, hi: int) -> tuple[int, int]:
    bound = max(SMALL_INT_BOUND, 4 * abs(int(example)))
    return max(lo, -bound), min(hi, bound)


def _scalar(example: Any) -> Any:
    """A strategy for scalars of the example's kind and type, or None if it is not one."""
    import numpy as np
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp

    if isinstance(example, (bool, np.bool_)):
        return st.booleans().map(type(example))
    if isinstance(example, int):
        # Python ints are typed int64 by Numba. Only near the example's size: scalars are
        # often counts or exponents, and Python's 3 ** 2**62 or range(2**62) never ends.
        lo, hi = _int_bounds(example, -(2**63), 2**63 - 1)
        return st.integers(lo, hi)
    if isinstance(example, np.integer):
        info = np.iinfo(example.dtype)
        if example.dtype.itemsize <= 2:
            lo, hi = int(info.min), int(info.max)  # small types: every value, extremes included
        else:
            lo, hi = _int_bounds(example, int(info.min), int(info.max))
        return hnp.from_dtype(example.dtype, min_value=lo, max_value=hi).map(example.dtype.type)
    if isinstance(example, float):
        return st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True)
    if isinstance(example, complex):
        return st.complex_numbers(allow_nan=True, allow_infinity=True)
    if isinstance(example, (np.floating, np.complexfloating)):
        return hnp.from_dtype(example.dtype).map(example.dtype.type)
    return None


def _extremes(example: Any) -> list[Any]:
    """The extremes of an integer scalar's type (int64 for a Python int, as Numba types it),
    beyond the bounds _scalar draws within; none for other scalars."""
    import numpy as np

    if isinstance(example, (bool, np.bool_)):
        return []
    if isinstance(example, int):
        lo, hi, make = -(2**63), 2**63 - 1, int
    elif isinstance(example, np.integer) and example.dtype.itemsize > 2:
        info = np.iinfo(example.dtype)
        lo, hi, make = int(info.min), int(info.max), example.dtype.type
    else:
        return []
    values = [lo, hi, hi - 1] + ([lo + 1] if lo else [])
    return [make(v) for v in values]


def _cap(ndim: int) -> int:
    return max(2, int(MAX_ELEMENTS ** (1 / ndim)))


def _shape(example: np.ndarray, sizes: Mapping[int, int] | None = None) -> Any:
    """The drawn shape: the sides in ``sizes`` (drawn once for the whole input), else each
    side from 0 to twice the example's plus 2, within MAX_ELEMENTS."""
    from hypothesis import strategies as st

    if sizes is not None:
        return st.just(tuple(sizes[s] for s in example.shape))
    if example.ndim == 0:
        return st.just(())
    cap = _cap(example.ndim)
    return st.tuples(*[st.integers(0, min(cap, 2 * s + 2)) for s in example.shape])


def side_lengths(examples: Sequence[Any]) -> Any:
    """One drawn length per distinct side length of the examples' arrays.

    Sides that are equal in the examples stay equal (``u`` and ``v`` of a distance, ``x`` and
    the ``out`` it fills): most compiled code reads them as one size and, unlike NumPy, Numba
    does not check its indices, so unrelated sizes would mostly find out-of-bounds reads.
    """
    import numpy as np
    from hypothesis import strategies as st

    highest: dict[int, int] = {}
    for e in examples:
        if isinstance(e, np.ndarray) and e.dtype.kind in "biufc" and e.ndim:
            for side in e.shape:
                hi = min(_cap(e.ndim), 2 * side + 2)
                highest[side] = min(highest.get(side, hi), hi)
    return st.fixed_dictionaries({side: st.integers(0, hi) for side, hi in highest.items()})


def _elements(dtype: np.dtype) -> Any:
    """Any value of the dtype, with the values that make summation order and overflow show
    (+-1/eps cancels to zero in one order and not the other) drawn more often."""
    import numpy as np
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp

    anything = hnp.from_dtype(dtype)
    if dtype.kind in "fc":
        info = np.finfo(dtype)
        big = float(2 / info.eps)
        special = [0.0, -0.0, 1.0, -1.0, 0.1, big, -big, float(info.max), -float(info.max)]
        special += [float(info.smallest_subnormal), math.nan, math.inf, -math.inf]
    elif dtype.kind in "iu":
        info = np.iinfo(dtype)
        special = sorted({0, 1, int(info.max), int(info.max) - 1, int(info.min), int(info.min) + 1})
        special += [-1] if dtype.kind == "i" else []
    else:
        return anything
    return st.one_of(anything, st.sampled_from(special).map(dtype.type))


def _order_dependent(dtype: np.dtype, shape: Any) -> Any:
    """Float arrays whose sum depends on the order of summation (Numba adds in sequence, NumPy
    pairwise from eight elements on): overflow that cancels in one order only, and a value that
    absorbs the ones added after it. Drawn element by element, such arrays almost never come
    up, so fuzzing would find the difference with some seeds only."""
    import numpy as np
    from hypothesis import strategies as st

    info = np.finfo(dtype)
    top, big = float(info.max), float(2 / info.eps)

    def build(shape_and_kind: tuple[tuple[int, ...], int]) -> np.ndarray:
        shape, kind = shape_and_kind
        size = math.prod(shape)
        half = size // 2
        flat = [
            [top] * half + [-top] * (size - half),
            [big] + [1.0] * (size - 1),
            [big] + [1.0] * (size - 2) + [-big],
        ][kind][:size]
        return np.array(flat, dtype=dtype).reshape(shape)

    return st.tuples(shape, st.integers(0, 2)).map(build)


def _array(example: np.ndarray, sizes: Mapping[int, int] | None) -> Any:
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp

    dtype = example.dtype
    if dtype.kind not in "biufc":
        return None
    shape = _shape(example, sizes)
    values = hnp.arrays(dtype, shape, elements=_elements(dtype))
    if dtype.kind in "fc":
        values = st.one_of(values, _order_dependent(dtype, shape))
    return values.map(lambda v: Drawn(v, "C"))


def with_layout(drawn: Drawn, layout: str) -> Drawn:
    """The drawn array in ``layout`` (Fortran order only for two dimensions or more)."""
    v = drawn.value
    if drawn.layout == "as drawn" or not hasattr(v, "ndim") or v.ndim == 0:
        return drawn
    if layout == "F" and v.ndim < 2:
        layout = "C"
    return Drawn(v, layout, drawn.extreme)


def like(example: Any, sizes: Mapping[int, int] | None = None, extremes: bool = False) -> Any:
    """A strategy of Drawn arguments like ``example``: same type, dtype and rank.

    Arrays come C-ordered; the input's layout is drawn once for all its arrays (see run): each
    new layout is a new Numba type, compiled anew. With ``extremes``, integer scalars are also
    drawn at their type's extremes (marked, so that run bounds both sides).
    """
    import numpy as np
    from hypothesis import strategies as st

    if isinstance(example, np.ndarray):
        strategy = _array(example, sizes)
        if strategy is not None:
            return strategy
    scalar = _scalar(example)
    if scalar is not None:
        drawn = scalar.map(Drawn)
        edges = _extremes(example) if extremes else []
        if edges:
            drawn = st.one_of(drawn, st.sampled_from(edges).map(lambda v: Drawn(v, extreme=True)))
        return drawn
    if isinstance(example, list) and example:
        items = [like(x, extremes=extremes) for x in example]
        kinds = {type(x) for x in example}
        if len(kinds) == 1 and all(not isinstance(x, (list, tuple)) for x in example):
            # A homogeneous list (reflected or typed as list(T) by Numba): any length.
            return st.lists(items[0], max_size=2 * len(example) + 2).map(
                lambda xs: Drawn([d.build() for d in xs], extreme=any(d.extreme for d in xs))
            )
    if isinstance(example, tuple) and example:
        # A tuple's length is part of its Numba type: same length, each item like the example's.
        return st.tuples(*[like(x, extremes=extremes) for x in example]).map(
            lambda xs: Drawn(tuple(d.build() for d in xs), extreme=any(d.extreme for d in xs))
        )
    # Strings, containers of mixed or nested items, objects: passed as given.
    return st.just(Drawn(example))


def _user_strategy(strategy: Any) -> Any:
    return strategy.map(Drawn)


# -- running ------------------------------------------------------------------------------
SKIPPED = "skipped"  # differ's verdict on an input whose Python side ran past its bound


class _Difference(AssertionError):
    """One input on which the two versions differ (hypothesis shrinks it)."""


@dataclass
class _Failure:
    inputs: tuple[Drawn, ...] = ()
    message: str = ""


def _call_text(name: str, names: list[str], drawn: tuple[Drawn, ...]) -> str:
    parts = []
    for i, d in enumerate(drawn):
        label = f"{names[i]}=" if i < len(names) else ""
        parts.append(f"{label}{d!r}")
    return f"{name}({', '.join(parts)})"


def strategies_for(
    examples: tuple[Any, ...],
    names: list[str],
    spec: FuzzSpec,
    where: str,
    extremes: bool = False,
) -> Any:
    """A strategy of whole inputs: per argument the user's strategy where given, else one
    like the example, the arrays' sides drawn together (see side_lengths)."""
    from hypothesis import strategies as st

    given: dict[int, Any] = {}
    known = set()
    for i in range(len(examples)):
        name = names[i] if i < len(names) else None
        if name is not None and name in spec.strategies:
            given[i] = _user_strategy(spec.strategies[name])
            known.add(name)
        elif i in spec.strategies:
            given[i] = _user_strategy(spec.strategies[i])
            known.add(i)
    stray = [k for k in spec.strategies if k not in known]
    if stray:
        raise ValueError(
            f"{where}: strategies for {', '.join(map(repr, stray))} match no argument "
            f"(arguments: {', '.join(names[: len(examples)]) or 'none'})"
        )
    drawn_like = [e for i, e in enumerate(examples) if i not in given]

    def arguments(sizes: dict[int, int]) -> Any:
        return st.tuples(
            *[given[i] if i in given else like(e, sizes, extremes) for i, e in enumerate(examples)]
        )

    return side_lengths(drawn_like).flatmap(arguments)


def run(
    func: Any,
    examples: tuple[Any, ...],
    spec: FuzzSpec,
    *,
    target: Any,
    differ: Callable[[Any, tuple, tuple, bool], str | None],
    digest: str,
    extremes: bool = False,
) -> tuple[FuzzResult, _Failure | None]:
    """Fuzz ``target`` (a resolved Target); ``differ(target, nb_args, py_args, bounded)`` tells
    a difference, or SKIPPED. ``bounded`` inputs hold an integer extreme (see check).

    Returns the result and, when the versions differ, the shrunk input with its message.
    """
    import numpy as np
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    names = target.param_names()
    inputs = strategies_for(examples, names, spec, "numba_check.fuzz", extremes)
    failure = _Failure()
    state = {"count": 0, "failed": False, "stopped": False, "skipped": 0}
    start = time.monotonic()

    def one(drawn_in: tuple[tuple[Drawn, ...], str]) -> None:
        drawn = tuple(with_layout(d, drawn_in[1]) for d in drawn_in[0])
        if not state["failed"] and time.monotonic() - start > spec.max_time:
            state["stopped"] = True  # over budget: the remaining draws are not run
            return
        nb_args = tuple(d.build() for d in drawn)
        py_args = tuple(d.build() for d in drawn)
        message = differ(target, nb_args, py_args, any(d.extreme for d in drawn))
        if message is SKIPPED:
            state["skipped"] += 1
            return
        state["count"] += 1
        if message is not None:
            state["failed"] = True
            failure.inputs, failure.message = drawn, message
            raise _Difference(message)

    one._hypothesis_internal_add_digest = digest.encode()  # type: ignore[attr-defined]
    base = settings()  # the active profile: database, derandomize, verbosity, ...
    phases = tuple(p for p in base.phases if p is not Phase.explain)
    test = settings(
        base,
        max_examples=spec.n,
        deadline=None,  # the first draws of each new type include Numba's compile
        phases=phases,
        report_multiple_bugs=False,
        print_blob=False,
        suppress_health_check=list(HealthCheck),
    )(given(st.tuples(inputs, st.sampled_from(spec.layouts)))(one))
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            # NaN, inf and overflow are the point here: their warnings are not differences.
            warnings.simplefilter("ignore")
            test()
    except _Difference:
        return _result(target, state, start), failure
    return _result(target, state, start), None


def _result(target: Any, state: dict[str, Any], start: float) -> FuzzResult:
    return FuzzResult(
        function=target.name,
        examples=state["count"],
        elapsed=time.monotonic() - start,
        budget_reached=bool(state["stopped"]),
        skipped=int(state["skipped"]),
    )


def failure_message(target: Any, result: FuzzResult, failure: _Failure) -> str:
    call = _call_text(target.name, target.param_names(), failure.inputs)
    return (
        f"numba-check: fuzzing '{target.name}' ({target.kind}) found an input on which it "
        f"differs from its Python original ({result.examples} inputs run; hypothesis shrank "
        f"the failing one to this)\n  input: {call}\n{failure.message}"
    )


def check(
    checker: Any, func: Any, examples: tuple[Any, ...], kwargs: dict[str, Any], spec: FuzzSpec
) -> FuzzResult:
    """Fuzz ``func`` for the ``numba_check`` fixture ``checker``; fail the test on a difference.

    ``kwargs`` (from a marked ``numba_check(func, *args, **kwargs)`` call) are passed unchanged.
    """
    __tracebackhide__ = True
    import copy
    from dataclasses import replace

    import numpy as np
    from numba.core.errors import NumbaError

    from numba_check.pytest_plugin import explain, isolation
    from numba_check.pytest_plugin.fixture import Outcome, _run, difference
    from numba_check.pytest_plugin.pure import compared_arguments, pure_arguments
    from numba_check.pytest_plugin.target import GufuncReference, resolve

    try:
        target = resolve(func)
    except TypeError as exc:
        unsupported = str(exc)
    else:
        unsupported = (
            "an @overload-ed function: fuzz the function that calls it"
            if (target.overload)
            else None
        )
    if unsupported is not None:
        pytest.fail(f"numba-check: cannot fuzz: {unsupported}", pytrace=False)
    tol = checker.tolerance
    limit = checker._options.timeout
    last: dict[str, Any] = {}

    extremes = isolation.can_fork() and not isinstance(target.reference, GufuncReference)
    python_bound = min(
        limit,
        max(
            EXTREME_PYTHON_BOUNDS[0],
            min(EXTREME_PYTHON_BOUNDS[1], spec.max_time * EXTREME_PYTHON_SHARE),
        ),
    )

    def differ(target: Any, nb_args: tuple, py_args: tuple, bounded: bool = False) -> str | None:
        last["args"] = py_args
        nb_kwargs, py_kwargs = copy.deepcopy(kwargs), copy.deepcopy(kwargs)
        if bounded:
            return bounded_difference(target, nb_args, nb_kwargs, py_args, py_kwargs)
        nb = _run(target.compiled, nb_args, nb_kwargs)
        last["nb_error"] = nb.error
        if isinstance(nb.error, NumbaError):
            return (
                f"numba-check: Numba cannot compile '{target.name}' ({target.kind}) for these "
                f"argument types, Python runs it\n{explain.trim_numba_error(nb.error)}"
            )
        if isinstance(target.reference, GufuncReference) and nb.error is None:
            target.reference.like = nb.value if isinstance(nb.value, tuple) else (nb.value,)
        ref_args, ref_kwargs = pure_arguments(py_args, py_kwargs)
        py = _run(target.reference, ref_args, ref_kwargs, limit)
        py = replace(
            py,
            args=compared_arguments(py_args, ref_args),
            kwargs=compared_arguments(py_kwargs, ref_kwargs),
        )
        return difference(target, py, nb, tol)

    def bounded_difference(
        target: Any, nb_args: tuple, nb_kwargs: dict, py_args: tuple, py_kwargs: dict
    ) -> str | None:
        """An input with an integer extreme: Python's integers grow where Numba's wrap, so
        either side may loop for ever (``range(2**63 - 1)`` in both, ``while i < n: i *= 2``
        in Numba only). The Python side runs first, under the watchdog: past its bound the
        input is SKIPPED (not a difference). The compiled side then runs in a forked child,
        killed past a multiple of the Python side's time: that is a difference."""
        ref_args, ref_kwargs = pure_arguments(py_args, py_kwargs)
        try:
            py = _run(target.reference, ref_args, ref_kwargs, python_bound)
        except isolation.ReferenceTimeout:
            return SKIPPED
        _precompile(target, nb_args, nb_kwargs)
        seconds = max(COMPILED_FLOOR, COMPILED_FACTOR * py.duration)
        status, payload = isolation.run_forked(
            lambda: _run(target.compiled, nb_args, nb_kwargs), seconds
        )
        if status == "crashed":
            python = f"raised {type(py.error).__name__}" if py.error else "returned"
            what = (
                f"ran past {seconds:g} s and was killed (an endless loop where an integer wrapped?)"
                if "ran past" in payload
                else f"crashed ({payload.replace('the check', 'its')})"
            )
            return (
                f"numba-check: '{target.name}' ({target.kind}) differs from its Python "
                f"original: the compiled call {what}; Python {python} in {py.duration:.3g} s"
            )
        if status == "raised" or not isinstance(payload, Outcome):
            return SKIPPED  # a result that cannot come back from the child: not compared
        nb = payload
        if isinstance(nb.error, NumbaError):
            last["nb_error"] = nb.error
            return (
                f"numba-check: Numba cannot compile '{target.name}' ({target.kind}) for these "
                f"argument types, Python runs it\n{explain.trim_numba_error(nb.error)}"
            )
        py = replace(
            py,
            args=compared_arguments(py_args, ref_args),
            kwargs=compared_arguments(py_kwargs, ref_kwargs),
        )
        return difference(target, py, nb, tol)

    digest = f"numba-check fuzz {checker._item.nodeid} {target.name} {len(examples)}"
    problem = first = None
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            given = tuple(Drawn(e).build() for e in examples)
            first = differ(target, given, tuple(Drawn(e).build() for e in examples))
        if first is None:
            result, failure = run(
                func,
                examples,
                spec,
                target=target,
                differ=differ,
                digest=digest,
                extremes=extremes,
            )
    except ValueError as exc:
        problem = f"numba-check: {exc}"
    except isolation.ReferenceTimeout as exc:
        # A BaseException: hypothesis does not catch it, so nothing is shrunk.
        call = _call_text(target.name, target.param_names(), tuple(map(Drawn, last["args"])))
        problem = (
            f"numba-check: fuzzing '{target.name}': the Python original ran past {exc.limit:g} "
            f"s on {call} and was interrupted (Python's integers grow where Numba's wrap). "
            "Give a strategy that keeps the inputs small, or raise --numba-timeout."
        )
    if problem is not None:  # outside the except block: one message, not two
        checker._fail(target, "fuzz error", problem)
    if first is not None:
        if isinstance(last.get("nb_error"), NumbaError):
            checker._compile_failed(target, last["nb_error"], None)
        checker._fail(target, "mismatch", f"{first}\n  (on the examples given to fuzz)")
    if failure is not None:
        checker._fail(target, "fuzz mismatch", failure_message(target, result, failure))
    status = f"fuzzed: {result.examples} inputs agree"
    if result.skipped:
        status += (
            f", {result.skipped} skipped (integer extremes on which Python ran past "
            f"{python_bound:g} s)"
        )
    if result.budget_reached:
        status += f" (max_time {spec.max_time:g} s reached)"
    checker._row(target, status)
    return result


def _precompile(target: Any, args: tuple, kwargs: dict) -> None:
    """Compile the dispatcher for these argument types here, before a forked child calls it:
    a compile in the child would be lost with it and count against its time limit."""
    dispatcher = getattr(target, "dispatcher", None)
    if dispatcher is None or kwargs or not hasattr(dispatcher, "compile"):
        return
    try:
        import numba

        dispatcher.compile(tuple(numba.typeof(a) for a in args))
    except Exception:  # noqa: BLE001 - the child's call reports what fails to compile
        return
