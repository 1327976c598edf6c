"""Time numba-check against flake8 + flake8-numba and ruff on the same real-code tree.

The tree is the one `real_code.py` downloads (numba's own package, pyts, tslearn, interpolation,
pinned). flake8, flake8-numba and ruff are installed, pinned, into a virtual environment of their
own (`.realcode/tools/`, reused while the pins stay the same); numba-check is the one installed
beside the interpreter that runs this script. Every number is the median (and the minimum) of
`--runs` runs of a command timed from outside, wall clock, with the peak RSS of its largest
process. The script prints a table, then each goal of the speed issue with PASS or MISS.

    python benchmarks/speed.py                        # everything, 5 runs each
    python benchmarks/speed.py --runs 1 --only cold,flake8
    python benchmarks/speed.py --only onefile --json speed.json

The tree is left as it is (the script checks it): the tools' caches and reports go to a
temporary folder; only the tools' environment and the crash scan's result stay, in `--tools`.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import hashlib
import importlib.util
import json
import operator
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))  # real_code.py beside this file, however this file was loaded

import real_code  # noqa: E402 - found through the path set just above

PARTS = ("cold", "warm", "flake8", "ruff", "onefile", "memory")
# Pinned so that two runs of the script compare. flake8-numba imports numba in every flake8
# worker, so numba (the tree's version) and what it needs are part of flake8's time: pinned too.
TOOL_PINS = (
    "flake8==7.5.0",
    "pycodestyle==2.15.0",
    "pyflakes==4.1.0",
    "mccabe==0.7.0",
    "flake8-numba==0.4.0",
    "numba==0.68.1",
    "llvmlite==0.50.0",
    'numpy==2.4.6; python_version >= "3.11"',  # the newest numpy has no 3.10 wheels
    "ruff==0.17.6",
)
TOOL_DISTRIBUTIONS = (
    "flake8",
    "flake8-numba",
    "pycodestyle",
    "pyflakes",
    "mccabe",
    "numba",
    "llvmlite",
    "numpy",
    "ruff",
)
# One module of a pinned package each, as pre-commit passes one changed file. Both about 800
# lines: the first has 27 @njit functions, the second no Numba at all.
ONE_FILE_COMPILED = ("tslearn", "tslearn/metrics/_dtw.py")
ONE_FILE_PLAIN = ("tslearn", "tslearn/piecewise/piecewise.py")
# flake8's default `--exclude`: its file walk, reproduced for the crash scan.
FLAKE8_EXCLUDE = (".svn", "CVS", ".bzr", ".hg", ".git", "__pycache__", ".tox", ".nox", ".eggs")
FLAKE8_EXCLUDE_GLOB = "*.egg"

# The goals of the speed issue.
GOAL_COLD_VS_FLAKE8 = 6.0  # numba-check cold at least this many times faster than flake8
GOAL_COLD_VS_RUFF = 10.0  # numba-check cold at most this many times ruff cold
GOAL_WARM_VS_RUFF = 2.0  # numba-check warm at most this many times ruff warm
GOAL_ONE_FILE_S = 0.4  # one file, as pre-commit runs it, under this many seconds

MIB = 1024 * 1024


class SetupError(Exception):
    """The benchmark cannot run: a tool is missing or cannot be installed."""


# -- numbers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """One timed run of one command."""

    seconds: float
    exit: int
    max_rss: int | None  # bytes, of the largest process of the command; None where unknown


@dataclass
class Measurement:
    """The runs of one command (or of one kind of command, when each run needs its own)."""

    label: str
    command: list[str]
    runs: list[Run] = field(default_factory=list)
    accepted_exits: tuple[int, ...] = (0,)
    note: str = ""
    stderr_tail: str = ""  # of the first run that exited unexpectedly

    @property
    def times(self) -> list[float]:
        return [r.seconds for r in self.runs]

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.runs else None

    @property
    def min(self) -> float | None:
        return min(self.times) if self.runs else None

    @property
    def peak_rss(self) -> int | None:
        known = [r.max_rss for r in self.runs if r.max_rss is not None]
        return max(known) if known else None

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.exit in self.accepted_exits for r in self.runs)

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "command": self.command,
            "runs": [
                {"seconds": round(r.seconds, 4), "exit": r.exit, "max_rss_mib": _mib(r.max_rss)}
                for r in self.runs
            ],
            "median_s": _round(self.median),
            "min_s": _round(self.min),
            "peak_rss_mib": _mib(self.peak_rss),
            "ok": self.ok,
            "accepted_exits": list(self.accepted_exits),
            "note": self.note,
            "stderr_tail": self.stderr_tail,
        }


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _mib(value: int | None) -> float | None:
    return None if value is None else round(value / MIB, 1)


def run_once(command: Sequence[str], cwd: Path, stdout: Path, stderr: Path) -> Run:
    """Run `command`, timing it from outside, with its output in files.

    The peak RSS comes from `wait4`, which reports for this one child the larger of its own
    peak and that of each descendant it waited for (worker processes): the largest single
    process, as `getrusage(RUSAGE_CHILDREN)` in a wrapper process would, without a wrapper's
    start-up inside the time."""
    with stdout.open("wb") as out, stderr.open("wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(list(command), cwd=cwd, stdout=out, stderr=err)
        exit_code, max_rss = _wait(process)
        seconds = time.perf_counter() - start
    return Run(seconds, exit_code, max_rss)


def _wait(process: subprocess.Popen[bytes]) -> tuple[int, int | None]:
    wait4 = getattr(os, "wait4", None)
    if wait4 is None:  # Windows: no rusage of a child
        return process.wait(), None
    _, status, usage = wait4(process.pid, 0)
    exit_code = os.waitstatus_to_exitcode(status)
    process.returncode = exit_code  # reaped here: Popen must not wait for it again
    # Linux reports kibibytes, macOS bytes.
    scale = 1 if sys.platform == "darwin" else 1024
    return exit_code, usage.ru_maxrss * scale


def tail(path: Path, chars: int = 2000) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return text[-chars:]


# -- report ----------------------------------------------------------------------------------


def format_seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def format_table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    """Left-aligned first column, right-aligned numbers."""
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    lines = []
    for row in (header, *rows):
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def measurement_table(measurements: Iterable[Mapping[str, Any]]) -> str:
    rows = []
    for m in measurements:
        rss = m["peak_rss_mib"]
        label = m["label"] + ("" if m["ok"] else " (FAILED)")
        rows.append(
            (
                label,
                str(len(m["runs"])),
                format_seconds(m["median_s"]),
                format_seconds(m["min_s"]),
                "-" if rss is None else f"{rss:.1f}",
            )
        )
    return format_table(rows, ("tool / mode", "runs", "median s", "min s", "peak RSS MiB"))


@dataclass(frozen=True)
class Check:
    """One goal of the issue: what was measured, the goal, and whether it is met; or, without
    a goal, a number printed for reference."""

    name: str
    value: str  # as printed: "12.3x faster", "0.35 s", "no"
    goal: str | None
    passed: bool | None  # None: could not be measured in this run, or no goal

    @property
    def verdict(self) -> str:
        return {True: "PASS", False: "MISS", None: "n/a"}[self.passed]

    def line(self) -> str:
        if self.goal is None:
            return f"{self.name}: {self.value}"
        return f"{self.name}: {self.value} (goal {self.goal}): {self.verdict}"

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "goal": self.goal, "passed": self.passed}


def _usable(m: Mapping[str, Any] | None) -> float | None:
    return m["median_s"] if m is not None and m["ok"] and m["median_s"] else None


_COMPARE = {">=": operator.ge, "<=": operator.le, "<": operator.lt}


def goal_check(
    name: str,
    value: float | None,
    shown: str | Callable[[float], str],
    compare: str,
    limit: float,
    unit: str,
) -> Check:
    """`value` (None: not measured) against `compare limit`; `shown` formats the value."""
    show = shown.format if isinstance(shown, str) else shown
    return Check(
        name,
        "n/a" if value is None else show(value),
        f"{compare} {limit:g}{unit}",
        None if value is None else _COMPARE[compare](value, limit),
    )


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def faster(ratio: float) -> str:
    """A ratio of times (theirs / ours) in words: "12.3x faster", or "2.5x slower"."""
    return f"{ratio:.1f}x faster" if ratio >= 1 else f"{1 / ratio:.1f}x slower"


def ratio_checks(measurements: Mapping[str, Mapping[str, Any]]) -> list[Check]:
    """The speed goals, from the medians of the measurements that were made (by key); a goal
    whose two sides were not both measured is left out, one whose command failed is n/a."""
    median = {key: _usable(m) for key, m in measurements.items()}
    checks = []
    if {"nc_cold", "flake8"} <= median.keys():
        checks.append(
            goal_check(
                "numba-check cold vs flake8 + flake8-numba",
                _ratio(median["flake8"], median["nc_cold"]),
                faster,
                ">=",
                GOAL_COLD_VS_FLAKE8,
                "x",
            )
        )
    if {"nc_cold", "ruff_cold"} <= median.keys():
        checks.append(
            goal_check(
                "numba-check cold / ruff cold",
                _ratio(median["nc_cold"], median["ruff_cold"]),
                "{:.1f}x",
                "<=",
                GOAL_COLD_VS_RUFF,
                "x",
            )
        )
    if {"nc_warm", "ruff_warm"} <= median.keys():
        checks.append(
            goal_check(
                "numba-check warm / ruff warm",
                _ratio(median["nc_warm"], median["ruff_warm"]),
                "{:.1f}x",
                "<=",
                GOAL_WARM_VS_RUFF,
                "x",
            )
        )
    if {"nc_warm", "ruff_warm_cached"} <= median.keys():
        value = _ratio(median["nc_warm"], median["ruff_warm_cached"])
        checks.append(
            Check(
                "numba-check warm / ruff warm with every file in its cache",
                "n/a" if value is None else f"{value:.1f}x",
                None,
                None,
            )
        )
    if "nc_one_compiled" in median:
        checks.append(
            goal_check(
                f"one file ({ONE_FILE_COMPILED[1]})",
                median["nc_one_compiled"],
                "{:.2f} s",
                "<",
                GOAL_ONE_FILE_S,
                " s",
            )
        )
    return checks


def render(report: Mapping[str, Any]) -> str:
    """The text report, from the same data that --json saves."""
    out = []
    machine = report["machine"]
    versions = report["versions"]
    out.append(
        f"machine: {machine['cpus']} CPUs ({machine['cpu_model']}), {machine['platform']}, "
        f"Python {machine['python']}\n"
    )
    out.append(
        "load average (1, 5, 15 min): start "
        + _load(machine["load_start"])
        + ", end "
        + _load(machine["load_end"])
        + "\n"
    )
    out.append("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()) + "\n")
    tree = report["tree"]
    out.append(
        f"tree: {tree['files']} .py files in {tree['folder']} ("
        + ", ".join(f"{p['root']} {p['files']}" for p in tree["packages"])
        + f"); runs per measurement: {report['runs']}\n"
    )
    for note in report["notes"]:
        out.append(f"note: {note}\n")
    measurements = report["measurements"]
    if measurements:
        out.append("\n" + measurement_table(measurements.values()))
        out.extend(f"  {m['label']}: {m['note']}\n" for m in measurements.values() if m["note"])
    failed = [m for m in measurements.values() if not m["ok"]]
    for m in failed:
        exits = sorted({r["exit"] for r in m["runs"]})
        out.append(f"\n{m['label']}: exit {exits}, expected {m['accepted_exits']}\n")
        if m["stderr_tail"]:
            out.append("  " + m["stderr_tail"].strip().replace("\n", "\n  ") + "\n")
    crashes = report.get("flake8_excluded")
    if crashes:
        out.append(
            f"\nflake8-numba crashes on {len(crashes)} file(s), which abort a whole flake8 run; "
            "flake8 was run without them (less work for flake8, so the ratio is conservative):\n"
        )
        out.extend(f"  {name}: {error}\n" for name, error in sorted(crashes.items()))
    tree_run = report.get("numba_check_tree")
    errors = (tree_run or {}).get("tool_codes", {}) or {}
    for code, where in sorted(errors.get("errors", {}).items()):
        out.append(f"\nnumba-check {code} on {len(where)} file(s) of the tree:\n")
        out.extend(f"  {w}\n" for w in where[:20])
        if len(where) > 20:
            out.append(f"  ... and {len(where) - 20} more (see --json)\n")
    cache = report.get("numba_check_cache")
    if cache:
        out.append(
            f"\nnumba-check's filled cache: {cache['files']} files, "
            f"{cache['bytes'] / 1024:.0f} KiB\n"
        )
    memory = report.get("memory")
    if memory:
        out.append("\n" + memory_text(memory))
    checks = [Check(**c) for c in report["checks"]]
    for title, chosen in (
        ("goals", [c for c in checks if c.goal is not None]),
        ("for reference", [c for c in checks if c.goal is None]),
    ):
        if chosen:
            out.append(f"\n{title}:\n")
            out.extend(f"  {c.line()}\n" for c in chosen)
    return "".join(out)


def _load(values: Sequence[float] | None) -> str:
    return "n/a" if values is None else " ".join(f"{v:.2f}" for v in values)


def memory_text(memory: Mapping[str, Any]) -> str:
    """Peak memory per package and for the whole tree, and how the tree's compares."""
    rows = [*memory["packages"], memory["tree"]]
    table = format_table(
        [
            (
                r["label"],
                str(r["files"]),
                "-" if r["diagnostics"] is None else str(r["diagnostics"]),
                "-" if r["peak_rss_mib"] is None else f"{r['peak_rss_mib']:.1f}",
                format_seconds(r["seconds"]),
            )
            for r in rows
        ],
        ("numba-check --no-cache on", "files", "diagnostics", "peak RSS MiB", "s"),
    )
    lines = ["memory (one run each, JSON report, peak RSS of the largest process):\n", table]
    tree = memory["tree"]
    measured = [p for p in memory["packages"] if p["peak_rss_mib"]]
    if measured and tree["peak_rss_mib"] and tree["files"]:
        # Peaks follow the largest file; only a tree's peak above its largest package's is
        # memory that grows with the tree.
        largest = max(measured, key=lambda p: p["peak_rss_mib"])
        lines.append(
            f"the whole tree's peak is {tree['peak_rss_mib'] / largest['peak_rss_mib']:.2f}x "
            f"that of {largest['label']} alone (the largest of the packages' peaks), "
            f"for {tree['files'] / max(largest['files'], 1):.1f}x its files\n"
        )
    return "".join(lines)


# -- numba-check's JSON report ---------------------------------------------------------------


def tool_codes(diagnostics: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """numba-check's NB9xx findings about itself: counts per code and the files of the errors.

    An NB9xx of severity error (a file it could not parse, decode or read) on code that Python
    parses and the package's CI runs is numba-check failing; the others (an empty file, an
    unused noqa) are findings."""
    counts: Counter[str] = Counter()
    errors: dict[str, list[str]] = {}
    for d in diagnostics:
        code = d.get("code") or ""
        if not code.startswith("NB9"):
            continue
        counts[code] += 1
        if d.get("severity") == "error":
            errors.setdefault(code, []).append(
                f"{d['filename']}:{d['location']['row']}: {d['message']}"
            )
    return {"counts": dict(sorted(counts.items())), "errors": errors}


def positions(diagnostics: Iterable[Mapping[str, Any]]) -> list[tuple[str, int, int, str]]:
    return sorted(
        (d["filename"], d["location"]["row"], d["location"]["column"], d["code"])
        for d in diagnostics
    )


def same_results(cold: list[dict[str, Any]], warm: list[dict[str, Any]] | None) -> Check:
    """Whether the warm run reported each diagnostic of the cold run, and nothing else."""
    name = "warm run reports what the cold run reports"
    if warm is None:
        return Check(name, "no JSON report from the warm run", "yes", False)
    before, after = Counter(positions(cold)), Counter(positions(warm))
    lost, gained = sum((before - after).values()), sum((after - before).values())
    if not lost and not gained:
        return Check(name, "yes", "yes", True)
    return Check(name, f"no: {lost} missing, {gained} extra", "yes", False)


def read_json_report(path: Path) -> list[dict[str, Any]] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, list) else None


# -- flake8-numba's crashes ------------------------------------------------------------------


def flake8_files(roots: Iterable[Path]) -> list[Path]:
    """The files flake8 checks under `roots` with its default `--exclude` and `--filename`."""
    found = []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not _flake8_excluded(d))
            found.extend(
                Path(folder, f)
                for f in sorted(files)
                if f.endswith(".py") and not _flake8_excluded(f)
            )
    return found


def _flake8_excluded(name: str) -> bool:
    return name in FLAKE8_EXCLUDE or name.endswith(FLAKE8_EXCLUDE_GLOB[1:])


def find_plugin_crashes(files: Iterable[Path], plugin: Callable[[ast.AST], Any]) -> dict[str, str]:
    """The files on which a flake8 AST plugin raises, with what it raised.

    As flake8 does: the plugin gets each file's `ast` tree and its `run()` is drained; a file
    that does not parse never reaches the plugin (flake8 reports E999 instead)."""
    crashes = {}
    for file in files:
        try:
            tree = ast.parse(file.read_bytes(), filename=str(file))
        except (SyntaxError, ValueError, OSError):
            continue
        try:
            for _ in plugin(tree).run():
                pass
        except Exception as exc:  # noqa: BLE001 - the crash is what is being looked for
            crashes[str(file)] = f"{type(exc).__name__}: {exc}"
    return crashes


def scan_main() -> int:
    """In the tools' environment: read file names (JSON) on stdin, print the crashes (JSON)."""
    from flake8_numba.plugin import Plugin  # only installed in the tools' environment

    files = [Path(name) for name in json.load(sys.stdin)]
    json.dump(find_plugin_crashes(files, Plugin), sys.stdout)
    return 0


def crash_key(files: Sequence[Path], base: Path, tool_versions: Mapping[str, str]) -> str:
    """What the scan's result depends on: each file's name and content, and the versions."""
    digest = hashlib.sha256(json.dumps(sorted(tool_versions.items())).encode())
    for file in sorted(files):
        digest.update(str(file.relative_to(base)).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def cached_scan(cache_file: Path, key: str, scan: Callable[[], dict[str, str]]) -> dict[str, str]:
    """`scan()`'s result, from `cache_file` when it holds one for `key`; a cache file that
    cannot be read, or holds another key, is scanned again and overwritten."""
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
        if data["key"] == key and isinstance(data["crashes"], dict):
            return {str(k): str(v) for k, v in data["crashes"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        pass
    crashes = scan()
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    cache_file.write_text(json.dumps({"key": key, "crashes": crashes}, indent=1), encoding="utf-8")
    return crashes


def flake8_command(flake8: Path, paths: Sequence[str], excluded: Iterable[str]) -> list[str]:
    command = [str(flake8), "--isolated", "--select=NBA", "--exit-zero"]
    excluded = sorted(excluded)
    if excluded:
        # Absolute paths: flake8 matches a pattern with a slash against the absolute path.
        command.append("--extend-exclude=" + ",".join(excluded))
    return command + list(paths)


# -- tools -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tools:
    python: Path
    flake8: Path
    ruff: Path


def _venv_tools(venv: Path) -> Tools:
    if os.name == "nt":
        scripts, suffix = venv / "Scripts", ".exe"
    else:
        scripts, suffix = venv / "bin", ""
    return Tools(
        scripts / f"python{suffix}", scripts / f"flake8{suffix}", scripts / f"ruff{suffix}"
    )


def ensure_tools(folder: Path, log: TextIO) -> Tools:
    """A virtual environment in `folder` with TOOL_PINS installed; reused while they match."""
    venv = folder / "venv"
    marker = folder / "pins.txt"
    wanted = "".join(p + "\n" for p in TOOL_PINS)
    tools = _venv_tools(venv)
    present = all(p.is_file() for p in (tools.python, tools.flake8, tools.ruff))
    if present and marker.is_file() and marker.read_text(encoding="utf-8") == wanted:
        return tools
    if venv.exists():
        shutil.rmtree(venv)
    folder.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    log.write(f"creating {venv} with {', '.join(p.split(';')[0] for p in TOOL_PINS)}\n")
    steps = (
        [sys.executable, "-m", "venv", str(venv)],
        [str(tools.python), "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
        + list(TOOL_PINS),
    )
    for step in steps:
        if subprocess.run(step, check=False).returncode != 0:
            raise SetupError(
                f"could not install the benchmark's tools into {venv}: {' '.join(step)}"
            )
    marker.write_text(wanted, encoding="utf-8")
    return tools


def tool_versions(python: Path) -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json, sys\n"
        "print(json.dumps({d: m.version(d) for d in sys.argv[1:]}))"
    )
    done = subprocess.run(
        [str(python), "-c", code, *TOOL_DISTRIBUTIONS], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SetupError(f"cannot read the tools' versions with {python}: {done.stderr.strip()}")
    return json.loads(done.stdout)


def numba_check_command() -> list[str]:
    """numba-check as installed beside this interpreter: its console script, else `-m`."""
    script = Path(sys.executable).with_name("numba-check" + (".exe" if os.name == "nt" else ""))
    if script.is_file():
        return [str(script)]
    if importlib.util.find_spec("numba_check") is None:
        raise SetupError(
            f"numba-check is not installed in the environment of {sys.executable}; run this "
            "script with the project's interpreter (e.g. .venv/bin/python benchmarks/speed.py)"
        )
    return [sys.executable, "-m", "numba_check"]


def byte_compile() -> str:
    """Byte-compile numba-check's modules, as pip does when it installs a package (and so when
    pre-commit installs a hook); an editable install under PYTHONDONTWRITEBYTECODE would
    otherwise compile every module from source on every run. Returns what it did, as a note."""
    spec = importlib.util.find_spec("numba_check")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    if not folders:
        return "numba-check's modules were not byte-compiled: its package was not found"
    import compileall

    compiled = all(compileall.compile_dir(folder, quiet=1) for folder in folders)
    outcome = "byte-compiled" if compiled else "byte-compiled, with errors,"
    return f"numba-check's modules {outcome} first, as pip does on install ({', '.join(folders)})"


# Run in a fresh interpreter: lint one file through the CLI, then list the numba modules loaded.
NUMBA_IMPORT_PROBE = """\
import contextlib, io, json, sys
from numba_check.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
loaded = sorted(m for m in sys.modules if m == "numba" or m.startswith("numba."))
print(json.dumps({"exit": code, "numba_modules": loaded}))
"""


def tree_fingerprint(roots: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """Every file under `roots` with its size and modification time: to show the runs left the
    tree as they found it."""
    found = {}
    for root in roots:
        for folder, _, files in os.walk(root):
            for name in files:
                path = os.path.join(folder, name)
                with contextlib.suppress(OSError):
                    st = os.stat(path)
                    found[path] = (st.st_size, st.st_mtime_ns)
    return found


# -- command line ----------------------------------------------------------------------------


def _parts(text: str) -> list[str]:
    chosen = [p.strip() for p in text.split(",") if p.strip()]
    unknown = [p for p in chosen if p not in PARTS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown part {', '.join(map(repr, unknown)) or repr(text)}; "
            f"choose from {', '.join(PARTS)} (comma-separated)"
        )
    return chosen


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="speed.py",
        description="Time numba-check, flake8 + flake8-numba and ruff on the real-code tree.",
    )
    parser.add_argument(
        "--runs",
        type=_positive,
        default=5,
        help="timed runs per measurement; the median and minimum are reported (default: 5)",
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=real_code.DEFAULT_DIR,
        help="where the tree is downloaded and unpacked (default: .realcode/ in the repository)",
    )
    parser.add_argument(
        "--tools",
        type=Path,
        metavar="DIR",
        help="where flake8, flake8-numba and ruff are installed (default: DIR/tools of --dir)",
    )
    parser.add_argument(
        "--only",
        type=_parts,
        action="append",
        metavar="PARTS",
        help=f"measure only these, comma-separated or repeated: {', '.join(PARTS)} (default: all)",
    )
    parser.add_argument(
        "--jobs",
        type=_positive,
        help="passed to numba-check on the tree, if its `check` has a --jobs option",
    )
    parser.add_argument(
        "--no-byte-compile",
        dest="byte_compile",
        action="store_false",
        help="time numba-check without byte-compiling its modules first (see the README)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save everything as JSON")
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    args = build_parser().parse_args(argv)
    chosen = {p for group in args.only or [list(PARTS)] for p in group}
    args.parts = tuple(p for p in PARTS if p in chosen)
    return args


# -- the benchmark ---------------------------------------------------------------------------


class Bench:
    """One run of the script: the tree, the tools, and the measurements made so far."""

    def __init__(self, args: argparse.Namespace, scratch: Path, log: TextIO) -> None:
        self.args = args
        self.scratch = scratch
        self.log = log
        self.folder: Path = args.dir.absolute()
        self.measurements: dict[str, Measurement] = {}
        self.notes: list[str] = []
        self.checks: list[Check] = []
        self.extra: dict[str, Any] = {}
        self.nc = numba_check_command()
        self.tools: Tools | None = None
        self.packages: dict[str, real_code.Package] = {}
        self.cold_report: list[dict[str, Any]] | None = None
        self.cold_probe: Run | None = None
        self.filled_cache: Path | None = None
        self.jobs: int | None = None  # --jobs, when numba-check has the option

    # -- setup

    def prepare(self) -> None:
        if self.args.byte_compile:
            self.notes.append(byte_compile())
        specs = [real_code.parse_spec(name) for name in real_code.PINS]
        fetched = real_code.fetch(specs, self.folder, self.log)
        self.packages = {spec.name: p for spec, p in zip(specs, fetched, strict=True)}
        if {"flake8", "ruff", "onefile"} & set(self.args.parts):
            self.tools = ensure_tools(self.tools_dir, self.log)
        if self.args.jobs is not None:
            help_text = subprocess.run(
                [*self.nc, "check", "--help"], capture_output=True, text=True, check=False
            ).stdout
            if "--jobs" in help_text:
                self.jobs = self.args.jobs
            else:
                self.notes.append(
                    f"--jobs {self.args.jobs} not passed on: `numba-check check` has no --jobs "
                    "option (it uses every CPU)"
                )

    @property
    def tools_dir(self) -> Path:
        return (self.args.tools or self.folder / "tools").absolute()

    @property
    def paths(self) -> list[str]:
        """The packages' folders, relative to --dir, where every tool runs."""
        return [p.root.name for p in self.packages.values()]

    def file_of(self, which: tuple[str, str]) -> str:
        package, inside = which
        return f"{self.packages[package].root.name}/{inside}"

    def nc_args(
        self, *extra: str, paths: Sequence[str] | None = None, folders: bool | None = None
    ) -> list[str]:
        """numba-check on the tree, or on `paths` (folders, or one file as pre-commit passes)."""
        # The tree lives in .realcode/, which the repository's .gitignore lists.
        command = [*self.nc, "check", "--isolated", "--no-respect-gitignore", *extra]
        if (paths is None if folders is None else folders) and self.jobs is not None:
            command += ["--jobs", str(self.jobs)]
        return command + (self.paths if paths is None else list(paths))

    # -- measuring

    def measure(
        self,
        key: str,
        label: str,
        command: Callable[[int], list[str]] | list[str],
        *,
        warmup: bool,
        accepted: tuple[int, ...] = (0,),
        note: str = "",
    ) -> Measurement:
        """--runs timed runs of `command` (or of command(i) for run i), after one untimed run
        if `warmup`."""
        make = command if callable(command) else (lambda _i: list(command))
        m = Measurement(label, make(0), accepted_exits=accepted, note=note)
        self.measurements[key] = m
        out, err = self.scratch / f"{key}.out", self.scratch / f"{key}.err"
        if warmup:
            self.log.write(f"{label}: warm-up\n")
            run_once(make(0), self.folder, out, err)
        total = self.args.runs
        for i in range(total):
            run = run_once(make(i), self.folder, out, err)
            m.runs.append(run)
            if run.exit not in accepted and not m.stderr_tail:
                m.stderr_tail = tail(err)
            self.log.write(
                f"{label}: run {i + 1}/{total}: {run.seconds:.3f} s, exit {run.exit}, "
                f"{_mib(run.max_rss) or '?'} MiB\n"
            )
        return m

    def json_run(
        self,
        name: str,
        *extra: str,
        paths: Sequence[str] | None = None,
        folders: bool | None = None,
    ) -> tuple[Run, list[dict[str, Any]] | None]:
        """An untimed numba-check run writing its JSON report: what it found, and its exit."""
        report = self.scratch / f"{name}.json"
        report.unlink(missing_ok=True)
        self.log.write(f"numba-check on {name}, JSON report\n")
        run = run_once(
            self.nc_args(
                *extra, "--output-format", "json", "-o", str(report), paths=paths, folders=folders
            ),
            self.folder,
            self.scratch / f"{name}.out",
            self.scratch / f"{name}.err",
        )
        return run, read_json_report(report)

    # -- parts

    def cold(self) -> None:
        # The untimed warm-up of the --no-cache runs also answers: exit status, NB9xx.
        self.cold_probe, self.cold_report = self.json_run("tree", "--no-cache")
        self.extra["numba_check_tree"] = {
            "exit": self.cold_probe.exit,
            "diagnostics": None if self.cold_report is None else len(self.cold_report),
            "tool_codes": None if self.cold_report is None else tool_codes(self.cold_report),
        }
        cold = self.measure(
            "nc_cold",
            "numba-check cold (--no-cache)",
            self.nc_args("--no-cache"),
            warmup=False,
            accepted=(0, 1),
        )
        fill = self.measure(
            "nc_fill",
            "numba-check cold, filling an empty --cache-dir",
            lambda i: self.nc_args("--cache-dir", str(self.scratch / f"nc-cache-{i}")),
            warmup=False,
            accepted=(0, 1),
        )
        if fill.runs:
            self.filled_cache = self.scratch / f"nc-cache-{len(fill.runs) - 1}"
        self.exit_check([self.cold_probe, *cold.runs, *fill.runs])

    def exit_check(self, runs: Sequence[Run]) -> None:
        exits = sorted({r.exit for r in runs})
        self.checks.append(
            Check(
                "numba-check exit status on the tree",
                ", ".join(map(str, exits)),
                "0 or 1",
                all(e in (0, 1) for e in exits),
            )
        )
        codes = self.extra["numba_check_tree"]["tool_codes"]
        if codes is None:
            self.checks.append(Check("NB9xx errors on the tree", "no JSON report", "0", False))
            return
        counts = ", ".join(f"{c} x{n}" for c, n in codes["counts"].items()) or "none"
        errors = sum(len(v) for v in codes["errors"].values())
        self.checks.append(
            Check(
                "NB9xx errors on the tree (unparsed, undecoded, unread files)",
                f"{errors} (all NB9xx: {counts})",
                "0",
                errors == 0,
            )
        )

    def warm(self) -> None:
        if self.filled_cache is None:
            self.filled_cache = self.scratch / "nc-cache-warm"
            self.log.write("numba-check: filling a cache for the warm runs\n")
            run_once(
                self.nc_args("--cache-dir", str(self.filled_cache)),
                self.folder,
                self.scratch / "fill.out",
                self.scratch / "fill.err",
            )
        args = ("--cache-dir", str(self.filled_cache))
        self.measure(
            "nc_warm",
            "numba-check warm (cache filled, nothing changed)",
            self.nc_args(*args),
            warmup=True,
            accepted=(0, 1),
        )
        self.cache_check(self.filled_cache)
        if self.cold_report is not None:
            # A cache that loses results would be fast for the wrong reason.
            _, warm_report = self.json_run("tree-warm", *args)
            self.checks.append(same_results(self.cold_report, warm_report))

    def cache_check(self, folder: Path) -> None:
        entries = [p for p in folder.rglob("*") if p.is_file()]
        tag = (folder / "CACHEDIR.TAG").is_file() and (folder / "CACHEDIR.TAG").read_text(
            encoding="utf-8"
        ).startswith("Signature: 8a477f597d28d172789f06886806bc55")
        ignore = _ignore_patterns(folder / ".gitignore") == ["*"]
        self.extra["numba_check_cache"] = {
            "files": len(entries),
            "bytes": sum(p.stat().st_size for p in entries),
            "cachedir_tag": tag,
            "gitignore_all": ignore,
        }
        missing = [
            name for name, ok in (("CACHEDIR.TAG", tag), (".gitignore of *", ignore)) if not ok
        ]
        self.checks.append(
            Check(
                "cache folder marked (CACHEDIR.TAG, .gitignore of *)",
                "no " + " nor ".join(missing) if missing else "yes",
                "yes",
                not missing,
            )
        )

    def flake8(self) -> None:
        assert self.tools is not None
        versions = tool_versions(self.tools.python)
        files = flake8_files(p.root for p in self.packages.values())
        # "scan": the cache's format; bumped when what it stores changes.
        key = crash_key(
            files, self.folder, {**versions, "python": self._tools_python(), "scan": "2"}
        )
        self.log.write(f"flake8-numba crash scan of {len(files)} files (cached by content)\n")

        def scan() -> dict[str, str]:
            # Relative to --dir, as the key is: the result holds wherever the tree lies.
            found = self._scan(files)
            return {Path(k).relative_to(self.folder).as_posix(): v for k, v in found.items()}

        crashes = cached_scan(self.tools_dir / "flake8-numba-crashes.json", key, scan)
        self.extra["flake8_excluded"] = crashes
        self.measure(
            "flake8",
            "flake8 --select=NBA (flake8-numba)",
            flake8_command(
                self.tools.flake8, self.paths, [str(self.folder / name) for name in crashes]
            ),
            warmup=True,
            note=f"{len(files) - len(crashes)} of {len(files)} files; flake8-numba crashes "
            f"on the other {len(crashes)}",
        )

    def _tools_python(self) -> str:
        assert self.tools is not None
        return subprocess.run(
            [str(self.tools.python), "-c", "import sys; print(sys.version)"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()

    def _scan(self, files: Sequence[Path]) -> dict[str, str]:
        assert self.tools is not None
        code = (
            f"import sys; sys.path.insert(0, {str(HERE)!r}); import speed; "
            "raise SystemExit(speed.scan_main())"
        )
        done = subprocess.run(
            [str(self.tools.python), "-c", code],
            input=json.dumps([str(f) for f in files]),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise SetupError(f"the flake8-numba crash scan failed:\n{done.stderr.strip()}")
        return json.loads(done.stdout)

    def ruff_command(self, *extra: str, paths: Sequence[str] | None = None) -> list[str]:
        assert self.tools is not None
        # --isolated: the repository's own [tool.ruff] must not apply to the tree. Stubs (.pyi)
        # left out: the other tools check only .py files.
        command = [str(self.tools.ruff), "check", "--isolated", "--exit-zero", *extra]
        return command + ["--extend-exclude", "*.pyi", *(self.paths if paths is None else paths)]

    def ruff(self) -> None:
        self.measure(
            "ruff_cold", "ruff cold (--no-cache)", self.ruff_command("--no-cache"), warmup=True
        )
        # Their warm-up runs fill the caches.
        self.measure(
            "ruff_warm",
            "ruff warm (cache filled)",
            self.ruff_command("--cache-dir", str(self.scratch / "ruff-cache")),
            warmup=True,
        )
        # ruff does not cache a file that has diagnostics (astral-sh/ruff#19869), so with its
        # default rules its warm run lints most of this tree again. With rules that find
        # nothing here, every file is in its cache: ruff's fastest warm run, for reference.
        self.measure(
            "ruff_warm_cached",
            "ruff warm, every file cached (--select E9: nothing to report)",
            self.ruff_command("--select", "E9", "--cache-dir", str(self.scratch / "ruff-cache-e9")),
            warmup=True,
        )

    def onefile(self) -> None:
        assert self.tools is not None
        compiled, plain = self.file_of(ONE_FILE_COMPILED), self.file_of(ONE_FILE_PLAIN)
        # As pre-commit runs it: the hook's entry, one file, no cache to help.
        hook = ("--force-exclude", "--no-cache")
        self.measure(
            "nc_one_compiled",
            f"numba-check one file, @njit ({ONE_FILE_COMPILED[1]})",
            self.nc_args(*hook, paths=[compiled]),
            warmup=True,
            accepted=(0, 1),
        )
        self.measure(
            "nc_one_plain",
            f"numba-check one file, no Numba ({ONE_FILE_PLAIN[1]})",
            self.nc_args(*hook, paths=[plain]),
            warmup=True,
            accepted=(0, 1),
        )
        self.measure(
            "ruff_one_compiled",
            f"ruff one file ({ONE_FILE_COMPILED[1]})",
            self.ruff_command("--no-cache", paths=[compiled]),
            warmup=True,
        )
        self.measure(
            "flake8_one_compiled",
            f"flake8 --select=NBA one file ({ONE_FILE_COMPILED[1]})",
            flake8_command(self.tools.flake8, [compiled], ()),
            warmup=True,
        )
        self.numba_imported(compiled, hook)

    def numba_imported(self, file: str, hook: Sequence[str]) -> None:
        done = subprocess.run(
            [sys.executable, "-c", NUMBA_IMPORT_PROBE, "check", "--isolated", *hook, file],
            cwd=self.folder,
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            found = json.loads(done.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            self.notes.append(f"numba import probe failed: {done.stderr.strip()[-500:]}")
            self.checks.append(Check("numba imported by the lint path", "n/a", "no", None))
            return
        self.extra["numba_imported"] = {"file": file, **found}
        modules = found["numba_modules"]
        self.checks.append(
            Check(
                f"numba imported by the lint path ({ONE_FILE_COMPILED[1]})",
                f"yes ({len(modules)} modules, e.g. {modules[0]})" if modules else "no",
                "no",
                not modules,
            )
        )

    def memory(self) -> None:
        """Peak memory on each package alone and on the whole tree: what grows with the tree
        shows as a tree's peak above its largest package's."""
        packages = []
        for package in self.packages.values():
            run, report = self.json_run(
                package.root.name, "--no-cache", paths=[package.root.name], folders=True
            )
            packages.append(_memory_row(package.root.name, package.root, run, report))
        if self.cold_probe is None:
            self.cold_probe, self.cold_report = self.json_run("tree", "--no-cache")
        tree = {
            "label": "the whole tree",
            "files": self.extra["tree"]["files"],
            "diagnostics": None if self.cold_report is None else len(self.cold_report),
            "peak_rss_mib": _mib(self.cold_probe.max_rss),
            "seconds": round(self.cold_probe.seconds, 3),
            "exit": self.cold_probe.exit,
        }
        self.extra["memory"] = {"packages": packages, "tree": tree}

    # -- the whole

    def run(self) -> dict[str, Any]:
        machine: dict[str, Any] = {"load_start": _loadavg()}
        self.prepare()
        roots = [p.root for p in self.packages.values()]
        self.extra["tree"] = {
            "folder": str(self.folder),
            "files": len(flake8_files(roots)),
            "packages": [
                {"root": p.root.name, "files": len(flake8_files([p.root]))}
                for p in self.packages.values()
            ],
        }
        before = tree_fingerprint(roots)
        for part in self.args.parts:
            getattr(self, part)()
        self.checks = (
            ratio_checks({k: m.to_json() for k, m in self.measurements.items()}) + self.checks
        )
        unchanged = tree_fingerprint(roots) == before
        self.checks.append(
            Check("tree left unchanged", "yes" if unchanged else "no", "yes", unchanged)
        )
        machine.update(_machine())
        machine["load_end"] = _loadavg()
        versions = {"numba-check": self._nc_version()}
        if self.tools is not None:
            versions.update(tool_versions(self.tools.python))
        return {
            "machine": machine,
            "versions": versions,
            "runs": self.args.runs,
            "parts": list(self.args.parts),
            "notes": self.notes,
            "measurements": {k: m.to_json() for k, m in self.measurements.items()},
            "checks": [c.to_json() for c in self.checks],
            **self.extra,
        }

    def _nc_version(self) -> str:
        done = subprocess.run([*self.nc, "--version"], capture_output=True, text=True, check=False)
        return done.stdout.strip().removeprefix("numba-check ").strip() or "unknown"


def _ignore_patterns(path: Path) -> list[str] | None:
    """The patterns of a .gitignore file (comments and blank lines left out)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _memory_row(
    label: str, root: Path, run: Run, report: list[dict[str, Any]] | None
) -> dict[str, Any]:
    return {
        "label": label,
        "files": len(flake8_files([root])),
        "diagnostics": None if report is None else len(report),
        "peak_rss_mib": _mib(run.max_rss),
        "seconds": round(run.seconds, 3),
        "exit": run.exit,
    }


def _loadavg() -> list[float] | None:
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def _machine() -> dict[str, Any]:
    model = platform.processor() or "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    affinity = getattr(os, "sched_getaffinity", None)
    return {
        "cpus": len(affinity(0)) if affinity else os.cpu_count(),
        "cpu_model": model,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "executable": sys.executable,
    }


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    args = parse_args(argv)
    try:
        with tempfile.TemporaryDirectory(prefix="numba-check-speed-") as scratch:
            report = Bench(args, Path(scratch), sys.stderr).run()
    except (SetupError, RuntimeError, ValueError) as exc:
        sys.stderr.write(f"speed.py: error: {exc}\n")
        return 2
    out.write(render(report))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
