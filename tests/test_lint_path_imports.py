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
