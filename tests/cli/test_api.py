"""The public API: check_source and check_paths."""

from __future__ import annotations

import numba_check
from numba_check import Diagnostic
from numba_check.settings import Settings
from tests.cli.snippets import CLEAN, NB101, NB302


def test_check_source():
    found = numba_check.check_source(NB101, "kernel.py")
    assert [(d.code, d.filename, d.location.line) for d in found] == [("NB101", "kernel.py", 8)]
    assert all(isinstance(d, Diagnostic) for d in found)
    assert numba_check.check_source(CLEAN) == []


def test_check_source_with_settings():
    settings = Settings(ignore=("NB1",), cache=False)
    assert numba_check.check_source(NB101, settings=settings) == []
    old = Settings(target_numba=(0, 46, 0), cache=False)
    assert [d.code for d in numba_check.check_source(NB101, settings=old)] == ["NB105"]


def test_check_paths(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "b.py").write_text(NB101)
    (tmp_path / "pkg" / "a.py").write_text(NB302)
    found = numba_check.check_paths([tmp_path / "pkg"])
    assert [d.code for d in found] == ["NB302", "NB101"]
    assert not (tmp_path / ".numba_check_cache").exists()  # the API does not cache by default


def test_check_paths_does_not_fix(tmp_path):
    path = tmp_path / "a.py"
    path.write_text(NB302)
    numba_check.check_paths([path], settings=Settings(fix=True, cache=False))
    assert path.read_text() == NB302
