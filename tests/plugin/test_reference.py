"""Issue 19, item 1: the reference is the Python program the user wrote; the compiled side is the
user's own dispatcher."""

from __future__ import annotations

import functools
import types

import numpy as np
import pytest
from numba import njit, vectorize

from numba_check.pytest_plugin.pure import pure_arguments, pure_reference

# -- unit tests of the pure reference ------------------------------------------------------------


@njit
def _leaf(x):
    return x + 1


@njit
def _middle(x):
    return _leaf(x) * 2


@njit
def _recursive(n):
    return 1 if n <= 1 else n * _recursive(n - 1)


@vectorize
def _vec(x):
    return x * 3.0


def _closure_maker():
    helper = _leaf

    @njit
    def uses_cell(x):
        return helper(x)

    return uses_cell


@njit
def _with_default(x, f=_leaf):
    return f(x)


HELPERS = (_leaf, _middle)


@njit
def _through_tuple(x):
    return HELPERS[0](x)


def _called_names(fn: types.FunctionType) -> list[str]:
    """Which objects a pure reference would call, found by running it under a profiler."""
    import sys

    seen: list[str] = []

    def profile(frame, event, arg):  # noqa: ANN001
        if event == "call":
            seen.append(frame.f_code.co_name)
        elif event == "c_call":
            seen.append(type(arg).__name__)

    sys.setprofile(profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return seen


def test_helpers_run_as_python_without_changing_the_module() -> None:
    ref, replaced = pure_reference(_middle.py_func)
    assert ref(1) == 4 and replaced == ("_leaf",)
    assert globals()["_leaf"] is _leaf  # the user's module is untouched
    calls = _called_names(lambda: ref(1))
    assert "_leaf" in calls and "CPUDispatcher" not in calls


def test_recursion_closures_defaults_and_ufuncs() -> None:
    ref, _ = pure_reference(_recursive.py_func)
    assert ref(5) == 120 and "CPUDispatcher" not in _called_names(lambda: ref(5))
    cell = _closure_maker()
    ref, replaced = pure_reference(cell.py_func)
    assert ref(1) == 2 and replaced == ("_leaf",)
    ref, replaced = pure_reference(_with_default.py_func)
    assert ref(1) == 2 and replaced == ("_leaf",)
    ref, replaced = pure_reference(_through_tuple.py_func)
    assert ref(1) == 2 and "_leaf" in replaced


def _apply(f, x):  # noqa: ANN001, ANN202
    return f(x)


_BOUND = functools.partial(_apply, _leaf)


def _through_partial(x):  # noqa: ANN001, ANN202
    return _BOUND(x)


def test_a_partial_in_a_global_binds_python() -> None:
    ref, replaced = pure_reference(_through_partial)
    assert ref(1) == 2 and replaced == ("_leaf",)
    # int64 wraps in the compiled helper, Python's int does not.
    big = 2**63 - 1
    assert ref(big) == 2**63 and _through_partial(big) == -(2**63)
    assert _BOUND.func is _apply and _BOUND.args == (_leaf,)  # the user's object unchanged


def test_functions_reaching_nothing_compiled_are_used_as_they_are() -> None:
    def plain(x):
        return np.sum(x)

    assert pure_reference(plain) == (plain, ())


@njit
def _calls_py_func(x):
    return x


def _reference_reading_py_func(x):
    return _middle.py_func(x) + _calls_py_func.py_func(x)


def test_compiled_arguments_become_python() -> None:
    (f, n), _ = pure_arguments((_leaf, 3), {})
    assert f(1) == 2 and f.__wrapped__ is _leaf.py_func and n == 3
    assert not hasattr(_leaf.py_func, "py_func")  # the user's function is not changed


def test_a_reference_may_read_py_func() -> None:
    ref, replaced = pure_reference(_reference_reading_py_func)
    assert ref(1) == 5 and set(replaced) == {"_middle", "_leaf", "_calls_py_func"}


# -- through pytest ----------------------------------------------------------------------------

NESTED = """
import numpy as np
import pytest
from numba import njit
import helpers

@njit
def outer(x):
    t = 0.0
    for k in range(10):
        t += helpers.inner(x[k:])
    return t

@njit("int32(int64)")
def triple(x):
    return x * 3

@pytest.mark.numba_speedup(min=20)
def test_nested(numba_check):
    res = numba_check(outer, np.linspace(0, 1, 1000))
    assert res.reference_replaced == ("inner",)
    assert helpers.inner.__class__.__name__ == "CPUDispatcher"

def test_explicit_signature_wraps(numba_check):
    numba_check(triple, 10**9)

def test_compiled_once(numba_check):
    res = numba_check(outer, np.linspace(0, 1, 50))
    assert len(outer.signatures) == 1
"""

HELPERS_MODULE = """
import numpy as np
from numba import njit

@njit
def inner(x):
    s = 0.0
    for i in range(x.shape[0]):
        s += np.sqrt(abs(x[i])) * 1.5
    return s
"""


def test_nested_helpers_and_explicit_signatures(nc: pytest.Pytester) -> None:
    nc.makepyfile(helpers=HELPERS_MODULE, test_nested=NESTED)
    nc.syspathinsert()
    result = nc.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*'triple' (njit) differs from its Python original",
            "*integers differ*",
            "*expected: 3000000000   (Python)",
            "*got:      -1294967296   (Numba)",
        ]
    )


OVERLOAD = """
import numpy as np
import pytest
from numba import vectorize
from numba.extending import overload

def clip01(x):
    raise NotImplementedError("only in compiled code")

@overload(clip01)
def _clip01(x):
    def impl(x):
        return min(max(x, 0.0), 1.0)
    return impl

def clip01_reference(x):
    return min(max(x, 0.0), 1.0)

@vectorize(["float64(float64)"], target="parallel")
def twice(x):
    return 2 * x

def test_overload(numba_check):
    res = numba_check(clip01, 3.5, reference=clip01_reference)
    assert res.value == 1.0 and res.kind == "@overload"

def test_parallel_ufunc(numba_check):
    numba_check(twice, np.arange(5.0), reference=lambda a: 2 * a)

def test_parallel_ufunc_needs_a_reference(numba_check):
    numba_check(twice, np.arange(5.0))
"""


def test_overload_and_parallel_ufuncs(nc: pytest.Pytester) -> None:
    nc.makepyfile(test_overload=OVERLOAD)
    result = nc.runpytest("--numba-min-speedup=0")
    result.assert_outcomes(passed=2, failed=1)
    out = result.stdout.str()
    # Once as the failure's message; the short summary repeats it, cut or whole depending on
    # the terminal width (whole under CI=1): the failure section alone is counted.
    failures = out.split("short test summary info")[0]
    assert failures.count("Numba keeps no Python original of it; pass reference=") == 1
    assert "During handling" not in out


CACHED = """
import numpy as np
from numba import njit

@njit(cache=True)
def cached_total(a):
    s = 0.0
    for v in a:
        s += v
    return s

def test_cached(numba_check):
    res = numba_check(cached_total, np.ones(100))
    print("NOTE", res.compile_note, res.compile_time is not None)
"""


def test_cache_true_is_the_users_cache(nc: pytest.Pytester) -> None:
    nc.makepyfile(test_cached=CACHED)
    first = nc.runpytest_subprocess("-s", "--numba-min-speedup=0")
    first.assert_outcomes(passed=1)
    first.stdout.fnmatch_lines(["*NOTE None True"])  # compiled by the check, then cached
    second = nc.runpytest_subprocess("-s", "--numba-min-speedup=0")
    second.assert_outcomes(passed=1)
    second.stdout.fnmatch_lines(["*NOTE loaded from the cache (cache=True) True"])


# -- stencils, jitclasses, dispatchers held by classes and objects (issue 19 item 1) -------------
# Each compiled piece overflows int64 where Python's integers grow: the check fails only when
# the reference really ran that piece as Python (a reference that called the compiled piece
# would wrap the same way and agree).

REACHED = """
import types
import numpy as np
import pytest
from numba import njit, stencil, int64
from numba.experimental import jitclass

BIG = 2 ** 40

@stencil
def scaled(a):
    # int(): a Python int in Python (it grows), an int64 in Numba (it wraps).
    return int(a[-1]) * BIG + int(a[1])

@njit
def smooth(a):
    return scaled(a)

@stencil
def mean3(a):
    return (a[-1] + a[0] + a[1]) / 3.0

@njit
def grow(x):
    return x * BIG

@jitclass([("total", int64)])
class Acc:
    def __init__(self, start):
        self.total = start

    def add(self, x):
        self.total += grow(x)
        return self.total

@njit
def build(x):
    acc = Acc(x)
    acc.add(x)
    return acc.total

@njit
def bump(acc, x):
    acc.add(x)  # the change is seen through the argument

class Ops:
    scale = grow

OPS = types.SimpleNamespace(scale=grow)

@njit
def compiled_scale(x):
    return x * BIG

ints = np.arange(10, dtype=np.int64) * BIG

def test_stencil_reached(numba_check):
    numba_check(smooth, ints)

def test_stencil_direct(numba_check):
    numba_check(scaled, ints)

def test_stencil_agrees(numba_check):
    res = numba_check(mean3, np.linspace(0.0, 1.0, 12))
    assert res.kind == "stencil" and res.value[0] == 0.0 and res.expected[0] == 0.0

def test_jitclass_built(numba_check):
    numba_check(build, BIG)

def test_jitclass_argument(numba_check):
    acc = Acc(1)
    numba_check(bump, acc, BIG)

def test_jitclass_argument_agrees(numba_check):
    acc = Acc(1)
    res = numba_check(bump, acc, 3)
    assert res.expected_args[0].total == res.args[0].total == 1 + 3 * BIG
    assert acc.total == 1  # the user's instance is not touched

def test_class_attribute(numba_check):
    numba_check(compiled_scale, BIG, reference=lambda x: Ops.scale(x))

def test_object_attribute(numba_check):
    numba_check(compiled_scale, BIG, reference=lambda x: OPS.scale(x))

def test_untouched():
    assert Ops.scale is grow and OPS.scale is grow
"""


def test_stencils_jitclasses_and_attribute_holders_run_as_python(nc: pytest.Pytester) -> None:
    nc.makepyfile(test_reached=REACHED)
    result = nc.runpytest("--numba-min-speedup=0", "-p", "no:randomly")
    result.assert_outcomes(passed=3, failed=6)
    out = result.stdout.str()
    for test in (
        "test_stencil_reached",
        "test_stencil_direct",
        "test_jitclass_built",
        "test_jitclass_argument",
        "test_class_attribute",
        "test_object_attribute",
    ):
        assert f"FAILED test_reached.py::{test} " in out
    failures = out.split("short test summary info")[0]  # CI=1 prints the summary uncut
    assert failures.count("integers differ (int64 overflow?)") == 4  # jitclasses and holders
    # The stencils' Python values outgrow int64: an object array against Numba's int64 one.
    assert failures.count("Python gives object (object), Numba gives int (int64)") == 2
    result.stdout.fnmatch_lines(["*where:    arg 0 'acc'.total*"])


def test_stencil_reference_follows_numba() -> None:
    """cval, out=, the neighborhood option, non-constant relative reads and an input smaller
    than the neighbourhood, each against the compiled stencil."""
    from numba import stencil

    from numba_check.pytest_plugin.stencil import StencilReference, kernel_function

    @stencil(cval=-1.0)
    def forward(a):
        return a[1] - a[0]

    @stencil(neighborhood=((-2, 0),))
    def trailing(a):
        return a[-2] + a[-1] + a[0]

    @stencil
    def cross(a, w):
        return w * (a[0, 1] + a[1, 0] + a[0, -1] + a[-1, 0])

    def ref(s: object) -> StencilReference:
        return StencilReference(kernel_function(s), s)

    v = np.arange(7)
    grid = np.arange(30.0).reshape(5, 6)
    for s, args in [
        (forward, (v,)),
        (forward, (v[:1],)),
        (trailing, (v,)),
        (cross, (grid, 0.5)),
        (cross, (grid[:2, :2], 0.5)),
    ]:
        expected, got = ref(s)(*args), s(*args)
        np.testing.assert_array_equal(expected, got)
        assert expected.dtype == got.dtype
    out_py, out_nb = np.full(7, 9), np.full(7, 9)
    np.testing.assert_array_equal(ref(forward)(v, out=out_py), forward(v, out=out_nb))
