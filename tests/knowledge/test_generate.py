"""generate.py, run by path with numba_check made unimportable, reproduces the committed data."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import numba_check.knowledge

GENERATE = Path(numba_check.knowledge.__file__).with_name("generate.py")
DATA = GENERATE.with_name("data")

pytest.importorskip("numba")

# The installed Numba's registry, asked again: a fact about the compiler.
pytestmark = pytest.mark.compiler


def test_generate_by_path_without_numba_check(tmp_path: Path) -> None:
    code = textwrap.dedent(
        f"""
        import runpy, sys
        sys.modules["numba_check"] = None  # any import of numba_check now fails
        sys.argv = ["generate.py", "--out", {str(tmp_path)!r}]
        runpy.run_path({str(GENERATE)!r}, run_name="__main__")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    major, minor = importlib.metadata.version("numba").split(".")[:2]
    for kind in ("numpy", "python"):
        written = tmp_path / f"{kind}-{major}.{minor}.json"
        fresh = json.loads(written.read_text())
        committed_file = DATA / written.name
        if not committed_file.exists():
            pytest.skip(f"no committed data for Numba {major}.{minor}")
        committed = json.loads(committed_file.read_text())
        if fresh["numpy"] != committed["numpy"] or fresh["numba"] != committed["numba"]:
            pytest.skip("the committed data was generated with another Numba or NumPy release")
        assert fresh == committed, kind
