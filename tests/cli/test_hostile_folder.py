"""`python -m numba_check` run from a stranger's checkout imports nothing of it (issue 17).

Python puts the working folder first on `sys.path` for `-m`; numba-check takes it off before it
imports anything else (numba_check/__init__.py), so a checked project's `re.py`, `typing.py` or
`*.dist-info` entry points of the `numba_check` group are never imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.cli.snippets import NB101

PLANT = "import pathlib\npathlib.Path({marker!r}).write_text('imported')\n"


def _hostile(folder: Path) -> list[Path]:
    """A checkout with modules shadowing the standard library and a plugin entry point,
    each of which leaves a marker file when imported."""
    markers = []
    for name in ("re", "typing", "json", "evil_plugin"):
        marker = folder.parent / f"imported-{name}"
        markers.append(marker)
        (folder / f"{name}.py").write_text(PLANT.format(marker=str(marker)), encoding="utf-8")
    info = folder / "evil_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: evil-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[numba_check]\nevil = evil_plugin\n")
    (folder / "m.py").write_text(NB101, encoding="utf-8")
    return markers


def test_python_dash_m_imports_nothing_from_the_working_folder(tmp_path: Path):
    folder = tmp_path / "checkout"
    folder.mkdir()
    markers = _hostile(folder)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NUMBA_CHECK", "PYTHON"))}
    done = subprocess.run(
        [sys.executable, "-m", "numba_check", "--no-cache", "--output-format", "concise", "m.py"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 1, done.stderr
    assert "m.py:8:5: NB101" in done.stdout
    assert [m.name for m in markers if m.exists()] == []
    assert "evil" not in done.stderr
