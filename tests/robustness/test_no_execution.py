"""The linter reads code and never runs it: modules whose import, top level or `__main__` block
would write a file are checked, and nothing is written, whichever way the linter is started."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from numba_check import api
from numba_check.settings import Settings
from tests.cli.snippets import NB101, NB302
from tests.robustness.helpers import lint_in_process, no_traceback, run_cli


def _writes(marker: Path) -> str:
    return f"open({str(marker)!r}, 'w').write('ran')\n"


def build_tree(root: Path, markers: Path, copies: int = 1) -> list[str]:
    """A project where importing or running anything leaves a file in `markers`; returns the
    files that hold an NB101, whose report shows that they were read."""
    markers.mkdir()
    expected = []
    for i in range(copies):
        pkg = root / f"pkg{i}"
        pkg.mkdir()
        # Importing the package runs __init__.py.
        (pkg / "__init__.py").write_text("import numba\n" + _writes(markers / f"init{i}"))
        # The top level, a `__main__` block and a module-level call of a compiled function.
        (pkg / "mod.py").write_text(
            NB101
            + _writes(markers / f"top{i}")
            + "f(0)\n"
            + "if __name__ == '__main__':\n    "
            + _writes(markers / f"main{i}")
        )
        # A fixable file: fixing must not run it either.
        (pkg / "fixable.py").write_text(_writes(markers / f"fix{i}") + NB302)
        expected.append(str(Path(f"pkg{i}", "mod.py")))
    # Modules named like what a linter might import: python -m puts the working folder first on
    # sys.path, so an import of numba or numpy would run these.
    for name in ("numba", "numpy", "conftest", "setup", "sitecustomize", "usercustomize"):
        (root / f"{name}.py").write_text("import numba\n" + _writes(markers / name))
    (root / "__main__.py").write_text("import numba\n" + _writes(markers / "dunder_main"))
    return expected


def _nb101_files(report) -> list[str]:
    return [f for f, code, _, _ in report.found if code == "NB101"]


def test_console_script_runs_nothing(tmp_path):
    exe = Path(sys.executable).with_name("numba-check")
    found = str(exe) if exe.exists() else shutil.which("numba-check")
    if found is None:
        pytest.skip("numba-check console script is not installed")
    tree = tmp_path / "tree"
    tree.mkdir()
    expected = build_tree(tree, tmp_path / "markers")
    done = subprocess.run(
        [found, "--no-cache", "--output-format", "concise", "."],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=300,
    )
    no_traceback(done.stdout, done.stderr)
    assert done.returncode == 1
    assert [line.split(":")[0] for line in done.stdout.splitlines() if "NB101" in line] == expected
    assert list((tmp_path / "markers").iterdir()) == []


@pytest.mark.parametrize("fix", [False, True], ids=["check", "fix"])
def test_python_m_runs_nothing(tmp_path, fix):
    tree = tmp_path / "tree"
    tree.mkdir()
    expected = build_tree(tree, tmp_path / "markers")
    report = lint_in_process(*(["--fix"] if fix else []), ".", cwd=tree)
    assert _nb101_files(report) == expected
    assert list((tmp_path / "markers").iterdir()) == []
    if fix:
        assert "np.zeros((n, m))" in (tree / "pkg0" / "fixable.py").read_text()


def test_worker_processes_run_nothing(tmp_path, monkeypatch):
    # More files than PARALLEL_THRESHOLD: checked in worker processes.
    copies = api.PARALLEL_THRESHOLD // 3 + 2
    tree = tmp_path / "tree"
    tree.mkdir()
    expected = build_tree(tree, tmp_path / "markers", copies=copies)
    monkeypatch.chdir(tree)
    result = api.run(["."], Settings(cache=False, project_root=tree), jobs=2)
    assert len(result.files) > api.PARALLEL_THRESHOLD
    assert [d.filename for d in result.diagnostics if d.code == "NB101"] == sorted(expected)
    assert list((tmp_path / "markers").iterdir()) == []


def test_named_main_module_runs_nothing(tmp_path):
    # A file named explicitly, as pre-commit passes them, and a __main__.py.
    tree = tmp_path / "tree"
    tree.mkdir()
    build_tree(tree, tmp_path / "markers")
    done = run_cli("--no-cache", "__main__.py", "pkg0/mod.py", "numba.py", cwd=tree)
    no_traceback(done.stdout, done.stderr)
    assert done.returncode == 1
    assert list((tmp_path / "markers").iterdir()) == []
