"""Speed-ups that last: save each run's figures, compare with a saved run, fail on a regression.

``--numba-save NAME`` / ``--numba-autosave`` write one JSON file per run under the storage folder
(``.numba_check/`` beside the rootdir, or ``--numba-storage`` / ``numba_check_storage``);
``--numba-compare [NAME]`` shows the change per check against a saved run (the latest when no
name is given); ``--numba-compare-fail=speedup:10%`` (and ``compile:50%``) fails the session when
a check got worse by more than that. As pytest-benchmark does, with numba-check's own figures:
speed-up, both best times and the compile time.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest

from numba_check.pytest_plugin import columns
from numba_check.pytest_plugin import options as opts
from numba_check.pytest_plugin import report as reporting
from numba_check.pytest_plugin.timing import fmt_time

FORMAT = 1
LATEST = "latest"
CRITERIA = {"speedup": "the speed-up fell", "compile": "the compile time grew"}


@dataclass(frozen=True)
class Threshold:
    """``speedup:10%``: fail when the speed-up fell by more than 10 %."""

    what: str
    percent: float

    def __str__(self) -> str:
        return f"{self.what}:{self.percent:g}%"


@dataclass(frozen=True)
class Settings:
    save: str | None
    autosave: bool
    storage: Path
    compare: str | None
    fail: tuple[Threshold, ...]


def addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup(opts.GROUP)
    group.addoption(
        "--numba-save",
        dest="numba_save",
        metavar="NAME",
        default=None,
        help="Save this run's numba-check figures (speed-up, times, compile time, machine, "
        "versions, commit) as NAME in the storage folder.",
    )
    group.addoption(
        "--numba-autosave",
        dest="numba_autosave",
        action="store_true",
        default=False,
        help="Save this run's numba-check figures under an automatic name (counter, commit, date).",
    )
    group.addoption(
        "--numba-storage",
        dest="numba_storage",
        metavar="PATH",
        default=None,
        help="Folder of saved runs (default .numba_check in the rootdir). Ini: "
        "numba_check_storage; environment: NUMBA_CHECK_STORAGE.",
    )
    group.addoption(
        "--numba-compare",
        dest="numba_compare",
        metavar="NAME",
        nargs="?",
        const=LATEST,
        default=None,
        help="Compare this run's figures with a saved run: NAME, its number, or the latest "
        "saved run when no NAME is given.",
    )
    group.addoption(
        "--numba-compare-fail",
        dest="numba_compare_fail",
        metavar="WHAT:PERCENT",
        action="append",
        default=None,
        help="With --numba-compare: fail the session when a check's speed-up fell by more than "
        "PERCENT (speedup:10%%) or its compile time grew by more than PERCENT (compile:50%%). "
        "Repeat it or separate with commas.",
    )
    parser.addini(
        "numba_check_storage", help="Folder of saved numba-check runs (default .numba_check)."
    )


def parse_thresholds(values: list[str], source: str) -> tuple[Threshold, ...]:
    found = []
    for value in values:
        for part in filter(None, (p.strip() for p in value.split(","))):
            m = re.fullmatch(r"(\w+):([0-9]*\.?[0-9]+)%?", part)
            if m is None or m.group(1) not in CRITERIA:
                raise pytest.UsageError(
                    f"numba-check: invalid value for {source}: {part!r}; expected speedup:PERCENT "
                    "or compile:PERCENT, e.g. speedup:10%"
                )
            found.append(Threshold(m.group(1), float(m.group(2))))
    return tuple(found)


def resolve(config: pytest.Config) -> Settings:
    o = config.option
    storage, source = o.numba_storage, "command line option --numba-storage"
    if not storage and os.environ.get("NUMBA_CHECK_STORAGE"):
        storage, source = os.environ["NUMBA_CHECK_STORAGE"], "environment NUMBA_CHECK_STORAGE"
    if not storage and config.getini("numba_check_storage"):
        storage, source = config.getini("numba_check_storage"), "ini numba_check_storage"
    base = Path(config.rootpath)
    folder = base / (storage or ".numba_check")
    if folder.exists() and not folder.is_dir():
        raise pytest.UsageError(
            f"numba-check: the storage folder {folder} ({source}) is not a directory"
        )
    save = o.numba_save
    if save is not None and not re.fullmatch(r"[\w.-]+", save):
        raise pytest.UsageError(
            f"numba-check: invalid value for command line option --numba-save: {save!r}; "
            "use letters, digits, '.', '-' and '_'"
        )
    fail = parse_thresholds(o.numba_compare_fail or [], "command line option --numba-compare-fail")
    if fail and o.numba_compare is None:
        raise pytest.UsageError("numba-check: --numba-compare-fail needs --numba-compare")
    return Settings(save, bool(o.numba_autosave), folder, o.numba_compare, fail)


# -- what a run records ---------------------------------------------------------------------
def _version(name: str) -> str | None:
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:  # noqa: BLE001 - not installed
        return None


def _git(root: Path) -> dict[str, Any] | None:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10
        )
        if commit.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": commit.stdout.strip(), "dirty": bool(dirty.stdout.strip())}


def machine_info() -> dict[str, Any]:
    return {
        "node": platform.node(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "system": platform.system(),
        "cpu_count": os.cpu_count(),
    }


def run_record(config: pytest.Config, name: str, rows: list[reporting.Row]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "name": name,
        "datetime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine_info(),
        "python": platform.python_version(),
        "numba": _version("numba"),
        "numpy": _version("numpy"),
        "git": _git(Path(config.rootpath)),
        "checks": [
            {k: reporting_json(v) for k, v in asdict(r).items() if k != "detail"} for r in rows
        ],
    }


def reporting_json(value: Any) -> Any:
    # JSON has no inf or NaN: such a figure is stored as null.
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    return value


# -- the storage folder -----------------------------------------------------------------------
def saved_runs(folder: Path) -> list[Path]:
    """Saved runs, oldest first (by their number)."""
    if not folder.is_dir():
        return []
    return sorted(
        (p for p in folder.glob("[0-9][0-9][0-9][0-9]_*.json") if p.is_file()),
        key=lambda p: p.name,
    )


def next_path(folder: Path, name: str) -> Path:
    runs = saved_runs(folder)
    number = int(runs[-1].name[:4]) + 1 if runs else 1
    return folder / f"{number:04d}_{name}.json"


def auto_name(config: pytest.Config) -> str:
    git = _git(Path(config.rootpath))
    commit = git["commit"][:8] + ("-dirty" if git["dirty"] else "") if git else "nogit"
    return f"{commit}_{time.strftime('%Y%m%d_%H%M%S', time.gmtime())}"


def find_run(folder: Path, wanted: str, exclude: Path | None) -> Path:
    """A saved run by NAME, number (0003 or 3), file name or path; LATEST: the newest one."""
    runs = [p for p in saved_runs(folder) if p != exclude]
    if wanted == LATEST:
        if not runs:
            raise LookupError(f"no saved run in {folder} to compare with (save one first)")
        return runs[-1]
    direct = Path(wanted)
    if direct.suffix == ".json" and direct.is_file():
        return direct
    for p in reversed(runs):
        stem = p.stem
        if wanted in (stem, stem[5:], p.name) or (
            wanted.isdigit() and int(wanted) == int(stem[:4])
        ):
            return p
    names = ", ".join(p.stem for p in runs[-8:]) or "none"
    raise LookupError(f"no saved run named {wanted!r} in {folder} (saved: {names})")


def load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LookupError(f"cannot read the saved run {path}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("checks"), list):
        raise LookupError(f"{path} is not a saved numba-check run")
    return data


# -- comparing --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    test: str
    function: str
    old_speedup: float | None
    new_speedup: float | None
    old_compile: float | None
    new_compile: float | None
    status: str

    def percent(self, what: str) -> float | None:
        old, new = (
            (self.old_speedup, self.new_speedup)
            if what == "speedup"
            else (self.old_compile, self.new_compile)
        )
        if old is None or new is None or old <= 0:
            return None
        return (new - old) / old * 100


def _key(check: dict[str, Any]) -> tuple[str, str]:
    return (str(check.get("test")), str(check.get("function")))


def _timed(checks: list[dict[str, Any]]) -> dict[tuple[str, str, int], dict[str, Any]]:
    # One test may check several functions, or one function several times: keep their order.
    seen: dict[tuple[str, str], int] = {}
    out = {}
    for c in checks:
        if str(c.get("status", "")).startswith("fuzz"):
            continue
        k = _key(c)
        n = seen.get(k, 0)
        seen[k] = n + 1
        out[(*k, n)] = c
    return out


def changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    before, after = _timed(old), _timed(new)
    result = []
    for key, c in after.items():
        o = before.get(key)
        result.append(
            Change(
                test=key[0],
                function=key[1] + (f" #{key[2] + 1}" if key[2] else ""),
                old_speedup=o.get("speedup") if o else None,
                new_speedup=c.get("speedup"),
                old_compile=o.get("compile_time") if o else None,
                new_compile=c.get("compile_time"),
                status="new" if o is None else str(c.get("status", "")),
            )
        )
    return result


def regressions(found: list[Change], thresholds: tuple[Threshold, ...]) -> list[str]:
    problems = []
    for ch in found:
        for t in thresholds:
            pct = ch.percent(t.what)
            if pct is None:
                continue
            if t.what == "speedup" and -pct > t.percent:
                problems.append(
                    f"{ch.test} ({ch.function}): speed-up {_x(ch.old_speedup)} -> "
                    f"{_x(ch.new_speedup)} ({pct:+.1f}%, allowed -{t.percent:g}%)"
                )
            elif t.what == "compile" and pct > t.percent:
                problems.append(
                    f"{ch.test} ({ch.function}): compile time {fmt_time(ch.old_compile)} -> "
                    f"{fmt_time(ch.new_compile)} ({pct:+.1f}%, allowed +{t.percent:g}%)"
                )
    return problems


def _x(value: float | None) -> str:
    return "-" if value is None else f"{value:.3g}x"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f}%"


def comparison_table(found: list[Change], width: int) -> list[str]:
    header = ("test", "function", "speedup", "before", "change", "compile", "before", "change")
    body = [
        (
            c.test,
            c.function,
            _x(c.new_speedup),
            _x(c.old_speedup),
            "new" if c.status == "new" else _pct(c.percent("speedup")),
            fmt_time(c.new_compile),
            fmt_time(c.old_compile),
            _pct(c.percent("compile")),
        )
        for c in found
    ]
    # Narrow terminals lose the compile figures first, then the function name.
    return columns.fit(header, body, width, drop=(6, 7, 5, 1))


# -- the plugin object --------------------------------------------------------------------------
class History:
    """Saves and compares at the end of the session, on the controller only (not xdist workers)."""

    def __init__(self, config: pytest.Config, settings: Settings) -> None:
        self.config = config
        self.settings = settings
        self.saved: Path | None = None
        self.compared: Path | None = None
        self.found: list[Change] = []
        self.problems: list[str] = []
        self.error: str | None = None
        self.other_machine = ""

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        s = self.settings
        rows = self.config.stash.get(reporting.rows_key, [])
        if s.save or s.autosave:
            name = s.save or auto_name(self.config)
            try:
                s.storage.mkdir(parents=True, exist_ok=True)
                path = next_path(s.storage, name)
                record = run_record(self.config, path.stem[5:], rows)
                path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
                self.saved = path
            except OSError as exc:
                self.error = f"cannot save the run in {s.storage}: {exc}"
        if s.compare is not None:
            try:
                self.compared = find_run(s.storage, s.compare, self.saved)
                old = load(self.compared)
            except LookupError as exc:
                self.error = str(exc)
                if s.fail:
                    session.exitstatus = pytest.ExitCode.USAGE_ERROR
                return
            new = [{k: reporting_json(v) for k, v in asdict(r).items()} for r in rows]
            self.found = changes(old["checks"], new)
            if old.get("machine", {}).get("node") != platform.node():
                self.other_machine = f"{old.get('machine', {}).get('node')} (another machine)"
            self.problems = regressions(self.found, s.fail)
            if self.problems and session.exitstatus == pytest.ExitCode.OK:
                session.exitstatus = pytest.ExitCode.TESTS_FAILED

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        tr = terminalreporter
        if self.saved is None and self.compared is None and self.error is None:
            return
        if self.compared is not None:
            tr.write_sep("=", f"numba-check: compared with {self.compared.stem}")
            width = getattr(getattr(tr, "_tw", None), "fullwidth", 80)
            for line in comparison_table(self.found, width):
                tr.write_line(line)
            if self.other_machine:
                tr.write_line(f"saved on {self.other_machine}: the figures may not compare")
            if self.problems:
                thresholds = ", ".join(map(str, self.settings.fail))
                tr.write_line(
                    f"numba-check: {len(self.problems)} regression(s) beyond "
                    f"--numba-compare-fail={thresholds}:",
                    red=True,
                    bold=True,
                )
                for p in self.problems:
                    tr.write_line(f"  {p}", red=True)
        if self.error:
            tr.write_line(f"numba-check: {self.error}", red=True)
        if self.saved is not None:
            tr.write_line(f"numba-check: figures saved in {self.saved}")


def configure(config: pytest.Config) -> None:
    """Register the History plugin when saving or comparing is asked (controller only)."""
    settings = resolve(config)
    if hasattr(config, "workerinput"):
        return  # xdist workers send their rows to the controller, which saves them
    if settings.save or settings.autosave or settings.compare is not None:
        config.pluginmanager.register(History(config, settings), "numba-check-history")
