"""Many files go through worker processes; the output is the same as a serial run."""

from __future__ import annotations

from numba_check import api
from numba_check.settings import Settings
from tests.cli.snippets import CLEAN, NB101, NB302


def test_parallel_output_matches_serial(tmp_path, monkeypatch):
    texts = (NB101, NB302, CLEAN)
    for i in range(90):
        sub = tmp_path / f"pkg{i % 7}"
        sub.mkdir(exist_ok=True)
        (sub / f"m{i}.py").write_text(texts[i % 3])
    settings = Settings(cache=False, project_root=tmp_path)
    monkeypatch.chdir(tmp_path)
    parallel = api.run(["."], settings, jobs=4)
    monkeypatch.setattr(api, "PARALLEL_THRESHOLD", 10_000)
    serial = api.run(["."], settings)
    assert parallel.diagnostics == serial.diagnostics
    assert [f.file for f in parallel.files] == [f.file for f in serial.files]
    assert len(serial.diagnostics) == 60


def test_parallel_fix(tmp_path, monkeypatch):
    for i in range(70):
        (tmp_path / f"m{i}.py").write_text(NB302)
    monkeypatch.chdir(tmp_path)
    settings = Settings(cache=False, fix=True, project_root=tmp_path)
    result = api.run(["."], settings, mode="fix", jobs=4)
    assert sum(result.fixed.values()) == 70
    assert result.diagnostics == ()
    assert all("np.zeros((n, m))" in p.read_text() for p in tmp_path.glob("*.py"))
