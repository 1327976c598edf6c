"""The rules' snippets, proven against the installed Numba.

A VALID case with a `call` must compile and agree with pure Python. An INVALID case of an
error rule must run in Python and fail under Numba; one of a warning rule must compile and
give a different result (or exception) from Python.
"""

from __future__ import annotations

import importlib.metadata
import warnings

import pytest

from numba_check.model import Severity
from numba_check.pytest_plugin.compare import Tolerance, compare
from numba_check.rules.base import Invalid, Valid, parse_version

from ..conformance import pure_ufuncs
from .cases import params

numba = pytest.importorskip("numba")
np = pytest.importorskip("numpy")

# Each case compiled with the installed Numba: facts about the compiler, not about the linter.
pytestmark = pytest.mark.compiler

INSTALLED = parse_version(importlib.metadata.version("numba").split("+")[0][:6].rstrip("."))


def run(case, jit: bool):
    """(result, exception) of the case's call, with Numba on or off (DISABLE_JIT)."""
    old = numba.config.DISABLE_JIT
    numba.config.DISABLE_JIT = not jit
    # Numba's ufunc decorators ignore DISABLE_JIT: on the Python side, run their kernels in Python.
    saved = {} if jit else pure_ufuncs.install()
    try:
        namespace: dict = {"np": np, "__name__": "numba_check_case"}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                # Eager ufunc signatures compile, and fail, when the decorator runs.
                exec(compile(case.code, "<case>", "exec"), namespace)
                return eval(case.call, namespace), None
            except Exception as exc:  # noqa: BLE001 - any failure is the verdict
                return None, exc
    finally:
        pure_ufuncs.uninstall(saved)
        numba.config.DISABLE_JIT = old


def same(expected, got) -> bool:
    """Whether Numba's result equals Python's as the pytest plugin judges it."""
    return compare(expected, got, "return", Tolerance()) is None


def _needs_module(case) -> bool:
    return "import pandas" in case.code or "from mylib" in case.code


@pytest.mark.parametrize(("rule", "case"), params(Valid, with_call=True))
def test_valid_case_compiles_and_agrees(rule, case: Valid) -> None:
    got, err = run(case, jit=True)
    expected, py_err = run(case, jit=False)
    assert py_err is None, f"the snippet fails in plain Python: {py_err!r}"
    assert err is None, f"Numba refused a VALID case of {rule.code}: {err!r}"
    assert same(expected, got), (got, expected)


@pytest.mark.parametrize(("rule", "case"), params(Invalid, with_call=True))
def test_invalid_case_fails_or_differs(rule, case: Invalid) -> None:
    got, err = run(case, jit=True)
    expected, py_err = run(case, jit=False)
    if rule.severity is Severity.ERROR:
        assert py_err is None, f"the snippet fails in plain Python: {py_err!r}"
        assert err is not None, f"Numba compiled an INVALID case of {rule.code}: {got!r}"
    else:
        # A data race (NB510) shows on most runs, not all: three tries before calling it equal.
        for _ in range(3):
            differs = (type(err) is not type(py_err)) or (err is None and not same(expected, got))
            if differs:
                break
            got, err = run(case, jit=True)
        assert differs, f"Numba agreed with Python on a {rule.code} case: {got!r}"


def test_every_error_rule_is_proven_by_compiling() -> None:
    from numba_check.rules import BUILTIN_RULES

    for rule in BUILTIN_RULES:
        if rule.code.startswith("NB9"):
            continue  # the tool's own diagnostics
        here = [c for c in rule.INVALID if c.target_numba is None and "cuda" not in c.code]
        if not here:
            continue  # CUDA and old-version verdicts need a GPU or another Numba (see fixtures/)
        assert any(c.call for c in here), f"{rule.code} has no INVALID case proven by compiling"


def _fixed_params() -> list:
    return [p for p in params(Invalid, with_call=True) if p.values[1].fixed is not None]


@pytest.mark.parametrize(("rule", "case"), _fixed_params())
def test_fixed_case_compiles_and_agrees(rule, case: Invalid) -> None:
    # What --fix writes is proven like a VALID case: Numba compiles it, and it gives Python's
    # result (for an unsafe fix too: it may change behaviour, but never into a refusal).
    fixed = Valid(case.fixed, call=case.call)
    got, err = run(fixed, jit=True)
    expected, py_err = run(fixed, jit=False)
    assert py_err is None, f"the fixed snippet fails in plain Python: {py_err!r}"
    assert err is None, f"Numba refused the fix of {rule.code}: {err!r}"
    assert same(got, expected), (got, expected)
