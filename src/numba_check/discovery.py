"""Which files to check: walk folders, apply excludes, honour --force-exclude.

As in ruff: folders are walked for ``*.py`` files and Jupyter notebooks (``*.ipynb``), skipping
excluded names at any depth (``extend-exclude = ["*.ipynb"]`` leaves notebooks out) and what
git ignores (`gitignore`, unless ``respect-gitignore = false``); a file
named on the command line is always checked, whatever its suffix, unless ``force-exclude`` is on
and an exclude matches it or a folder above it (pre-commit passes files one by one). A path that
does not exist is kept, so that the engine reports it (NB905), as ruff reports E902.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from numba_check.settings import Settings

if TYPE_CHECKING:
    from numba_check.gitignore import Ignores

PYTHON_SUFFIXES = (".py",)
NOTEBOOK_SUFFIXES = (".ipynb",)


@dataclass(frozen=True, order=True)
class SourceFile:
    display: str  # the name printed in diagnostics, relative to the working directory if inside
    path: Path  # the path to read
    kind: str = "python"  # "python" or "notebook"


def discover(
    paths: Sequence[str | os.PathLike[str]], settings: Settings, *, cwd: Path | None = None
) -> list[SourceFile]:
    """The files to check under `paths`, sorted by display name, without duplicates."""
    cwd = (cwd or Path.cwd()).absolute()
    excluder = Excluder(settings.all_excludes(), bases=(settings.project_root, cwd))
    found: dict[str, SourceFile] = {}
    visited: set[str] = set()
    for given in paths or (".",):
        path = Path(given)
        absolute = Path(os.path.normpath(cwd / path))
        if settings.force_exclude and excluder.excludes_with_parents(absolute):
            continue
        if absolute.is_dir():
            ignores = None
            if settings.respect_gitignore:
                from numba_check.gitignore import Ignores

                ignores = Ignores.for_walk(absolute)
            files: Iterable[Path] = _walk(absolute, excluder, visited, ignores)
        else:
            files = (absolute,)
        for file in files:
            key = str(file)
            if key not in found:
                found[key] = SourceFile(_display(file, cwd), file, _kind(file))
    return sorted(found.values())


def _kind(path: Path) -> str:
    return "notebook" if path.suffix in NOTEBOOK_SUFFIXES else "python"


def _display(path: Path, cwd: Path) -> str:
    try:
        return str(path.relative_to(cwd))
    except ValueError:
        return str(path)


def _walk(
    top: Path, excluder: Excluder, visited: set[str], ignores: Ignores | None = None
) -> Iterator[Path]:
    """Python files and notebooks under `top`, less what `ignores` (git's) leaves out; follows
    folder links once each, so link loops end."""
    stack: list[tuple[Path, Ignores | None]] = [(top, ignores)]
    while stack:
        folder, ignores = stack.pop()
        if ignores is not None and folder != top:
            ignores = ignores.enter(folder)
        real = os.path.realpath(folder)
        if real in visited:
            continue
        visited.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue  # unreadable or vanished folder: nothing to check in it
        subfolders = []
        for entry in entries:
            child = folder / entry.name
            if excluder.excludes(child):
                continue
            try:
                is_dir = entry.is_dir()  # follows links
                # Not a FIFO, socket or device named *.py: reading one blocks or never ends. A
                # broken link is kept, so that it is reported as unreadable (NB905).
                is_file = entry.is_file() or (entry.is_symlink() and not child.exists())
            except OSError:
                continue
            if ignores is not None and ignores.ignores(child, is_dir=is_dir):
                continue
            if is_dir:
                subfolders.append((child, ignores))
            elif is_file and entry.name.endswith(PYTHON_SUFFIXES + NOTEBOOK_SUFFIXES):
                yield child
        stack.extend(reversed(subfolders))


def _any_of(globs: Iterable[str]) -> re.Pattern[str] | None:
    """One expression for all of `globs` (each as `fnmatch.fnmatchcase` reads it); None for
    none. A folder holds thousands of names, and there are dozens of default globs."""
    translated = [fnmatch.translate(g) for g in globs]
    return re.compile("|".join(f"(?:{t})" for t in translated)) if translated else None


class Excluder:
    """ruff's exclude globs: a bare pattern matches a file or folder name at any depth; a
    pattern with a `/` was made absolute where it was written and matches the whole path."""

    def __init__(self, patterns: Iterable[str], bases: Sequence[Path] = ()) -> None:
        patterns = tuple(patterns)
        self.names = _any_of(p for p in patterns if "/" not in p)
        self.paths = _any_of(p for p in patterns if "/" in p)
        self.bases = tuple(bases)

    def excludes(self, path: Path) -> bool:
        if self.names is not None and self.names.match(path.name):
            return True
        return self.paths is not None and self.paths.match(path.as_posix()) is not None

    def excludes_with_parents(self, path: Path) -> bool:
        """Whether `path` or a folder above it, up to the project root or cwd, is excluded."""
        if self.excludes(path):
            return True
        for parent in path.parents:
            if not any(parent != b and parent.is_relative_to(b) for b in self.bases):
                break
            if self.excludes(parent):
                return True
        return False
