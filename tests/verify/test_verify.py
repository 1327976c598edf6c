"""--verify with the real compiler on one project (tests/verify/project.py) that holds every
type source and every stand-in kind: one run, many checks, so Numba compiles each function once.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from numba_check.api import RunResult, run
from numba_check.settings import Settings
from numba_check.verify import Verification, verify_result
from tests.verify.project import write_project

pytest.importorskip("numba")


@pytest.fixture(scope="module")
def verified(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunResult, Verification]:
    root = tmp_path_factory.mktemp("verify_project")
    markers = write_project(root)
    previous = Path.cwd()
    os.chdir(root)
    try:
        settings = Settings(cache=False, project_root=root, extend_select=("NB951",))
        result = run(["."], settings)
        result, verification = verify_result(result, settings)
    finally:
        os.chdir(previous)
    return markers, result, verification


def _status(verification: Verification) -> dict[str, tuple[str, str]]:
    return {f.name: (f.status, f.detail) for f in verification.functions}


def test_the_users_code_never_runs(verified) -> None:
    markers, _, verification = verified
    # Import, decorators, default values, module-level code, scripts and tests would each
    # have written a marker file.
    assert list(markers.iterdir()) == []
    assert verification.counts()["verified"] >= 10  # and verifying still happened


@pytest.mark.parametrize(
    ("name", "types"),
    [
        ("sig_str", "(float64)"),  # a signature string
        ("sig_types", "(int64)"),  # a signature built from numba types
        ("listy", "(array(float64, 1d, C))"),  # its helper typed by the helper's signature
        ("hinted", "(float64, int64, array(float64, 1d, A))"),  # type hints
        ("called_literal", "(int64)"),  # a literal argument
        ("called_container", "(Tuple(int64, float64), reflected list(float64)<iv=None>)"),
        ("called_array", "(array(float32, 2d, C))"),  # a module constant of another module
        ("called_array", "(array(float64, 1d, C))"),  # a local from a NumPy constructor
        ("make", "(int64)"),
        ("consumes", "(array(float64, 1d, C))"),  # a compiled function's result, inferred
        ("outer", "(float64)"),
        ("inner", "(float64) (through its callers)"),  # typed by compiling its caller
        ("main_only", "(float64)"),  # an `if __name__ == "__main__":` block
        ("tested", "(int64, float64)"),  # a pytest test's parametrize values
        ("local_sum", "(array(float64, 1d, C))"),  # a compiled def of a test, called there
        ("reads_global_from_inner", "(int64)"),  # `global G2` in an inner function
    ],
)
def test_type_sources(verified, name: str, types: str) -> None:
    _, _, verification = verified
    status, detail = _status(verification)[name]
    assert status == "verified", detail
    assert types in detail


def test_refusals_are_errors_where_numba_says(verified) -> None:
    _, result, verification = verified
    # Before a static rule's error on the same line takes its place (test_noqa_and_...).
    raw = [d for found in verification.diagnostics.values() for d in found if d.code == "NB950"]
    texts = {d.message.split("`")[1].split("(")[0].split("[")[0]: d for d in raw}
    assert {"sig_refused", "dict_list_values", "hinted_exact_refused"} <= set(texts)
    shown = {
        d.message.split("`")[1].split("(")[0].split("[")[0]
        for d in result.diagnostics
        if d.code == "NB950"
    }
    assert {"sig_refused", "hinted_exact_refused"} <= shown
    if "dict_list_values" not in shown:  # a static rule reports the dict display itself
        line = texts["dict_list_values"].location.line
        assert any(
            d.severity.value == "error" and d.location.line == line for d in result.diagnostics
        )
    dict_error = texts["dict_list_values"]
    # Numba's words, the types and where they came from (the line: test_refusal_lines).
    assert "list(float64)<iv=None> as value is forbidden" in dict_error.message
    assert "(int64)" in dict_error.message
    assert "types from the call at scripts/run.py:" in dict_error.message
    assert dict_error.severity.value == "error"
    signature = texts["sig_refused"]
    assert "Unknown attribute 'no_such_attribute'" in signature.message
    assert "types from the signature in the decorator" in signature.message


def test_refusal_lines(verified) -> None:
    _, result, _ = verified
    root = next(f for f in result.files if f.file.display.endswith("kernels.py"))
    lines = (root.source or "").splitlines()
    for d in result.diagnostics:
        if d.code == "NB950":
            text = lines[d.location.line - 1]
            assert any(part in text for part in ("d = {1: [1.0]", "no_such_attribute", "a.nope"))
            assert d.location.column == len(text) - len(text.lstrip())


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("uses_scipy", "module scipy.special is not imported"),  # a module not allowed
        ("uses_twice", "bound more than once"),  # a global bound twice
        ("uses_table", "its value is not computed"),  # a constant computed by user code
        ("uses_default", "default of uses_default"),  # a default computed by user code
        ("uses_missing", "not defined in its module"),  # a name defined nowhere
        ("uses_unresolved", "pkg.nowhere.thing is not rebuilt"),  # an unresolved import
        ("uses_extension", ""),  # the project's own @overload, never run
        ("uses_decorated", "decorated function"),  # a plain function with a decorator
        ("uses_mutated", "changes its value in place"),  # a constant appended to
        ("hinted_guess_refused", "guessed from its Python type hints (float)"),
    ],
)
def test_standins_never_give_errors(verified, name: str, why: str) -> None:
    _, result, verification = verified
    status, detail = _status(verification)[name]
    assert status == "could-not-verify"
    assert why in detail
    mine = [d for d in result.diagnostics if f"`{name}(" in d.message]
    assert [d.code for d in mine] == ["NB951"], mine
    assert mine[0].severity.value == "info"


def test_functions_without_types_or_not_rebuilt_are_not_verified(verified) -> None:
    _, result, verification = verified
    status = _status(verification)
    assert status["untyped"][0] == "not-verified"
    assert status["takes_list"][0] == "not-verified"  # its list argument was appended to
    assert status["hint_unknown"][0] == "not-verified"
    assert status["wrapped"][0] == "unsupported"
    assert '@writes("decorator")' in status["wrapped"][1]
    assert status["impl"][0] == "unsupported"  # an @overload implementation
    assert status["closure"] == (
        "unsupported",
        "it reads k from the function it is defined in, known only at run time",
    )
    named = {d.message.split("`")[1].split("(")[0] for d in result.diagnostics if "`" in d.message}
    assert not {"untyped", "hint_unknown", "wrapped", "impl", "closure"} & named


def test_noqa_and_one_diagnostic_per_cause(verified) -> None:
    _, result, verification = verified
    status = _status(verification)
    # Numba refuses both, but the user sees no NB950: a noqa on the line, and NB202 there.
    assert status["refused_noqa"][0] == "refused"
    assert status["calls_plain"][0] == "refused"
    assert status["makes_plain_object"][0] == "refused"  # a plain class, as Numba sees it
    lines = {(d.code, d.location.line) for d in result.diagnostics}
    plain_line = next(d.location.line for d in result.diagnostics if d.code == "NB202")
    assert ("NB950", plain_line) not in lines
    assert not any("refused_noqa" in d.message for d in result.diagnostics)


def test_counts(verified) -> None:
    _, _, verification = verified
    counts = verification.counts()
    assert counts["found"] == len(verification.functions)
    assert (
        counts["types-known"] == counts["verified"] + counts["refused"] + counts["could-not-verify"]
    )
    assert "--verify:" in verification.summary()
