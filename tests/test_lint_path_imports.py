"""The lint path never imports Numba (nor the code it checks): it must stay fast and safe."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path


def test_linting_does_not_import_numba(tmp_path: Path) -> None:
    target = tmp_path / "kernels.py"
    target.write_text(
        "import numpy as np\nimport numba\n\n@numba.njit\ndef f(n):\n    return np.zeros([n, 2])\n"
    )
    script = textwrap.dedent(
        f"""
        import sys
        from numba_check.cli import main
        rc = main([{str(target)!r}, "--no-cache", "--output-format", "json"])
        loaded = sorted(m for m in sys.modules if m == "numba" or m.startswith(("numba.", "llvmlite")))
        print("LOADED", loaded, file=sys.stderr)
        sys.exit(rc)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1, proc.stderr
    assert "NB302" in proc.stdout
    assert "LOADED []" in proc.stderr


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
