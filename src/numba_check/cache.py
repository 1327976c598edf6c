"""Per-file results keyed by content hash + tool version + settings + target Numba version.

One small JSON file per checked file version, written atomically, so parallel workers never
step on each other. The folder carries CACHEDIR.TAG and a ``.gitignore`` of ``*`` as ruff's does.
Anything unreadable or malformed is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from numba_check.model import Applicability, Diagnostic, Edit, Fix, Location, Severity

FORMAT = 1
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by numba-check.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


@dataclass(frozen=True)
class Cache:
    directory: Path
    fingerprint: str  # everything besides the file that changes its diagnostics

    def key(self, filename: str, source: str) -> str:
        digest = hashlib.sha256()
        for part in (self.fingerprint, filename, source):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        return digest.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.directory / f"v{FORMAT}" / key[:2] / f"{key}.json"

    def get(self, key: str, filename: str) -> tuple[Diagnostic, ...] | None:
        try:
            data = json.loads(self._entry(key).read_text("utf-8"))
            if not isinstance(data, list):  # `{}` would otherwise read as "no diagnostics"
                return None
            return tuple(_load(item, filename) for item in data)
        except Exception:  # noqa: BLE001 - a corrupt entry is a miss
            return None

    def put(self, key: str, diagnostics: Iterable[Diagnostic]) -> None:
        entry = self._entry(key)
        try:
            self.prepare()
            entry.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps([_dump(d) for d in diagnostics], separators=(",", ":"))
            fd, tmp = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, entry)
        except OSError:
            pass  # a read-only tree just runs without a cache

    def prepare(self) -> None:
        """Creates the folder with its CACHEDIR.TAG and .gitignore, once."""
        if (self.directory / "CACHEDIR.TAG").exists():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / ".gitignore").write_text("# Created by numba-check.\n*\n", "utf-8")
        (self.directory / "CACHEDIR.TAG").write_text(CACHEDIR_TAG, "utf-8")


def package_stamp(plugins: Iterable[str] = ()) -> str:
    """Identifies the code that produced a result: tool version, the package's own files
    (its rules among them; so an editable install under development never serves stale
    results) and the loaded plugins (`Plugins.stamp()`: names, versions, code files and the
    knowledge they add)."""
    from numba_check import __version__

    here = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for plugin in plugins:
        digest.update(f"plugin:{plugin}\0".encode())
    for path in sorted(here.rglob("*.py")):
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}\0".encode())
    return digest.hexdigest()


def _loc(location: Location) -> list[int]:
    return [location.line, location.column]


def _dump(diag: Diagnostic) -> dict[str, Any]:
    fix = diag.fix
    return {
        "code": diag.code,
        "name": diag.name,
        "message": diag.message,
        "severity": diag.severity.value,
        "location": _loc(diag.location),
        "end_location": _loc(diag.end_location),
        "fix": None
        if fix is None
        else {
            "applicability": fix.applicability.value,
            "message": fix.message,
            "edits": [[*_loc(e.start), *_loc(e.end), e.content] for e in fix.edits],
        },
        "url": diag.url,
        "cell": diag.cell,
    }


def _load(item: dict[str, Any], filename: str) -> Diagnostic:
    raw_fix = item["fix"]
    fix = None
    if raw_fix is not None:
        edits = tuple(
            Edit(Location(int(a), int(b)), Location(int(c), int(d)), str(text))
            for a, b, c, d, text in raw_fix["edits"]
        )
        fix = Fix(Applicability(raw_fix["applicability"]), str(raw_fix["message"]), edits)
    return Diagnostic(
        code=str(item["code"]),
        name=str(item["name"]),
        message=str(item["message"]),
        severity=Severity(item["severity"]),
        filename=filename,
        location=Location(*map(int, item["location"])),
        end_location=Location(*map(int, item["end_location"])),
        fix=fix,
        url=item["url"],
        cell=item["cell"],
    )
