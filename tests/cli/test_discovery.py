"""Which files are checked: walking, excludes, --force-exclude, links."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from numba_check.discovery import discover
from numba_check.settings import load_settings
from tests.cli.snippets import NB101


def names(root: Path, *paths: str, **overrides) -> list[str]:
    settings = load_settings(overrides, cwd=root)
    return [f.display for f in discover(list(paths), settings, cwd=root)]


def test_walk_is_sorted_and_takes_python_files_and_notebooks(project):
    for name in ("b.py", "a.py", "z/y.py", "z/a.py", "notes.txt", "stub.pyi", "nb.ipynb"):
        project.write(name, "x = 1\n")
    assert names(project.root, ".") == ["a.py", "b.py", "nb.ipynb", "z/a.py", "z/y.py"]


def test_notebooks_can_be_excluded_by_suffix(project):
    project.write("a.py", "")
    project.write("nb.ipynb", "{}")
    project.write(".ipynb_checkpoints/nb-checkpoint.ipynb", "{}")
    assert names(project.root, ".") == ["a.py", "nb.ipynb"]
    assert names(project.root, ".", **{"extend-exclude": ["*.ipynb"]}) == ["a.py"]


@pytest.mark.parametrize(
    "folder", [".git", ".venv", "venv", "__pycache__", "build", "dist", "node_modules", ".tox"]
)
def test_default_excludes(project, folder):
    project.write(f"{folder}/x.py", "x = 1\n")
    project.write(f"pkg/{folder}/x.py", "x = 1\n")
    project.write("keep.py", "x = 1\n")
    assert names(project.root, ".") == ["keep.py"]


def test_exclude_replaces_defaults(project):
    project.write("build/x.py", "")
    project.write("gen/y.py", "")
    assert names(project.root, ".", exclude=["gen"]) == ["build/x.py"]


def test_extend_exclude_adds_to_defaults(project):
    project.write("build/x.py", "")
    project.write("gen/y.py", "")
    project.write("src/test_z.py", "")
    project.write("src/z.py", "")
    assert names(project.root, ".", **{"extend-exclude": ["gen", "test_*.py"]}) == ["src/z.py"]


def test_exclude_with_a_path_is_anchored(project):
    project.write("a/gen/x.py", "")
    project.write("b/gen/x.py", "")
    assert names(project.root, ".", **{"extend-exclude": ["a/gen"]}) == ["b/gen/x.py"]


def test_exclude_in_pyproject_is_relative_to_it(project, monkeypatch):
    project.pyproject('extend-exclude = ["src/gen"]\n')
    project.write("src/gen/x.py", "")
    project.write("src/y.py", "")
    monkeypatch.chdir(project.root / "src")
    assert names(project.root / "src", ".") == ["y.py"]


def test_explicit_file_is_checked_even_if_excluded(project):
    project.write("build/x.py", "")
    project.write("script", "")  # any suffix, when named
    assert names(project.root, "build/x.py", "script") == ["build/x.py", "script"]


def test_force_exclude(project):
    project.write("build/x.py", "")
    project.write("gen_a.py", "")
    project.write("ok.py", "")
    got = names(
        project.root,
        "build/x.py",
        "gen_a.py",
        "ok.py",
        **{"force-exclude": True, "extend-exclude": ["gen_*.py"]},
    )
    assert got == ["ok.py"]


def test_force_exclude_through_the_cli(project, run):
    project.write("build/bad.py", NB101)
    assert run("build/bad.py").code == 1
    assert run("--force-exclude", "build/bad.py").code == 0
    project.write("gen/bad.py", NB101)
    assert run("--force-exclude", "--extend-exclude", "gen", "gen/bad.py").code == 0
    assert run("--extend-exclude", "gen", "gen/bad.py").code == 1


def test_force_exclude_ignores_folders_above_the_project(tmp_path, monkeypatch):
    # A project that itself lives under a folder called `build` is still checked.
    root = tmp_path / "build" / "proj"
    (root / "src").mkdir(parents=True)
    (root / "src" / "a.py").write_text("")
    monkeypatch.chdir(root)
    assert names(root, "src/a.py", **{"force-exclude": True}) == ["src/a.py"]


def test_duplicates_are_checked_once(project):
    project.write("pkg/a.py", "")
    assert names(project.root, "pkg", "pkg/a.py", "./pkg/a.py") == ["pkg/a.py"]


def test_absolute_paths_are_shown_relative(project):
    project.write("pkg/a.py", "")
    assert names(project.root, str(project.root / "pkg")) == ["pkg/a.py"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_terminates(project):
    project.write("pkg/a.py", "")
    os.symlink(project.root / "pkg", project.root / "pkg" / "loop")
    os.symlink(project.root, project.root / "pkg" / "up")
    assert names(project.root, ".") == ["pkg/a.py"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_linked_folder_is_walked(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "b.py").write_text("")
    project.write("a.py", "")
    os.symlink(outside, project.root / "linked")
    assert names(project.root, ".") == ["a.py", "linked/b.py"]


def test_notebook_named_explicitly_is_checked(project, run):
    pytest.importorskip("nbformat")
    project.write("nb.ipynb", '{"cells": []}')
    result = run("nb.ipynb", "--no-cache", "--output-format", "concise")
    assert result.code == 1
    assert "nb.ipynb:1:1: NB901 error: Cannot parse notebook: not a Jupyter notebook" in result.out
