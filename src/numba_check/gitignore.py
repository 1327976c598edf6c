"""What git (and ripgrep's ``.ignore``) would leave out of a folder walk, as ruff respects it.

ruff walks with the `ignore` crate's standard filters; the same files are read here, with
`pathspec` for git's pattern syntax: ``.gitignore`` files, ``.git/info/exclude`` and git's
global excludes file apply inside a git repository (a folder with ``.git`` at or above the walk);
``.ignore`` files apply anywhere. A deeper file's patterns win over a shallower one's, and
within a file the last matching pattern wins, negations included, as in git. An ignored folder
is not entered, so nothing inside it can be re-included (git's rule too).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pathspec

_EXCLUDES_FILE = re.compile(r"^\s*excludesfile\s*=\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class _Layer:
    base: Path  # patterns are relative to this folder
    spec: pathspec.GitIgnoreSpec


class Ignores:
    """The ignore patterns in force in one folder: its own files' and its ancestors'."""

    def __init__(self, layers: Sequence[_Layer] = (), *, in_repo: bool = False) -> None:
        self.layers = tuple(layers)
        self.in_repo = in_repo

    @classmethod
    def for_walk(cls, top: Path) -> Ignores:
        """The patterns in force at `top`: global and repository-wide ones, and those of the
        ignore files in the folders from the repository's root down to `top`."""
        repo = _repository_root(top)
        layers: list[_Layer] = []
        if repo is not None:
            global_file = _global_excludes_file()
            if global_file is not None:
                layers += _layer(repo, [global_file])
            layers += _layer(repo, [repo / ".git" / "info" / "exclude"])
            above = [p for p in reversed(top.parents) if p == repo or p.is_relative_to(repo)]
            for folder in above:
                layers += _layer(folder, _files_in(folder, in_repo=True))
        return cls(layers, in_repo=repo is not None).enter(top)

    def enter(self, folder: Path) -> Ignores:
        """The patterns in force inside `folder`, a subfolder being walked."""
        added = _layer(folder, _files_in(folder, in_repo=self.in_repo))
        return Ignores((*self.layers, *added), in_repo=self.in_repo) if added else self

    def ignores(self, path: Path, *, is_dir: bool) -> bool:
        for layer in reversed(self.layers):
            try:
                relative = path.relative_to(layer.base).as_posix()
            except ValueError:
                continue
            verdict = layer.spec.check_file(relative + "/" if is_dir else relative).include
            if verdict is not None:
                return verdict
        return False


def _files_in(folder: Path, *, in_repo: bool) -> list[Path]:
    # .ignore comes last: it takes precedence over .gitignore, as in ripgrep and ruff.
    names = (".gitignore", ".ignore") if in_repo else (".ignore",)
    return [folder / name for name in names]


def _layer(base: Path, files: Iterable[Path]) -> list[_Layer]:
    lines: list[str] = []
    for file in files:
        try:
            lines += file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue  # absent or unreadable: no patterns from it
    patterns = [line for line in lines if line.strip() and not line.startswith("#")]
    if not patterns:
        return []
    return [_Layer(base, pathspec.GitIgnoreSpec.from_lines(patterns))]


def _repository_root(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


@lru_cache(maxsize=1)
def _global_excludes_file() -> Path | None:
    """git's ``core.excludesFile``, read from the user's git configuration as git reads it,
    else its default ``$XDG_CONFIG_HOME/git/ignore``."""
    xdg = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    for config in (Path.home() / ".gitconfig", xdg / "git" / "config"):
        try:
            text = config.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        match = _EXCLUDES_FILE.search(text)
        if match:
            return Path(os.path.expanduser(match.group(1).strip('"')))
    default = xdg / "git" / "ignore"
    return default if default.is_file() else None
