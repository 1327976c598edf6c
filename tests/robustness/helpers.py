"""What the robustness tests share: all rules on, JSON output read back, real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from numba_check.rules import RULES_BY_CODE
from numba_check.settings import Settings

# Every rule, including the default-off ones (which need their exact code to be selected).
DEFAULT_OFF = tuple(sorted(c for c, r in RULES_BY_CODE.items() if not r.enabled_by_default))
ALL_RULES_ARGS = ("--select", "ALL", *(a for c in DEFAULT_OFF for a in ("--extend-select", c)))


def all_rules(**changes: object) -> Settings:
    """Settings with every rule selected and no cache."""
    return Settings(cache=False, select=("ALL",), extend_select=DEFAULT_OFF, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Report:
    code: int  # the exit code
    found: list[tuple[str, str, int, int]]  # (file, code, row, column), in output order
    messages: list[str]
    err: str


def no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text, text
        assert "internal error" not in text, text


def parse_json(code: int, out: str, err: str) -> Report:
    no_traceback(out, err)
    data = json.loads(out) if out.strip() else []
    found = [
        (d["filename"], d["code"], d["location"]["row"], d["location"]["column"]) for d in data
    ]
    return Report(code, found, [d["message"] for d in data], err)


def lint(run: Callable[..., object], *args: str) -> Report:
    """`numba-check --output-format json --no-cache ARGS` in-process, read back."""
    result = run("--output-format", "json", "--no-cache", *args)
    return parse_json(result.code, result.out, result.err)  # type: ignore[attr-defined]


def lint_in_process(
    *args: str, cwd: Path, timeout: float = 300, env: dict[str, str] | None = None
) -> Report:
    """The same in a fresh interpreter: a crash (a segfault) fails the test, not the run."""
    done = run_cli(
        *args, "--output-format", "json", "--no-cache", cwd=cwd, timeout=timeout, env=env
    )
    assert done.returncode in (0, 1), (done.returncode, done.stderr[-2000:])
    return parse_json(done.returncode, done.stdout, done.stderr)


def run_cli(
    *args: str, cwd: Path, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "NUMBA_CHECK_DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "numba_check", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**base, **(env or {})},
    )
