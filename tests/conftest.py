"""Shared test configuration."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

TESTS = Path(__file__).parent

# The pytest plugin and --verify run Numba by design: every test of theirs compiles. Like the
# proofs of compiler facts, they carry the `compiler` marker, so that `-m "not compiler"` selects
# the linter's own tests, none of which runs Numba.
RUN_NUMBA = (TESTS / "plugin", TESTS / "verify", TESTS / "test_plugin_benchmark_scripts.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.path == p or p in item.path.parents for p in RUN_NUMBA):
            item.add_marker(pytest.mark.compiler)
