"""The lint path never imports Numba (nor the code it checks), nor libcst, which only the
fixes that change structure use: it must stay fast and safe."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path


def _loaded(arguments: list[str]) -> subprocess.CompletedProcess[str]:
    """numba-check run with `arguments` in a fresh interpreter; stderr ends with the Numba,
    llvmlite and libcst modules it loaded."""
    script = textwrap.dedent(
        f"""
        import sys
        from numba_check.cli import main
        rc = main({arguments!r})
        heavy = ("numba", "llvmlite", "libcst")
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in heavy)
        print("LOADED", loaded, file=sys.stderr)
        sys.exit(rc)
        """
    )
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )


def test_linting_does_not_import_numba(tmp_path: Path) -> None:
    target = tmp_path / "kernels.py"
    target.write_text(
        "import numpy as np\nimport numba\n\n@numba.njit\ndef f(n):\n    return np.zeros([n, 2])\n"
    )
    proc = _loaded([str(target), "--no-cache", "--output-format", "json"])
    assert proc.returncode == 1, proc.stderr
    assert "NB302" in proc.stdout
    assert "LOADED []" in proc.stderr


# Every fix that changes structure (libcst's) is offered here: the lint reports them fixable
# without parsing with libcst; only --fix does.
STRUCTURAL = """\
import numpy as np
from numba import njit


def helper(x):
    return x


@njit
def f(a):
    try:
        s = sum(x for x in a) + len({x for x in a})
    except ValueError:
        s = 0.0
    try:
        s += helper(np.zeros(3, dtype=int)[0])
    except Exception as e:
        pass
    return s
"""


def test_structural_fixes_are_reported_without_libcst_and_made_with_it(tmp_path: Path) -> None:
    target = tmp_path / "kernels.py"
    target.write_text(STRUCTURAL)
    proc = _loaded([str(target), "--no-cache", "--output-format", "json", "--unsafe-fixes"])
    assert proc.returncode == 1, proc.stderr
    codes = {"NB101", "NB102", "NB110", "NB111", "NB202", "NB307"}
    found = {d["code"]: d for d in json.loads(proc.stdout)}
    assert codes <= set(found)
    assert all(found[code]["fix"] is not None for code in codes)
    assert "LOADED []" in proc.stderr
    proc = _loaded([str(target), "--no-cache", "--fix", "--unsafe-fixes"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "'libcst'" in proc.stderr
    fixed = target.read_text()
    assert "sum([x for x in a])" in fixed and "set([x for x in a])" in fixed
    assert "@njit\ndef helper" in fixed and "dtype=np.int_" in fixed
    assert "except Exception:\n        s = 0.0" in fixed and "as e" not in fixed


def test_a_one_file_run_imports_only_what_it_uses(tmp_path: Path) -> None:
    """What pre-commit runs (one file, the default format) starts no worker processes and
    writes no XML: their modules stay unimported, for the start-up time."""
    target = tmp_path / "kernels.py"
    target.write_text("import numba\n\n@numba.njit\ndef f(n):\n    return n + 1\n")
    script = textwrap.dedent(
        f"""
        import sys
        from numba_check.cli import main
        rc = main([{str(target)!r}, "--no-cache", "--force-exclude"])
        heavy = ("multiprocessing", "concurrent.futures", "xml.etree")
        print("LOADED", sorted(m for m in sys.modules if m.startswith(heavy)), file=sys.stderr)
        sys.exit(rc)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "LOADED []" in proc.stderr
