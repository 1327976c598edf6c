"""The restricted evaluator computes values from literals and libraries, and nothing else."""

from __future__ import annotations

import ast

import numpy as np
import pytest

from numba_check.verify.evaluate import Evaluator, Library, Unknown

numba = pytest.importorskip("numba")


def user_function(x):  # pragma: no cover - must never be called
    raise AssertionError("the evaluator called the user's code")


COMPILED = object()  # stands for a compiled function's dispatcher
NAMESPACE = {
    "np": Library(np),
    "nb": Library(numba),
    "N": 4,
    "SHAPE": (2, 3),
    "helper": user_function,
    "kernel": COMPILED,
}


def evaluate(text: str) -> object:
    def lookup(name: str) -> object:
        if name not in NAMESPACE:
            raise Unknown(name)
        return NAMESPACE[name]

    evaluator = Evaluator(lookup, is_compiled=lambda v: v is COMPILED, value_types=(np.ndarray,))
    return evaluator.value(ast.parse(text, mode="eval"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * N", 9),
        ("(1, 2.5, 'a', None, True)", (1, 2.5, "a", None, True)),
        ("{'a': [1, 2], 'b': {3}}", {"a": [1, 2], "b": {3}}),
        ("-N ** 2 // 3 if N > 2 else 0", -6),
        ("SHAPE[1:] + (N,)", (3, 4)),
        ("[*SHAPE, *range(2)]", [2, 3, 0, 1]),
    ],
)
def test_literals_containers_and_arithmetic(text: str, expected: object) -> None:
    assert evaluate(text) == expected


def test_numpy_constructors_and_methods() -> None:
    array = evaluate("np.zeros((N, 2), dtype=np.float32).T.copy()")
    assert isinstance(array, np.ndarray) and array.shape == (2, 4) and array.dtype == np.float32
    assert evaluate("np.arange(10.0).reshape(2, 5).dtype") == np.float64


def test_numba_types_and_signatures() -> None:
    assert evaluate("nb.float64[:, ::1]") == numba.float64[:, ::1]
    signature = evaluate("nb.types.UniTuple(nb.float64, 2)(nb.float64[:], nb.int64)")
    assert signature == numba.types.UniTuple(numba.float64, 2)(numba.float64[:], numba.int64)


@pytest.mark.parametrize(
    "text",
    [
        "helper(1)",  # the user's function
        "kernel(1)",  # a compiled function without a way to infer its result
        "np.vectorize(kernel)",  # a library that would call a compiled function
        "np.save('x.npy', np.zeros(3))",  # files
        "np.load('x.npy')",
        "np.zeros(3).tofile('x')",
        "np.random.seed(0)",  # global state
        "np.zeros(10 ** 9)",  # sizes beyond what types need
        "'a' * 10 ** 8",
        "2 ** 10 ** 6",
        "np.__class__",
        "[x for x in SHAPE]",  # not evaluated: comprehensions
        "undefined_name",
        "open('x', 'w')",
        "__import__('os')",
    ],
)
def test_refused(text: str, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(Unknown):
        evaluate(text)
    assert list(tmp_path.iterdir()) == []
