"""The numba-check report: one row per check, a terminal table and an optional JSON file.

Rows travel in ``item.user_properties`` as JSON text, so that they reach the controller under
xdist too and JUnit XML shows them as JSON rather than as Python reprs.
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

from numba_check.pytest_plugin import columns
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


def _json_number(value: Any) -> Any:
    # JSON has no inf or nan: a speed-up of inf (a compiled time of 0) is written as null.
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    return value


def record(item: pytest.Item, row: Row) -> None:
    data = {k: _json_number(v) for k, v in asdict(row).items()}
    item.user_properties.append((PROPERTY, json.dumps(data, sort_keys=True)))


inconclusive_key = pytest.StashKey[list[str]]()


def mark_inconclusive(item: pytest.Item, message: str) -> None:
    """The test's outcome becomes 'skipped' with this message if it would otherwise pass."""
    item.stash.setdefault(inconclusive_key, []).append(message)


def collect(config: pytest.Config, report: pytest.TestReport) -> None:
    # user_properties ride on the setup, call and teardown reports alike: read them once.
    if report.when != "call":
        return
    for name, value in report.user_properties:
        if name != PROPERTY:
            continue
        try:
            data = json.loads(value) if isinstance(value, str) else value
            config.stash.setdefault(rows_key, []).append(Row(**data))
        except (TypeError, ValueError):
            continue  # another plugin's property of the same name


def resolve_path(config: pytest.Config, path: str) -> Path:
    target = Path(path)
    if not target.is_absolute():
        target = Path(config.invocation_params.dir) / target
    return target


def check_path(config: pytest.Config, path: str, source: str) -> None:
    """Fail at start, not after the whole run, when the report cannot be written there."""
    target = resolve_path(config, path)
    problem = None
    if target.is_dir():
        problem = "it is a directory"
    else:
        parent = target.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not parent.is_dir():
            problem = f"{parent} is not a directory"
        elif not os.access(parent, os.W_OK | os.X_OK):
            problem = f"{parent} is not writable"
        elif target.exists() and not os.access(target, os.W_OK):
            problem = "the file is not writable"
    if problem:
        raise pytest.UsageError(
            f"numba-check: cannot write the JSON report to {target} ({source}): {problem}"
        )


def _speed(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3g}x" if value >= 1 or value <= 0 else f"{1 / value:.3g}x slower"


def table(rows: list[Row], width: int = 10_000) -> list[str]:
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
    # Narrow terminals lose the required speed-up first, then the times, then the function.
    return columns.fit(header, body, width, drop=(5, 2, 3, 6, 1))


def terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    rows = config.stash.get(rows_key, [])
    if not rows:
        return
    tr = terminalreporter
    tr.write_sep("=", "numba-check")
    for line in table(rows, getattr(getattr(tr, "_tw", None), "fullwidth", 80)):
        tr.write_line(line)
    inconclusive = [r for r in rows if r.status == "inconclusive"]
    if inconclusive:
        tr.write_line(
            f"{len(inconclusive)} speed-up(s) inconclusive: parallel code timed while other "
            "processes held the cores (the tests are reported as skipped)."
        )
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
        "results": [{k: _json_number(v) for k, v in asdict(r).items()} for r in rows],
    }
    target = resolve_path(config, path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return str(target)
