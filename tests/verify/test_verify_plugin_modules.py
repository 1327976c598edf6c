"""--verify imports for real the modules that knowledge plugins declare compilable (beside
numpy, numba, math, ...), and only those: another library stays an opaque stand-in. Both
libraries here write a marker file when imported, so the test sees which ones the workers
imported."""

from __future__ import annotations

import textwrap

import pytest

from numba_check import hookimpl
from numba_check.api import run
from numba_check.plugins import Knowledge, Plugins
from numba_check.settings import Settings
from numba_check.verify import verify_result

pytest.importorskip("numba")

LIBRARY = """
import numba

open({marker!r}, "w").write("imported")
SCALE = 2.0


@numba.njit
def twice(x):
    return 2 * x
"""

PROJECT = """
import numba
import vendorlib
import otherlib


@numba.njit
def uses_declared(x):
    return vendorlib.twice(x) + vendorlib.SCALE


@numba.njit
def uses_other(x):
    return otherlib.twice(x)


uses_declared(1.5)
uses_other(1.5)
"""


class VendorKnowledge:
    """What a plugin for a Numba-aware library declares."""

    @hookimpl
    def numba_check_add_knowledge(self) -> Knowledge:
        return Knowledge(["vendorlib.*"], label="vendorlib")


def test_declared_modules_are_imported_for_real(tmp_path, monkeypatch) -> None:
    libs, project, markers = tmp_path / "libs", tmp_path / "project", tmp_path / "markers"
    for folder in (libs, project, markers):
        folder.mkdir()
    for name in ("vendorlib", "otherlib"):
        marker = str(markers / f"{name}.marker")
        (libs / f"{name}.py").write_text(textwrap.dedent(LIBRARY.format(marker=marker)))
    (project / "kern.py").write_text(PROJECT)
    # Installed libraries, outside the project: spawned workers inherit sys.path.
    monkeypatch.syspath_prepend(str(libs))
    manager = Plugins(extra=(VendorKnowledge(),))
    monkeypatch.setattr(Settings, "plugins", lambda self: manager)
    monkeypatch.chdir(project)
    settings = Settings(cache=False, project_root=project, extend_select=("NB951",))
    result, verification = verify_result(run(["."], settings), settings)

    statuses = {f.name: (f.status, f.detail) for f in verification.functions}
    # The declared library was imported in the worker: its real dispatcher was compiled.
    assert statuses["uses_declared"] == ("verified", "(float64)")
    assert sorted(p.name for p in markers.iterdir()) == ["vendorlib.marker"]
    # The other library is a stand-in: could not verify, never an error.
    status, detail = statuses["uses_other"]
    assert status == "could-not-verify"
    assert "otherlib" in detail and "not imported by --verify" in detail
    assert not any(d.code == "NB950" for f in result.files for d in f.diagnostics)
