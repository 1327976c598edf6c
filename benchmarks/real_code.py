"""Lint real Numba code and count what numba-check says about it.

Downloads packages with pip (``--no-deps``, into ``.realcode/``, reusing what is already there),
unpacks their wheels or sdists, lints every file with numba-check and prints, per package, the
number of files and compiled functions and the diagnostics per code, absolute and per 1,000
compiled functions. Code from maintained packages compiles in their CI, so every error reported
here is a false alarm until shown otherwise.

    python benchmarks/real_code.py                      # the four default packages
    python benchmarks/real_code.py pyts tslearn --json out.json
    python benchmarks/real_code.py numba==0.60.0 --target-numba 0.60 --select NB1,NB2
    python benchmarks/real_code.py --download-only
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import traceback
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DIR = REPO / ".realcode"
# Pinned so that numbers from two runs compare; a bare name on the command line picks its pin, a
# full requirement (`numba==0.60.0`, `pyts`) is passed to pip as it is.
PINS = {
    "numba": "numba==0.68.1",
    "pyts": "pyts==0.14.1",
    "tslearn": "tslearn==0.10.0",
    "interpolation": "interpolation==2.2.7",
}
ARCHIVE_SUFFIXES = (".whl", ".tar.gz", ".zip")
SEVERITIES = ("error", "warning", "info")
UNPACKED_MARK = ".unpacked"


# -- packages: specs, download, unpack ------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """A requirement as pip reads it, reduced to what finding its archive needs."""

    requirement: str
    name: str  # normalised: lower case, runs of `-_.` as `_` (as in wheel file names)
    version: str | None  # the pinned version (`==`), else None: any archive of the name will do


_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:==\s*([A-Za-z0-9.+!_-]+))?\s*$")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def parse_spec(text: str) -> Spec:
    """`numba` -> its pin; `numba==0.60.0` or `pyts` -> as given. Other specifiers are refused:
    without a pinned version the archive already downloaded could not be told apart."""
    requirement = PINS.get(text.strip().lower(), text.strip())
    found = _REQUIREMENT.match(requirement)
    if found is None:
        raise ValueError(f"not a package name or name==version: {text!r}")
    return Spec(requirement, normalise(found.group(1)), found.group(2))


def archive_version(spec: Spec, archive: Path) -> str | None:
    """The version in `archive`'s file name when it is an archive of `spec`'s package."""
    name = archive.name
    for suffix in ARCHIVE_SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            break
    else:
        return None
    # Wheels: name-version-tags; sdists: name-version (the name may itself hold dashes).
    if suffix == ".whl":
        parts = stem.split("-")
        dist, version = parts[0], parts[1] if len(parts) > 1 else ""
    else:
        dist, _, version = stem.rpartition("-")
    if normalise(dist) != spec.name or not version:
        return None
    return version


def find_archive(spec: Spec, downloads: Path) -> Path | None:
    """An archive of `spec` already in `downloads` (a wheel before an sdist), else None."""
    if not downloads.is_dir():
        return None
    matches = []
    for archive in sorted(downloads.iterdir()):
        version = archive_version(spec, archive)
        if version is not None and (spec.version is None or version == spec.version):
            matches.append(archive)
    matches.sort(key=lambda a: (not a.name.endswith(".whl"), a.name))
    return matches[0] if matches else None


def download(spec: Spec, downloads: Path, log: TextIO) -> Path:
    """The archive of `spec`: the one already downloaded, else a wheel, else an sdist, via pip."""
    archive = find_archive(spec, downloads)
    if archive is not None:
        return archive
    downloads.mkdir(parents=True, exist_ok=True)
    # A wheel holds the same .py files as the sdist and needs no build; numba's sdist needs a
    # compiler even to be downloaded with --no-binary, so the wheel is tried first.
    for binary in ("--only-binary", "--no-binary"):
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--disable-pip-version-check",
            "--quiet",
            binary,
            ":all:",
            "--dest",
            str(downloads),
            spec.requirement,
        ]
        log.write(f"pip download {spec.requirement} ({binary} :all:)\n")
        if subprocess.run(command, check=False).returncode == 0:
            archive = find_archive(spec, downloads)
            if archive is not None:
                return archive
    raise RuntimeError(f"pip could not download {spec.requirement}")


def unpack(spec: Spec, archive: Path, into: Path) -> Path:
    """`into/name-version`, where `archive` is unpacked, unless it already was."""
    target = into / f"{spec.name}-{archive_version(spec, archive)}"
    mark = target / UNPACKED_MARK
    if mark.is_file() and mark.read_text(encoding="utf-8").strip() == archive.name:
        return target
    if target.exists():
        shutil.rmtree(target)  # half unpacked, or from another archive of that version
    target.mkdir(parents=True)
    if archive.name.endswith(".tar.gz"):
        with tarfile.open(archive) as tar:
            # "data": no absolute paths, links out of the folder or device files.
            tar.extractall(target, filter="data")
    else:
        with zipfile.ZipFile(archive) as zipped:
            for member in zipped.namelist():
                if member.startswith("/") or ".." in Path(member).parts:
                    raise RuntimeError(f"{archive.name}: unsafe member path {member!r}")
            zipped.extractall(target)
    mark.write_text(archive.name + "\n", encoding="utf-8")
    return target


@dataclass(frozen=True)
class Package:
    name: str  # the distribution as given on the command line (`numba`, `pyts==0.14.1`)
    archive: str  # the archive's file name, which names its version
    root: Path  # the unpacked tree that is linted


def fetch(specs: Sequence[Spec], folder: Path, log: TextIO) -> list[Package]:
    downloads = folder / "downloads"
    packages = []
    for spec in specs:
        archive = download(spec, downloads, log)
        root = unpack(spec, archive, folder)
        packages.append(Package(spec.requirement, archive.name, root))
    return packages


# -- linting ---------------------------------------------------------------------------------


@dataclass
class FileResult:
    package: str
    display: str
    compiled: Counter[str]  # compiled functions per target
    diagnostics: list[dict[str, Any]]
    seconds: float  # CPU time of the process that linted it
    crash: str | None = None  # numba-check failed on this file: the exception and where


# Counted in each worker as the engine builds each module's context, so that compiled functions
# are counted from the same parse that is linted: a second parse would double the run, and
# numba-check's engine does not report them (see benchmarks/README.md).
_COMPILED: Counter[str] = Counter()
_CONFIG: Any = None


def _install(settings: Any) -> Any:
    """Prepare this process to lint: the engine's config, and a module context that counts.

    Returns the context class it replaced, for `_uninstall`."""
    global _CONFIG
    from numba_check import engine
    from numba_check.api import lint_config

    previous = engine.ModuleContext

    class CountingContext(previous):  # type: ignore[misc, valid-type]
        def __init__(self, tree: Any, source: str) -> None:
            super().__init__(tree, source)
            _COMPILED.update(f.target.value for f in self.compiled)

    engine.ModuleContext = CountingContext  # type: ignore[misc]
    _CONFIG = lint_config(settings)
    return previous


def _uninstall(previous: Any) -> None:
    from numba_check import engine

    engine.ModuleContext = previous  # type: ignore[misc]


def _lint_file(task: tuple[str, str, str]) -> FileResult:
    from numba_check import engine
    from numba_check.output.json import to_dict

    package, path, display = task
    # CPU, not wall, time: on a busy machine wall time measures the neighbours.
    start = time.process_time()
    _COMPILED.clear()
    try:
        source, problem = engine.read_source(Path(path), display)
        if source is None:
            assert problem is not None
            found: Iterable[Any] = engine.selected([problem], _CONFIG, display)
        else:
            found = engine.check_text(source, display, _CONFIG)
        diagnostics = [to_dict(d) for d in found]
    except Exception as exc:  # noqa: BLE001 - one file's crash is a finding, not the end
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        crash = f"{type(exc).__name__}: {exc} (in {where})"
        return FileResult(package, display, Counter(), [], time.process_time() - start, crash)
    return FileResult(
        package, display, Counter(_COMPILED), diagnostics, time.process_time() - start
    )


def lint(packages: Sequence[Package], settings: Any, jobs: int, cwd: Path) -> list[FileResult]:
    """One result per file of every package, biggest file first."""
    from numba_check.discovery import discover

    tasks = []
    for package in packages:
        for file in discover([package.root], settings, cwd=cwd):
            if file.kind == "python":
                tasks.append((package.name, str(file.path), file.display))
    # Biggest first, one at a time: a single slow file (a large generated module) then
    # overlaps with the rest instead of ending the run alone.
    tasks.sort(key=lambda t: -_size(t[1]))
    if jobs > 1 and len(tasks) > 1:
        try:
            with ProcessPoolExecutor(jobs, initializer=_install, initargs=(settings,)) as pool:
                return list(pool.map(_lint_file, tasks, chunksize=1))
        except (BrokenProcessPool, OSError):
            pass  # no worker processes here: the same results, one file at a time
    previous = _install(settings)
    try:
        return [_lint_file(task) for task in tasks]
    finally:
        _uninstall(previous)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


# -- numbers ---------------------------------------------------------------------------------


@dataclass
class Tally:
    """The numbers of one package, or of all of them."""

    files: int = 0
    numba_files: int = 0  # files with at least one compiled function
    compiled: Counter[str] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    names: dict[str, str] = field(default_factory=dict)
    severities: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0  # CPU time spent linting, summed over files
    diagnostics: list[dict[str, Any]] = field(default_factory=list)
    crashes: dict[str, str] = field(default_factory=dict)  # file -> what numba-check raised

    def add(self, result: FileResult) -> None:
        self.files += 1
        if result.crash is not None:
            self.crashes[result.display] = result.crash
        self.numba_files += bool(result.compiled)
        self.compiled.update(result.compiled)
        self.seconds += result.seconds
        for d in result.diagnostics:
            self.codes[d["code"]] += 1
            self.names[d["code"]] = d["name"]
            self.severities[d["code"]] = d["severity"]
            self.diagnostics.append(d)

    @property
    def compiled_total(self) -> int:
        return sum(self.compiled.values())

    def by_severity(self) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITIES, 0)
        for code, n in self.codes.items():
            severity = self.severities[code]
            counts[severity] = counts.get(severity, 0) + n
        return counts

    def per_thousand(self, n: int) -> float | None:
        total = self.compiled_total
        return round(1000 * n / total, 2) if total else None

    def to_json(self) -> dict[str, Any]:
        severity = self.by_severity()
        return {
            "files": self.files,
            "files_with_compiled_functions": self.numba_files,
            "compiled_functions": self.compiled_total,
            "compiled_by_target": dict(sorted(self.compiled.items())),
            "diagnostics_by_severity": severity,
            "per_1000_compiled_by_severity": {s: self.per_thousand(n) for s, n in severity.items()},
            "diagnostics_by_code": {
                code: {
                    "name": self.names[code],
                    "severity": self.severities[code],
                    "count": n,
                    "per_1000_compiled": self.per_thousand(n),
                }
                for code, n in sorted(self.codes.items())
            },
            "lint_cpu_seconds": round(self.seconds, 2),
            "crashes": dict(sorted(self.crashes.items())),
            "diagnostics": sorted(self.diagnostics, key=_position),
        }


def _position(d: dict[str, Any]) -> tuple[str, int, int, str]:
    return (d["filename"], d["location"]["row"], d["location"]["column"], d["code"])


def tally(results: Iterable[FileResult], packages: Sequence[Package]) -> dict[str, Tally]:
    """Per package, in the order given; `results` may come in any order."""
    tallies = {p.name: Tally() for p in packages}
    for result in results:
        tallies[result.package].add(result)
    return tallies


def total(tallies: Iterable[Tally]) -> Tally:
    out = Tally()
    for t in tallies:
        out.files += t.files
        out.numba_files += t.numba_files
        out.compiled.update(t.compiled)
        out.codes.update(t.codes)
        out.names.update(t.names)
        out.severities.update(t.severities)
        out.seconds += t.seconds
        out.diagnostics.extend(t.diagnostics)
        out.crashes.update(t.crashes)
    return out


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def render(label: str, t: Tally) -> str:
    """The text block of one package (or of the totals)."""
    targets = ", ".join(f"{k} {n}" for k, n in sorted(t.compiled.items(), key=lambda i: -i[1]))
    severity = t.by_severity()
    lines = [
        f"{label}",
        f"  files: {t.files} ({t.numba_files} with compiled functions), "
        f"lint CPU time {t.seconds:.1f} s",
        f"  compiled functions: {t.compiled_total}" + (f" ({targets})" if targets else ""),
        "  diagnostics: "
        + ", ".join(
            f"{severity[s]} {s}{'' if s == 'info' or severity[s] == 1 else 's'}"
            f" ({_rate(t.per_thousand(severity[s]))} per 1k)"
            for s in SEVERITIES
        ),
    ]
    if t.crashes:
        lines.append(f"  numba-check crashed on {len(t.crashes)} file(s), not counted above")
    rows = sorted(t.codes.items(), key=lambda i: (SEVERITIES.index(t.severities[i[0]]), i[0]))
    if rows:
        width = max(len(t.names[c]) for c, _ in rows)
        lines.append(f"    {'code':<6}  {'name':<{width}}  {'severity':<8}  {'count':>5}  per 1k")
        for code, n in rows:
            lines.append(
                f"    {code:<6}  {t.names[code]:<{width}}  {t.severities[code]:<8}  {n:>5}"
                f"  {_rate(t.per_thousand(n)):>6}"
            )
    return "\n".join(lines) + "\n"


def render_listing(t: Tally, worst: str) -> str:
    """Each diagnostic at least as bad as `worst`, one line each, as `file:row:col: CODE msg`."""
    keep = SEVERITIES[: SEVERITIES.index(worst) + 1]
    lines = [
        f"{d['filename']}:{d['location']['row']}:{d['location']['column']}: "
        f"{d['code']} [{d['severity']}] {d['message']}"
        for d in sorted(t.diagnostics, key=_position)
        if d["severity"] in keep
    ]
    return "".join(line + "\n" for line in lines)


# -- command line ----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="real_code.py",
        description="Lint real Numba packages with numba-check and count the diagnostics.",
    )
    parser.add_argument(
        "packages",
        nargs="*",
        metavar="PACKAGE",
        help=f"names or name==version (default: {' '.join(PINS)}; a bare name of these uses its "
        "pinned version)",
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=DEFAULT_DIR,
        help="where archives are downloaded and unpacked (default: .realcode/ in the repository)",
    )
    parser.add_argument(
        "--download-only", action="store_true", help="download and unpack; lint nothing"
    )
    parser.add_argument("--select", action="append", metavar="CODES", help="passed to numba-check")
    parser.add_argument("--ignore", action="append", metavar="CODES", help="passed to numba-check")
    parser.add_argument("--target-numba", metavar="VERSION", help="passed to numba-check")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also save the numbers as JSON")
    parser.add_argument(
        "--list",
        choices=("none", *SEVERITIES),
        default="error",
        help="print each diagnostic of this severity or worse (default: error)",
    )
    parser.add_argument(
        "-j", "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes"
    )
    return parser


def lint_settings(args: argparse.Namespace) -> Any:
    """numba-check's settings from the flags alone: no pyproject.toml, no cache."""
    from numba_check.settings import load_settings

    overrides = {
        "select": args.select,
        "ignore": args.ignore,
        "target-numba": args.target_numba,
        # The tree lives in .realcode/, which the repository's .gitignore lists.
        "respect-gitignore": False,
    }
    return load_settings(overrides, cwd=REPO, isolated=True)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    args = build_parser().parse_args(argv)
    try:
        specs = [parse_spec(p) for p in (args.packages or PINS)]
    except ValueError as exc:
        sys.stderr.write(f"real_code.py: error: {exc}\n")
        return 2
    folder = args.dir.absolute()
    packages = fetch(specs, folder, sys.stderr)
    if args.download_only:
        for p in packages:
            out.write(f"{p.name}: {p.root}\n")
        return 0
    sys.path.insert(0, str(REPO / "src"))  # run from a checkout without installing
    from numba_check.rules.base import format_version
    from numba_check.settings import ConfigError

    try:
        settings = lint_settings(args)
    except ConfigError as exc:
        sys.stderr.write(f"real_code.py: error: {exc}\n")
        return 2
    start = time.perf_counter()
    tallies = tally(lint(packages, settings, max(args.jobs, 1), folder), packages)
    wall = time.perf_counter() - start
    everything = total(tallies.values())

    out.write(f"numba-check on real code, target Numba {format_version(settings.target_numba)}\n\n")
    for p in packages:
        out.write(render(f"{p.name} ({p.archive})", tallies[p.name]) + "\n")
    out.write(render("total", everything))
    out.write(f"  wall time {wall:.1f} s with {max(args.jobs, 1)} job(s)\n")
    if args.list != "none":
        listing = render_listing(everything, args.list)
        if listing:
            out.write(f"\n{args.list}s and worse:\n" if args.list != "error" else "\nerrors:\n")
            out.write(listing)
    if everything.crashes:
        out.write("\nnumba-check crashed on:\n")
        out.write("".join(f"{f}: {c}\n" for f, c in sorted(everything.crashes.items())))
    if args.json is not None:
        data = {
            "target_numba": format_version(settings.target_numba),
            "select": list(settings.select),
            "ignore": list(settings.ignore),
            "wall_seconds": round(wall, 2),
            "jobs": max(args.jobs, 1),
            "packages": {
                p.name: {"archive": p.archive, **tallies[p.name].to_json()} for p in packages
            },
            "total": everything.to_json(),
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
