"""The pre-commit hook, run by the real pre-commit against a throw-away repository.

pre-commit clones a hook repository at a revision, so the test commits a snapshot of the
project files the hook needs into a temporary git repository and points the config at it.
Installing the hook environment needs pluggy from the package index or pip's
configured find-links; where neither can be reached, the test is skipped, not failed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.snippets import CLEAN, NB101

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src")
OFFLINE_SIGNS = (
    "No matching distribution found",
    "Could not find a version that satisfies",
    "Temporary failure in name resolution",
    "NewConnectionError",
    "Network is unreachable",
)


def pre_commit() -> list[str]:
    exe = Path(sys.executable).with_name("pre-commit")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("pre-commit")
    if found is None:
        pytest.skip("pre-commit is not installed")
    return [found]


def git(*args: str, cwd: Path) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def snapshot(dest: Path) -> str:
    """Copy what the hook needs into a new git repository; its HEAD sha."""
    dest.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in SNAPSHOT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, dest / name)
    if not (dest / "README.md").exists():  # pyproject.toml names it as the readme
        (dest / "README.md").write_text("numba-check\n")
    git("init", "-q", cwd=dest)
    git("add", ".", cwd=dest)
    git("commit", "-q", "-m", "snapshot", cwd=dest)
    return git("rev-parse", "HEAD", cwd=dest)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    base = tmp_path_factory.mktemp("precommit")
    rev = snapshot(base / "hook")
    work = base / "work"
    work.mkdir()
    git("init", "-q", cwd=work)
    (work / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {(base / 'hook').as_posix()}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: numba-check\n"
        "        args: [--no-cache, --output-format, concise]\n"
    )
    env = {**os.environ, "PRE_COMMIT_HOME": str(base / "cache"), "PRE_COMMIT_COLOR": "never"}
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(
        [*pre_commit(), "install-hooks"], cwd=work, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        log = done.stdout + done.stderr
        log_file = base / "cache" / "pre-commit.log"
        if log_file.exists():
            log += log_file.read_text()
        if any(sign in log for sign in OFFLINE_SIGNS):
            pytest.skip("cannot install the hook's dependencies here (no package index)")
        pytest.fail(f"pre-commit install-hooks failed:\n{log[-4000:]}")
    return work, env


def run_hook(work: Path, env: dict[str, str], *files: str) -> subprocess.CompletedProcess[str]:
    git("add", *files, cwd=work)
    return subprocess.run(
        [*pre_commit(), "run", "numba-check", "--files", *files],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )


def test_hook_fails_on_a_numba_error(hook_repo):
    work, env = hook_repo
    (work / "bad.py").write_text(NB101)
    done = run_hook(work, env, "bad.py")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "bad.py:8:5: NB101" in done.stdout


def test_hook_passes_a_clean_file(hook_repo):
    work, env = hook_repo
    (work / "good.py").write_text(CLEAN)
    done = run_hook(work, env, "good.py")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


def test_hook_respects_excludes_for_files_it_is_given(hook_repo):
    work, env = hook_repo
    (work / "build").mkdir(exist_ok=True)
    (work / "build" / "bad.py").write_text(NB101)
    done = run_hook(work, env, "build/bad.py")
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_empty_notebook_passes_the_hook(hook_repo):
    work, env = hook_repo
    (work / "empty.ipynb").write_text(
        '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    )
    done = run_hook(work, env, "empty.ipynb")
    assert done.returncode == 0, done.stdout + done.stderr


def test_hook_checks_notebooks_cell_by_cell(hook_repo):
    # The hook environment has nothing but numba-check and its dependencies: the notebook is
    # read all the same, and the diagnostic names its cell.
    work, env = hook_repo
    cells = [
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": s}
        for s in ("%matplotlib inline\nimport numba", NB101.replace("import numba\n", ""))
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
    (work / "bad.ipynb").write_text(json.dumps(notebook, indent=1) + "\n")
    done = run_hook(work, env, "bad.ipynb")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "bad.ipynb:cell 2:7:5: NB101" in done.stdout


def test_hook_manifest():
    yaml = pytest.importorskip("yaml")
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "numba-check"
    assert hook["entry"].split()[0] == "numba-check"
    assert "--force-exclude" in hook["entry"]
    assert hook["language"] == "python"
    assert hook["types_or"] == ["python", "jupyter"]
    assert "additional_dependencies" not in hook  # notebooks need nothing more
    assert hook["require_serial"] is False
