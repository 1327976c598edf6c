from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from numba_check import cli


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


class Project:
    """A throw-away folder, made the working directory, to run the command line in."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return path

    def read(self, name: str) -> str:
        return (self.root / name).read_bytes().decode("utf-8")

    def pyproject(self, body: str) -> Path:
        return self.write("pyproject.toml", "[tool.numba-check]\n" + body)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NUMBA_CHECK_DEBUG", raising=False)
    return Project(tmp_path)


@pytest.fixture
def run(project: Project, capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run ``numba-check ARGS`` in-process in the project folder."""

    def invoke(*args: str) -> Result:
        capsys.readouterr()
        code = cli.main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke
