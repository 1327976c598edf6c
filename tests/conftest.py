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


def _runs_numba(path: Path) -> bool:
    return any(path == p or path.is_relative_to(p) for p in RUN_NUMBA)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    verdicts: dict[Path, bool] = {}  # per file: 11,000 items live in a few hundred files
    for item in items:
        path = item.path
        if path not in verdicts:
            verdicts[path] = _runs_numba(path)
        if verdicts[path]:
            item.add_marker(pytest.mark.compiler)
