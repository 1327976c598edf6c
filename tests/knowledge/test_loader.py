"""The knowledge loader: which data file describes a version, without importing Numba."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from importlib import resources

import pytest

from numba_check.knowledge import (
    data_version_for,
    first_typable_version,
    numpy_limits,
    numpy_support,
    python_support,
    registry_versions,
)

RECORDED = [(0, 57), (0, 60), (0, 63), (0, 68)]


def test_every_recorded_version_has_a_file() -> None:
    assert registry_versions() == RECORDED


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ((0, 50, 0), (0, 57)),  # older than every file: the oldest
        ((0, 57, 1), (0, 57)),
        ((0, 59, 2), (0, 57)),  # between two files: the older
        ((0, 60, 0), (0, 60)),
        ((0, 63, 1), (0, 63)),
        ((0, 67, 0), (0, 63)),
        ((0, 68, 1), (0, 68)),
        ((0, 72, 0), (0, 68)),  # newer than every file: the newest
        ((1, 0, 0), (0, 68)),
    ],
)
def test_data_version_for(target, expected) -> None:
    assert data_version_for(target) == expected


def test_each_file_records_its_versions() -> None:
    for major, minor in RECORDED:
        name = f"numpy-{major}.{minor}.json"
        raw = json.loads(
            resources.files("numba_check.knowledge").joinpath("data", name).read_text()
        )
        assert raw["numba"].startswith(f"{major}.{minor}.")
        assert raw["numpy"]
        assert set(raw["namespaces"]) >= {"numpy", "numpy.linalg", "numpy.random", "numpy.fft"}
        for namespace, names in raw["namespaces"].items():
            assert not set(names["typable"]) & set(names["not_typable"])
            assert all(n.startswith(namespace + ".") for n in names["typable"])


def test_known_answers_on_0_68() -> None:
    support = numpy_support((0, 68, 1))
    assert support.numba == "0.68.1"
    for name in ("numpy.tile", "numpy.pad", "numpy.einsum", "numpy.fft.fft", "numpy.squeeze"):
        assert support.unsupported(name), name
    for name in ("numpy.sum", "numpy.zeros", "numpy.linalg.inv", "numpy.dot", "numpy.insert"):
        assert name in support.typable and not support.unsupported(name), name
    assert support.ufunc_nin["numpy.add"] == 2 and support.ufunc_nin["numpy.sqrt"] == 1
    assert "reduce" in support.ufunc_attributes_not_typable
    assert {"tolist", "squeeze"} <= support.array_attributes_not_typable
    assert {"sum", "T", "mean"} <= support.array_attributes
    assert "copy" in support.array_names_on_other_types


def test_names_added_later_are_unsupported_only_where_recorded() -> None:
    # np.insert: typable in the 0.68 registry, not in 0.63's (it arrived in 0.67).
    assert numpy_support((0, 63, 1)).unsupported("numpy.insert")
    assert not numpy_support((0, 68, 1)).unsupported("numpy.insert")
    # Between 0.63 and 0.68 the data cannot tell when it arrived: not called unsupported.
    assert not numpy_support((0, 65, 0)).unsupported("numpy.insert")
    assert numpy_support((0, 65, 0)).unsupported("numpy.tile")
    assert first_typable_version("numpy.insert", (0, 63, 1)) == (0, 68)
    assert first_typable_version("numpy.tile", (0, 63, 1)) is None


def test_absent_names_are_never_unsupported() -> None:
    assert not numpy_support((0, 68, 1)).unsupported("numpy.some_future_function")


def test_support_is_cached() -> None:
    assert numpy_support((0, 68, 1)) is numpy_support((0, 68, 0))


def test_limits_follow_the_version() -> None:
    def rejected(version, func, argument):
        return any(a.argument == argument for a in numpy_limits(version).for_function(func))

    assert rejected((0, 68, 1), "numpy.mean", "axis")
    assert not rejected((0, 68, 1), "numpy.sum", "axis")
    assert rejected((0, 63, 1), "numpy.cumsum", "axis")
    assert not rejected((0, 68, 1), "numpy.cumsum", "axis")
    assert rejected((0, 63, 1), "numpy.nanstd", "ddof")
    assert not rejected((0, 68, 1), "numpy.nanstd", "ddof")

    def forms(version, func):
        return {(a.argument, a.rejected) for a in numpy_limits(version).for_function(func)}

    assert ("axis", "tuple") in forms((0, 63, 1), "numpy.sum")
    assert ("axis", "tuple") not in forms((0, 68, 1), "numpy.sum")
    assert ("axis", "none") in forms((0, 68, 1), "numpy.concatenate")


def test_not_applied_forms_are_apart_from_refusals() -> None:
    from numba_check.knowledge import NOT_APPLIED

    old, new = numpy_limits((0, 60, 0)), numpy_limits((0, 68, 1))
    assert not old.for_function("numpy.average")
    assert [a.effect for a in old.for_function("numpy.average", NOT_APPLIED)] == ["ignored"]
    assert [a.effect for a in new.for_function("numpy.average", NOT_APPLIED)] == ["raises"]
    # 0.61 and 0.62 were not checked: neither effect is claimed there.
    assert not numpy_limits((0, 62, 0)).for_function("numpy.average", NOT_APPLIED)


def test_each_version_has_its_python_file() -> None:
    for major, minor in RECORDED:
        name = f"python-{major}.{minor}.json"
        raw = json.loads(
            resources.files("numba_check.knowledge").joinpath("data", name).read_text()
        )
        assert raw["numba"].startswith(f"{major}.{minor}.")
        assert set(raw["modules"]) == {"builtins", "math", "cmath", "random", "operator"}
        assert set(raw["methods"]) == {
            *("str", "bytes", "list", "dict", "set", "tuple", "typed.List", "typed.Dict")
        }
        for module, names in raw["modules"].items():
            assert not set(names["typable"]) & set(names["not_typable"])
            assert all(n.startswith(module + ".") for n in names["typable"])


# Each answer below was checked by compiling a call with that Numba release (0.57.1, 0.60.0,
# 0.68.1): refused exactly where the data says unsupported.
def test_python_known_answers() -> None:
    old, mid, new = (
        python_support((0, 57, 1)),
        python_support((0, 60, 0)),
        python_support((0, 68, 1)),
    )
    for support in (old, mid, new):
        for name in ("builtins.any", "builtins.all", "builtins.reversed", "builtins.hex"):
            assert support.unsupported(name), name
        for name in ("math.comb", "math.prod", "random.choice", "cmath.isclose", "operator.abs"):
            assert support.unsupported(name), name
        for name in ("builtins.len", "builtins.sum", "random.randint", "operator.add"):
            assert not support.unsupported(name) and name in support.typable, name
        assert support.method_unsupported("str", "encode")
        assert support.method_unsupported("str", "format")
        assert support.method_unsupported("bytes", "decode")
        assert support.method_unsupported("tuple", "count")
        assert not support.method_unsupported("str", "upper")
        assert not support.method_unsupported("list", "append")
        assert not support.method_unsupported("typed.Dict", "items")
    # math.log2 and math.nextafter arrived in 0.58 to 0.60, math.exp2 after 0.60.
    assert old.unsupported("math.log2") and old.unsupported("math.exp2")
    assert not mid.unsupported("math.log2") and mid.unsupported("math.exp2")
    assert not new.unsupported("math.exp2") and not new.unsupported("math.nextafter")
    # Between two recorded versions what the newer one types is not called unsupported.
    assert not python_support((0, 65, 0)).unsupported("math.exp2")
    assert python_support((0, 65, 0)).unsupported("math.comb")
    assert not new.unsupported("math.some_future_function")


def test_loading_never_imports_numba() -> None:
    code = textwrap.dedent(
        """
        import sys
        from numba_check.knowledge import numpy_limits, numpy_support, python_support
        for version in ((0, 57, 1), (0, 65, 0), (0, 68, 1)):
            numpy_support(version)
            python_support(version)
            numpy_limits(version)
        assert "numba" not in sys.modules, "numba was imported"
        assert "numpy" not in sys.modules, "numpy was imported"
        print("clean")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "clean"
