"""Per-file results keyed by content hash + tool version + Python + settings + target Numba
version.

One small JSON file per checked file version, written atomically, so parallel workers never
step on each other. The folder carries CACHEDIR.TAG and a ``.gitignore`` of ``*`` as ruff's does,
written only into a folder numba-check made; a folder it did not make (no CACHEDIR.TAG of ours)
or that a link in the project leads out to is not written to. Anything unreadable or malformed
is a miss, never an error. An entry is never trusted for ``--fix``: the fixes applied are always
derived anew from the source (see ``api``).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import Any

from numba_check.model import Applicability, Diagnostic, Edit, Fix, Location, Rewrite, Severity
from numba_check.safe_files import create_exclusive, leads_out, read_regular

FORMAT = 1
# An entry bigger than this was not written by numba-check (its files' entries are far smaller).
ENTRY_LIMIT = 64 << 20
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by numba-check.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_SIGNATURE = CACHEDIR_TAG.split("\n", 1)[0].encode()


@dataclass(frozen=True)
class Cache:
    directory: Path
    fingerprint: str  # everything besides the file that changes its diagnostics
    # The project's folders: the cache writes nowhere a link inside them leads out of them.
    roots: tuple[Path, ...] = ()

    def key(self, filename: str, source: str) -> str:
        digest = hashlib.sha256()
        for part in (self.fingerprint, filename, source):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        return digest.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.directory / f"v{FORMAT}" / key[:2] / f"{key}.json"

    def get(self, key: str, filename: str) -> tuple[Diagnostic, ...] | None:
        data = self.read(key)
        if not isinstance(data, list):  # `{}` would otherwise read as "no diagnostics"
            return None
        try:
            return tuple(_load(item, filename) for item in data)
        except Exception:  # noqa: BLE001 - a corrupt entry is a miss
            return None

    def put(self, key: str, diagnostics: Iterable[Diagnostic]) -> None:
        self.write(key, [_dump(d) for d in diagnostics])

    def read(self, key: str) -> Any:
        """The JSON value stored under `key`; None for a miss (absent, corrupt, not a regular
        file of ours)."""
        try:
            raw = read_regular(self._entry(key), ENTRY_LIMIT)
            return None if raw is None else json.loads(raw.decode("utf-8"))
        except Exception:  # noqa: BLE001 - a corrupt entry is a miss
            return None

    def write(self, key: str, data: Any) -> None:
        """Store the JSON value `data` under `key`, atomically; silently nothing where the
        folder cannot or may not be written."""
        entry = self._entry(key)
        try:
            if not self._usable() or leads_out(entry, (*self.roots, self.directory)):
                return
            entry.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(data, separators=(",", ":"))
            fd, tmp = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, entry)  # replaces a link at `entry` itself, never what it names
        except OSError:
            pass  # a read-only tree just runs without a cache

    def _usable(self) -> bool:
        """Whether entries may be written: the folder is one numba-check made (it holds our
        CACHEDIR.TAG), or is made now; never one a link inside the project leads out to."""
        if leads_out(self.directory, self.roots):
            return False
        if not os.path.lexists(self.directory):
            return self._create()
        tag = read_regular(self.directory / "CACHEDIR.TAG", len(CACHEDIR_TAG))
        return tag is not None and tag.startswith(_SIGNATURE)

    def _create(self) -> bool:
        try:
            self.directory.parent.mkdir(parents=True, exist_ok=True)
            os.mkdir(self.directory)
        except FileExistsError:  # made by a parallel run meanwhile: used once it is marked
            return False
        except OSError:
            return False
        # Only into the folder just made, and never through a link: the marks cannot land on
        # a file elsewhere. The tag goes last: it says the folder is ready.
        create_exclusive(self.directory / ".gitignore", b"# Created by numba-check.\n*\n")
        create_exclusive(self.directory / "CACHEDIR.TAG", CACHEDIR_TAG.encode())
        return True


def package_stamp(plugins: Iterable[str] = ()) -> str:
    """Identifies the code that produced a result: tool version, the Python running it (its
    grammar decides what parses), every file of the package, data files included (its rules
    and knowledge; so an editable install under development never serves stale results) and
    the loaded plugins (`Plugins.stamp()`: names, versions, code files and the knowledge they
    add)."""
    from numba_check import __version__

    here = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    digest.update(f"python:{sys.implementation.name}:{sys.version}\0".encode())
    for plugin in plugins:
        digest.update(f"plugin:{plugin}\0".encode())
    for path in sorted(here.rglob("*")):
        if "__pycache__" in path.parts:
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        if not S_ISREG(stat.st_mode):
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
            "rewrite": None
            if fix.rewrite is None
            else [
                fix.rewrite.kind,
                *_loc(fix.rewrite.start),
                *_loc(fix.rewrite.end),
                list(fix.rewrite.args),
            ],
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
        rewrite = None
        if raw_fix.get("rewrite") is not None:
            kind, a, b, c, d, args = raw_fix["rewrite"]
            rewrite = Rewrite(
                str(kind),
                Location(int(a), int(b)),
                Location(int(c), int(d)),
                tuple(str(x) for x in args),
            )
        fix = Fix(Applicability(raw_fix["applicability"]), str(raw_fix["message"]), edits, rewrite)
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
