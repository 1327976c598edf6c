"""docs/verify.md shows what --verify really prints for its example."""

from __future__ import annotations

import re
import shlex

import pytest

from numba_check import cli
from tests.docs.test_pages import blocks

pytest.importorskip("numba")


def test_example_output_is_what_verify_prints(tmp_path, monkeypatch, capsys) -> None:
    [example] = blocks("verify.md", "python")
    [session] = [b for b in blocks("verify.md", "text") if b.startswith("$ numba-check ")]
    command, expected = session.split("\n", 1)
    (tmp_path / "kernels.py").write_text(example, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = shlex.split(command.removeprefix("$ numba-check "))
    assert cli.main([*args, "--no-cache", "--isolated"]) == 1
    captured = capsys.readouterr()
    # Only the time the run took differs.
    seconds = re.compile(r"in \d+\.\d s\.$", re.M)
    assert seconds.sub("in N s.", captured.out + captured.err) == seconds.sub("in N s.", expected)
