"""Unit tests of the pieces with no pytest run around them: comparison, parsing, trimming."""

from __future__ import annotations

import math

import numpy as np
import pytest

from numba_check.pytest_plugin import explain, marker
from numba_check.pytest_plugin.compare import Tolerance, compare
from numba_check.pytest_plugin.target import GufuncReference, from_object_array, parse_layout

TOL = Tolerance()


@pytest.mark.parametrize(
    ("expected", "got"),
    [
        (float("nan"), float("nan")),
        (np.array([np.nan, np.inf, -np.inf]), np.array([np.nan, np.inf, -np.inf])),
        (complex(math.nan, 1), complex(math.nan, 1)),
        ((1, [2.0, np.arange(3)]), (1, [2.0, np.arange(3)])),
        ([1, 2], (1, 2)),  # a list and a tuple are both sequences
        ({"a": 1.0}, {"a": 1.0}),
        (None, None),
        (np.float32(1.5), 1.5),
        (True, np.bool_(True)),
        (2**70, 2**70),
    ],
)
def test_equal(expected: object, got: object) -> None:
    assert compare(expected, got, "return", TOL) is None


@pytest.mark.parametrize(
    ("expected", "got", "where", "reason"),
    [
        (1.0, 1, "return", "numeric kind differs"),
        (True, 1, "return", "numeric kind differs"),
        (np.ones(3), np.ones(3, dtype=np.int64), "return", "dtype kind differs"),
        (np.ones(3), np.ones(4), "return", "shape differs"),
        ((1.0, 2.0, 3.0), (1.0, 2.0, 3.5), "return[2]", "values differ"),
        (np.zeros((2, 3)), np.eye(2, 3), "return[0, 0]", "values differ"),
        ([1, [2, 3]], [1, [2, 4]], "return[1][1]", "integers differ"),
        ({"a": 1}, {"b": 1}, "return", "keys differ"),
        (float("nan"), 1.0, "return", "values differ"),
        (np.inf, -np.inf, "return", "values differ"),
        (None, 0.0, "return", "type differs"),
        (np.ones(2), [1.0, 1.0], "return", "type differs"),
        (math.factorial(25), 7034535277573963776, "return", "int64 overflow"),
    ],
)
def test_mismatch(expected: object, got: object, where: str, reason: str) -> None:
    m = compare(expected, got, "return", TOL)
    assert m is not None
    assert m.where == where
    assert reason in m.reason


def test_check_dtype_false_and_tolerances() -> None:
    assert compare(1.0, 1, "r", Tolerance(check_dtype=False)) is None
    assert compare(1.0, 1.001, "r", Tolerance(rtol=1e-2)) is None
    assert compare(1.0, 1.001, "r", Tolerance(rtol=0, atol=1e-2)) is None
    assert compare(1.0, 1.001, "r", Tolerance(rtol=1e-6)) is not None


def test_mismatch_reports_errors() -> None:
    m = compare(np.array([1.0, 2.0, 4.0]), np.array([1.0, 2.0, 5.0]), "arg 1 'out'", TOL)
    assert m is not None and m.where == "arg 1 'out'[2]"
    text = m.format()
    assert "expected: 4.0" in text and "got:      5.0" in text
    assert "1 of 3 elements differ; max abs error 1, max rel error 0.25" in text


def test_marker_parse() -> None:
    spec = marker.parse(pytest.mark.numba_speedup(min=3, rtol=1e-3, check_dtype=False).mark)
    assert (spec.min, spec.rtol, spec.check_dtype, spec.present) == (3.0, 1e-3, False, True)
    assert marker.parse(pytest.mark.numba_speedup(5).mark).min == 5.0
    with pytest.raises(ValueError, match="unknown keyword 'speedup'"):
        marker.parse(pytest.mark.numba_speedup(speedup=3).mark)


def test_layout_and_gufunc_reference() -> None:
    assert parse_layout("(n),()->(n)") == ([("n",), ()], [("n",)])
    assert parse_layout("(m, n) ,(n,p)->(m,p)") == ([("m", "n"), ("n", "p")], [("m", "p")])

    def core_sum(x, out):
        out[0] = x.sum()

    ref = GufuncReference(core_sum, "(n)->()")
    out = np.zeros(3)
    np.testing.assert_array_equal(ref(np.ones((3, 4)), out), [4.0, 4.0, 4.0])


def test_object_arrays_take_natural_dtypes() -> None:
    obj = np.frompyfunc(lambda x: x // 2, 1, 1)(np.arange(4))
    assert from_object_array(obj).dtype.kind == "i"
    obj = np.frompyfunc(lambda x: x / 2, 1, 1)(np.arange(4))
    assert from_object_array(obj).dtype.kind == "f"


def test_trim_numba_error() -> None:
    from numba import njit
    from numba.core.errors import TypingError

    @njit
    def f(x):
        return undefined_thing(x)  # noqa: F821

    with pytest.raises(TypingError) as info:
        f(1)
    text = explain.trim_numba_error(info.value)
    assert text.startswith("TypingError:")
    assert "undefined_thing" in text
    assert "During:" not in text
    assert len(text.splitlines()) <= explain.MAX_LINES + 2
