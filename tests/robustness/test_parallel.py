"""Worker processes change nothing: above PARALLEL_THRESHOLD files the diagnostics, their order,
the printed report and the fixed files are exactly those of a serial run."""

from __future__ import annotations

import concurrent.futures
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from numba_check import api
from numba_check.rules.base import Valid
from tests.cli.snippets import NB302
from tests.robustness.helpers import ALL_RULES_ARGS, all_rules, parse_json
from tests.rules.cases import all_cases

# Files that each rule's own cases are made of, plus every NB9xx: enough to go parallel, and
# varied enough that an order or a pickling difference would show.
SPECIAL = {
    "tool/latin1.py": b"import numba\nx = '\xe9'\n",
    "tool/empty.py": b"",
    "tool/syntax.py": b"from numba import njit\n\ndef f(:\n    pass\n",
    "tool/nulls.py": b"import numba\nx = '\x00'\n",
    "tool/noqa.py": b"import numba\n\n@numba.njit\ndef f(x):  # noqa: NB101\n    return x\n",
    "tool/crlf.py": NB302.replace("\n", "\r\n").encode(),
    "tool/__init__.py": b"",
}


def build_tree(root: Path, stride: int = 7) -> int:
    """Every `stride`-th rule case and every case with a fix as a file, and SPECIAL; returns the
    number of files."""
    count = 0
    for index, (rule, case) in enumerate(all_cases()):
        if index % stride and getattr(case, "fixed", None) is None:
            continue
        kind = "valid" if isinstance(case, Valid) else "invalid"
        path = root / rule.code / f"{kind}_{index:04}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(case.code, encoding="utf-8")
        count += 1
    for name, data in SPECIAL.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        count += 1
    return count


@pytest.fixture
def tree(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "tree"
    root.mkdir()
    assert build_tree(root) > api.PARALLEL_THRESHOLD + 20
    monkeypatch.chdir(root)
    return root


class _RecordingPool(ProcessPoolExecutor):
    """Counts the files the worker processes really checked: api falls back to a serial run
    when no pool can be started, which would make these tests compare serial with serial."""

    checked = 0

    def map(self, *args, **kwargs):  # type: ignore[override]
        results = list(super().map(*args, **kwargs))
        type(self).checked += len(results)
        return iter(results)


@pytest.fixture(autouse=True)
def pool(monkeypatch) -> type[_RecordingPool]:
    monkeypatch.setattr(_RecordingPool, "checked", 0)
    # api imports the pool class when it starts one, from concurrent.futures.
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", _RecordingPool)
    return _RecordingPool


def _serial(monkeypatch) -> None:
    monkeypatch.setattr(api, "PARALLEL_THRESHOLD", 1_000_000)


def test_parallel_diagnostics_equal_serial(tree, monkeypatch, pool):
    settings = all_rules(project_root=tree)
    parallel = api.run(["."], settings, jobs=3)
    # Files without Numba are answered in the main process, the rest by the workers.
    assert api.PARALLEL_THRESHOLD < pool.checked <= len(parallel.files)
    _serial(monkeypatch)
    serial = api.run(["."], settings)
    assert len(serial.diagnostics) > 50
    assert {d.code for d in serial.diagnostics} >= {"NB901", "NB902", "NB903"}
    # Whole Diagnostic objects: code, message, positions, fixes and their edits.
    assert parallel.diagnostics == serial.diagnostics
    assert [f.file for f in parallel.files] == [f.file for f in serial.files]
    assert [f.diagnostics for f in parallel.files] == [f.diagnostics for f in serial.files]


def test_parallel_report_equals_serial_through_the_cli(tree, run, monkeypatch, pool):
    monkeypatch.setattr(api.os, "cpu_count", lambda: 2)  # the CLI uses one worker per core
    args = (*ALL_RULES_ARGS, "--output-format", "json", "--no-cache", ".")
    parallel = run(*args)
    assert pool.checked > api.PARALLEL_THRESHOLD
    _serial(monkeypatch)
    serial = run(*args)
    assert (parallel.code, parallel.out, parallel.err) == (serial.code, serial.out, serial.err)
    assert serial.code == 1 and serial.out.count('"code"') > 50


def test_parallel_fix_equals_serial(tree, tmp_path, monkeypatch, pool):
    copy = tmp_path / "copy"
    shutil.copytree(tree, copy)
    settings = all_rules(fix=True, unsafe_fixes=True, project_root=tree)
    parallel = api.run(["."], settings, mode="fix", jobs=2)
    assert api.PARALLEL_THRESHOLD < pool.checked <= len(parallel.files)
    _serial(monkeypatch)
    monkeypatch.chdir(copy)
    serial = api.run(["."], all_rules(fix=True, unsafe_fixes=True, project_root=copy), mode="fix")
    assert sum(serial.fixed.values()) > 10
    assert parallel.fixed == serial.fixed
    assert parallel.diagnostics == serial.diagnostics
    written = {p.relative_to(tree): p.read_bytes() for p in sorted(tree.rglob("*.py"))}
    assert written == {p.relative_to(copy): p.read_bytes() for p in sorted(copy.rglob("*.py"))}


def test_cached_parallel_run_equals_the_first(tree, tmp_path, run, monkeypatch, pool):
    monkeypatch.setattr(api.os, "cpu_count", lambda: 2)
    args = (*ALL_RULES_ARGS, "--output-format", "json", "--cache-dir", str(tmp_path / "c"), ".")
    first = run(*args)
    checked = pool.checked
    assert checked > api.PARALLEL_THRESHOLD  # linted by the workers
    again = run(*args)  # every file a cache hit, answered without starting workers
    assert (again.code, again.out) == (first.code, first.out)
    assert len(lint_json(again.out)) > 50
    assert pool.checked == checked


def lint_json(out: str) -> list[tuple[str, str, int, int]]:
    return parse_json(0, out, "").found
