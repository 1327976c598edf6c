"""The numba-check report: one row per check, a terminal table and an optional JSON file.

Rows travel in ``item.user_properties`` so that they reach the controller under xdist too.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest

from numba_check.pytest_plugin.timing import fmt_time, machine

PROPERTY = "numba_check"
rows_key = pytest.StashKey[list["Row"]]()


@dataclass(frozen=True)
class Row:
    test: str
    function: str
    kind: str
    python_time: float | None
    numba_time: float | None
    speedup: float | None
    required: float | None
    compile_time: float | None
    status: str
    attempts: int = 0
    detail: str = ""


def record(item: pytest.Item, row: Row) -> None:
    item.user_properties.append((PROPERTY, asdict(row)))


def collect(config: pytest.Config, report: pytest.TestReport) -> None:
    # user_properties ride on the setup, call and teardown reports alike: read them once.
    if report.when != "call":
        return
    for name, value in report.user_properties:
        if name == PROPERTY and isinstance(value, dict):
            config.stash.setdefault(rows_key, []).append(Row(**value))


def _speed(value: float | None) -> str:
    return "-" if value is None else f"{value:.3g}x"


def table(rows: list[Row]) -> list[str]:
    header = ("test", "function", "python", "numba", "speedup", "required", "compile", "status")
    body = [
        (
            r.test,
            r.function,
            fmt_time(r.python_time),
            fmt_time(r.numba_time),
            _speed(r.speedup),
            "-" if not r.required else f">= {r.required:g}x",
            fmt_time(r.compile_time),
            r.status,
        )
        for r in rows
    ]
    widths = [max(len(str(c)) for c in col) for col in zip(header, *body, strict=True)]
    widths[-1] = 0  # status is last: no padding
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*header).rstrip(), "  ".join("-" * max(w, 6) for w in widths)]
    lines += [fmt.format(*row).rstrip() for row in body]
    return lines


def terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    rows = config.stash.get(rows_key, [])
    if not rows:
        return
    tr = terminalreporter
    tr.write_sep("=", "numba-check")
    for line in table(rows):
        tr.write_line(line)
    skipped = [r for r in rows if r.status.startswith("timing skipped")]
    if skipped:
        tr.write_line(
            f"timing skipped for {len(skipped)} check(s): equality was checked, speed was not."
        )
    tr.write_line(f"python = best time per call, numba = same after compiling; {machine()}")


def write_json(config: pytest.Config, path: str) -> str:
    rows = config.stash.get(rows_key, [])
    try:
        from importlib.metadata import version

        numba_version = version("numba")
    except Exception:  # noqa: BLE001
        numba_version = None
    payload = {
        "numba_version": numba_version,
        "python": platform.python_version(),
        "platform": sys.platform,
        "cpu_count": os.cpu_count(),
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "results": [asdict(r) for r in rows],
    }
    target = Path(path)
    if not target.is_absolute():
        target = Path(config.invocation_params.dir) / target
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return str(target)
