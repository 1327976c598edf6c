"""Every file of the benchmark tree is linted, with every rule, without an internal error.

The benchmark tree is what benchmarks/real_code.py lints: pinned packages of real Numba code
(numba, pyts, tslearn, interpolation: 976 files), downloaded once into .realcode/. Linting all of
it takes about 7 CPU-minutes, so this runs only when asked:

    NUMBA_CHECK_BENCHMARK_TREE=1 pytest tests/robustness/test_benchmark_tree.py   # .realcode/
    NUMBA_CHECK_BENCHMARK_TREE=/data/realcode pytest ...                           # elsewhere
    NUMBA_CHECK_BENCHMARK_PACKAGES="pyts tslearn" NUMBA_CHECK_BENCHMARK_TREE=1 pytest ...
    tox -e benchmark-tree

The first run downloads the packages with pip. The script lints file by file and records what
numba-check raised on each, so one failure names every file that fails, not only the first.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.robustness.helpers import DEFAULT_OFF

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "benchmarks" / "real_code.py"
TREE = os.environ.get("NUMBA_CHECK_BENCHMARK_TREE", "")
PACKAGES = os.environ.get("NUMBA_CHECK_BENCHMARK_PACKAGES", "").split()

pytestmark = pytest.mark.skipif(
    TREE in ("", "0"),
    reason="minutes of CPU: set NUMBA_CHECK_BENCHMARK_TREE=1 (or a folder) to lint the tree",
)


def test_every_file_of_the_benchmark_tree_is_linted_without_an_internal_error(tmp_path):
    folder = REPO / ".realcode" if TREE == "1" else Path(TREE)
    report = tmp_path / "report.json"
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            *PACKAGES,
            "--dir",
            str(folder),
            "--select",
            ",".join(("ALL", *DEFAULT_OFF)),
            "--json",
            str(report),
            "--list",
            "none",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=3 * 3600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    data = json.loads(report.read_text("utf-8"))
    assert data["select"] == ["ALL", *DEFAULT_OFF]
    for name, package in data["packages"].items():
        assert package["files"] > 0, name
    total = data["total"]
    assert total["files"] == sum(p["files"] for p in data["packages"].values())
    assert total["crashes"] == {}, done.stdout[-3000:]
    # Linted for real: the compiled functions were found (pyts and tslearn, alone, get no
    # diagnostic at all, so their count proves nothing).
    assert total["compiled_functions"] > 0
