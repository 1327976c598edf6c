"""benchmarks/verify.py on a tiny tree: counts, cold and warm runs, refusals listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.benchmark_scripts import load_script

pytest.importorskip("numba")

TREE = """\
import numba
import scipy


@numba.njit("float64(float64)")
def ok(x):
    return x + 1.0


@numba.njit("float64(float64)")
def refused(x):
    return x.nope


@numba.njit("float64(float64)")
def opaque(x):
    return scipy.special.gamma(x)


@numba.njit
def untyped(x):
    return x
"""


def test_verify_tree(tmp_path: Path) -> None:
    verify = load_script("verify")
    (tmp_path / "kernels.py").write_text(TREE, encoding="utf-8")
    row = verify.verify_tree("tiny", tmp_path, jobs=1)
    assert (row["found"], row["types_known"]) == (4, 3)
    assert (row["verified"], row["refused"], row["could-not-verify"]) == (1, 1, 1)
    assert row["not-verified"] == 1
    assert (row["compiled_cold"], row["compiled_warm"], row["warm_same"]) == (3, 0, True)
    [refusal] = row["refusals"]
    assert refusal["line"] == 12 and "Unknown attribute 'nope'" in refusal["message"]
    assert row["could_not_verify"] == {"a module --verify does not import": 1}
