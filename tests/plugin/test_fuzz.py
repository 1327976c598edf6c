"""numba_check.fuzz and @pytest.mark.numba_fuzz, run with pytester on known Numba traps.

Every trap below was checked against Numba 0.68.1 by compiling it: the compiled function really
differs from Python on some input, and fuzzing must find one; the look-alikes agree on every
input and fuzzing must stay quiet. Few examples each: a new argument type costs a compile.
"""

from __future__ import annotations

import pytest

TRAPS = """
import numpy as np
import pytest
from hypothesis import strategies as st
from numba import njit


@njit
def power_of_three(n):
    return 3 ** n


@njit
def factorial(n):
    result = 1
    for i in range(2, n + 1):
        result *= i
    return result


@njit
def total32(x):
    return np.sum(x)


@njit
def remainder(a, b):
    return np.fmod(a, b)


@njit
def halves(n):
    out = [0] * n
    for i in range(n):
        out[i] = i * 0.5
    return out


@njit
def mean(x):
    return x.sum() / x.size


@njit
def triple(x):
    return x * 3


@njit
def doubling(n):
    i = 1
    while i < n:
        i *= 2
    return i
"""


def _fuzz_test(body: str) -> str:
    return TRAPS + "\n\ndef test_it(numba_check):\n    " + body + "\n"


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        # int64 overflow; the strategy keeps n >= 0 (3 ** -1 differs too: 0 vs 0.333).
        (
            'numba_check.fuzz(power_of_three, 2, n=60, strategies={"n": st.integers(0, 64)})',
            ["*input: power_of_three(n=4?)*", "*integers differ (int64 overflow?)*"],
        ),
        # Kept to n >= 0: at n = -2**63 Numba's range(2, n + 1) wraps to 2**63 - 1 steps (found
        # by the drawn extremes too, as an endless compiled loop).
        (
            'numba_check.fuzz(factorial, 3, n=60, strategies={"n": st.integers(0, 64)})',
            ["*input: factorial(n=21)*", "*int64 overflow*"],
        ),
        # Numba sums in sequence, NumPy pairwise: a large value absorbs what comes after it.
        (
            "numba_check.fuzz(total32, np.ones(12, np.float32), n=200)",
            ["*input: total32(x=array(*e+*dtype=float32*", "*values differ*"],
        ),
        # np.fmod on integers with a negative operand.
        ("numba_check.fuzz(remainder, 7, 3, n=60)", ["*input: remainder(a=*, b=*)*"]),
        # [0] * n is list(int64): the floats stored in it are truncated.
        (
            "numba_check.fuzz(halves, 0, n=30)",
            ["*input: halves(n=1)*", "*numeric kind differs: Python gives float*"],
        ),
        # Empty input: NaN in Python, ZeroDivisionError in Numba.
        (
            "numba_check.fuzz(mean, np.ones(3), n=40)",
            [
                "*input: mean(x=array([], dtype=float64))*",
                "*Python returned*nan*",
                "*Numba  raised ZeroDivisionError*",
            ],
        ),
        # Integer scalars also come at their type's extremes: x * 3 overflows only there.
        (
            "numba_check.fuzz(triple, 5, n=60)",
            ["*input: triple(x=*922337203685477580?)*", "*integers differ (int64 overflow?)*"],
        ),
        # At n near 2**63, Python's i reaches it, Numba's wraps to 0 and doubles for ever: the
        # compiled call runs in a child process, killed after a bound.
        (
            "numba_check.fuzz(doubling, 5, n=60)",
            [
                "*input: doubling(n=922337203685477580?)*",
                "*the compiled call ran past * s and was killed*Python returned in*",
            ],
        ),
    ],
    ids=[
        "pow-overflow",
        "factorial-overflow",
        "float32-sum",
        "fmod-negative",
        "list-mul",
        "empty",
        "int64-extreme",
        "endless-compiled-loop",
    ],
)
def test_fuzz_finds_trap(nc: pytest.Pytester, call: str, expected: list[str]) -> None:
    nc.makepyfile(_fuzz_test(call))
    result = nc.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*fuzzing '*' (njit) found an input on which it differs from its Python original*"]
        + expected
    )
    result.stdout.no_fnmatch_line("*Traceback*")


AGREE = """
import numpy as np
from numba import njit


@njit
def scaled(x, w):
    # Element by element, unlike a sum: no order of operations for the two to differ on.
    return x * w + 1.0


@njit
def clip_count(x, lo):
    n = 0
    for v in x.ravel():
        if v > lo:
            n += 1
    return n


@njit
def count_up(n):
    total = 0
    for i in range(n):
        total += i % 7
    return total


def test_agree(numba_check):
    res = numba_check.fuzz(scaled, np.ones((2, 3)), 2.0, n=30)
    assert res.examples >= 1
    res = numba_check.fuzz(clip_count, np.arange(6).reshape(2, 3), 2, n=30)
    assert res.examples >= 1
    # range(2**63 - 1) never ends in Python: those inputs are skipped, not failed.
    res = numba_check.fuzz(count_up, 5, n=30, max_time=2)
    assert res.examples >= 1 and res.skipped >= 1
    print("fuzzed", res)
"""


def test_fuzz_is_quiet_on_agreeing_functions(nc: pytest.Pytester) -> None:
    nc.makepyfile(AGREE)
    result = nc.runpytest("-s")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*fuzzed FuzzResult(function='count_up'*",
            "*fuzzed: * inputs agree, * skipped (integer extremes on which Python ran past*",
        ]
    )


def test_marker_fuzzes_every_call_with_its_arguments(nc: pytest.Pytester) -> None:
    nc.makepyfile(
        TRAPS
        + """

@pytest.mark.numba_fuzz(n=40)
def test_marked(numba_check):
    numba_check(factorial, 3)


@pytest.mark.numba_fuzz(n=20, strategies={"n": st.integers(0, 20)})
def test_marked_with_strategy(numba_check):
    numba_check(factorial, 3)
"""
    )
    result = nc.runpytest("--numba-timing=off")
    result.assert_outcomes(failed=1, passed=1, warnings=1)
    # n=21 (an int64 overflow) or n near -2**63 (Numba's range(2, n + 1) wraps): both differ.
    result.stdout.fnmatch_lines(["*test_marked *", "*input: factorial(n=*)*"])


def test_bad_fuzz_options_are_clear(nc: pytest.Pytester) -> None:
    nc.makepyfile(
        TRAPS
        + """

def test_unknown(numba_check):
    numba_check.fuzz(factorial, 3, examples=5)


def test_stray_strategy(numba_check):
    numba_check.fuzz(factorial, 3, strategies={"m": st.integers()})


def test_not_a_strategy(numba_check):
    numba_check.fuzz(factorial, 3, strategies={"n": range(3)})
"""
    )
    result = nc.runpytest()
    result.assert_outcomes(failed=3)
    result.stdout.fnmatch_lines(
        [
            "*numba_check.fuzz: unknown keyword 'examples'; allowed: n, strategies, max_time*",
            "*strategies for 'm' match no argument (arguments: n)*",
            "*strategies?'n'? must be a hypothesis strategy*",
        ]
    )
    result.stdout.no_fnmatch_line("*Traceback*")


def test_bad_marker_is_a_usage_error(nc: pytest.Pytester) -> None:
    nc.makepyfile(
        """
import pytest

@pytest.mark.numba_fuzz(n=0)
def test_x(numba_check):
    pass
"""
    )
    result = nc.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*numba_fuzz*n= must be an integer >= 1, got 0*"])


def test_layouts_and_dtypes_are_kept() -> None:
    """Drawn inputs keep the examples' dtype and rank; each layout is what it says."""
    import numpy as np
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from numba_check.pytest_plugin import fuzz

    example = np.zeros((2, 3), dtype=np.float32)
    seen = set()

    @settings(max_examples=60, database=None, deadline=None)
    @given(fuzz.like(example), st.sampled_from(fuzz.LAYOUTS), fuzz.like(np.int16(3)))
    def check(drawn, layout, scalar):
        arr = fuzz.with_layout(drawn, layout).build()
        assert arr.dtype == np.float32 and arr.ndim == 2
        assert arr.size <= fuzz.MAX_ELEMENTS
        assert type(scalar.build()) is np.int16
        if layout == "F" and arr.size > 1 and min(arr.shape) > 1:
            assert arr.flags.f_contiguous and not arr.flags.c_contiguous
        if layout == "strided" and arr.size > 1 and arr.shape[-1] > 1:
            assert not arr.flags.c_contiguous and not arr.flags.f_contiguous
        if layout == "reversed" and arr.size > 1 and arr.shape[-1] > 1:
            assert arr.strides[-1] < 0
        np.testing.assert_array_equal(arr, drawn.value)
        seen.add((layout, arr.size == 0))

    check()
    assert ("C", True) in seen  # empty arrays are drawn


def test_equal_sides_stay_equal() -> None:
    """u and v of one length keep one length; a side of another length is drawn apart."""
    import numpy as np
    from hypothesis import given, settings

    from numba_check.pytest_plugin import fuzz

    spec = fuzz.FuzzSpec()
    examples = (np.ones(20), np.ones(20), np.ones((20, 3)), 2.0)
    names = ["u", "v", "w", "p"]
    apart = set()

    @settings(max_examples=60, database=None, deadline=None)
    @given(fuzz.strategies_for(examples, names, spec, "test"))
    def check(drawn):
        u, v, w, p = (d.build() for d in drawn)
        assert u.shape == v.shape == w.shape[:1]
        assert isinstance(p, float)
        apart.add(w.shape[1] != 3)

    check()
    assert True in apart  # the side of 3 is drawn on its own


def test_marker_without_fixture_is_a_usage_error(nc: pytest.Pytester) -> None:
    nc.makepyfile(
        """
import pytest

@pytest.mark.numba_fuzz(n=50)
def test_forgot():
    pass
"""
    )
    result = nc.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*test_forgot: @pytest.mark.numba_fuzz but the test does not*"])
    result = nc.runpytest("--numba-marker-without-fixture=warn")
    result.assert_outcomes(passed=1, warnings=1)


FUZZ_SETTINGS = """
import numpy as np
from numba import njit


@njit
def scaled(x):
    return x * 2.0 + 1.0


def test_default(numba_check):
    res = numba_check.fuzz(scaled, np.ones(4))
    print("DEFAULT", res.examples, res.budget_reached)


def test_given(numba_check):
    res = numba_check.fuzz(scaled, np.ones(4), n=2)
    print("GIVEN", res.examples)
"""


def test_fuzz_settings_from_ini_and_command_line(nc: pytest.Pytester) -> None:
    """numba_check_fuzz_examples / --numba-fuzz-examples set n where the call gives none (the
    command line over the ini); n= in the call wins; a bad value is a usage error."""
    nc.makepyfile(test_settings=FUZZ_SETTINGS)
    nc.makeini(
        "[pytest]\naddopts = -p no:cacheprovider\nnumba_check_max_time = 0.05\n"
        "numba_check_fuzz_examples = 5\n"
    )

    def counts(*args: str) -> tuple[int, int]:
        result = nc.runpytest("-s", "-p", "no:randomly", "--numba-timing=off", *args)
        result.assert_outcomes(passed=2)
        out = result.stdout.str()
        default = int(out.split("DEFAULT ")[1].split()[0])
        given = int(out.split("GIVEN ")[1].split()[0])
        return default, given

    default, given = counts()
    assert 1 <= default <= 5 and 1 <= given <= 2
    default, given = counts("--numba-fuzz-examples=3")
    assert 1 <= default <= 3 and given <= 2
    # A budget spent at once: only the examples given are checked, no drawn input.
    result = nc.runpytest("-s", "--numba-timing=off", "--numba-fuzz-max-time=0.000001")
    result.stdout.fnmatch_lines(["*DEFAULT 0 True*"])
    bad = nc.runpytest("--numba-fuzz-examples=0")
    assert bad.ret == pytest.ExitCode.USAGE_ERROR
    bad.stderr.fnmatch_lines(
        ["*invalid value for command line option --numba-fuzz-examples: must be an integer >= 1*"]
    )
    help_text = nc.runpytest("--help").stdout.str()
    assert "--numba-fuzz-examples=N" in help_text and "numba_check_fuzz_max_time" in help_text
