from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from numba_check import cli

# A module with a compiled function that calls a plain Python helper (NB202 at line 9) and
# one that formats a str with `%` (NB204 at line 13).
MODULE = """\
from numba import njit


def helper(x):
    return x * 2


@njit
def uses_helper(x):
    return helper(x) + 1


@njit
def label(n):
    return "n=%d" % n
"""


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def module(tmp_path: Path) -> Path:
    path = tmp_path / "kernels.py"
    path.write_text(MODULE, encoding="utf-8")
    return path


def untyped_helper_message(path: Path, line: int = 10) -> str:
    """Numba 0.68's text for calling `helper` from `uses_helper`, naming `path` at `line`."""
    return (
        "numba.core.errors.TypingError: Failed in nopython mode pipeline (step: nopython "
        "frontend)\n"
        "Untyped global name 'helper': Cannot determine Numba type of <class 'function'>\n\n"
        f'File "{path}", line {line}:\n'
        "def uses_helper(x):\n"
        "    return helper(x) + 1\n"
        "    ^\n\n"
        "During: Pass nopython_type_inference\n"
    )


@pytest.fixture
def run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Result]:
    """Run ``numba-check ARGS`` in-process in `tmp_path`, with `stdin` as standard input."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NUMBA_CHECK_DEBUG", raising=False)

    def invoke(*args: str, stdin: str = "") -> Result:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = cli.main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke
