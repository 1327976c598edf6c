"""Writing to the user's disk without harming it: no write through a link that leads out of the
project, no half-written file, no edit made during the run overwritten.

numba-check runs as root in CI on projects it does not trust, and rewrites files with ``--fix``.
Everything it writes goes through here or through ``cache.py``, which uses `leads_out` and
`read_regular` for the same reasons.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from numba_check import reading

# O_NOFOLLOW does not exist on Windows; there links are rare and need privileges to create.
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class NotWritten(OSError):
    """A write refused or undone; the file is as it was. `str()` says why, for the user."""

    def __str__(self) -> str:
        return str(self.args[0])


def real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def leads_out(path: Path, roots: Iterable[Path]) -> bool:
    """Whether `path` (which need not exist yet) is written inside one of `roots` but really
    lies outside it: a link in the project (a file, a folder above it) points elsewhere."""
    absolute = Path(os.path.abspath(path))
    target = real(absolute)
    for root in roots:
        root = Path(os.path.abspath(root))
        if absolute.is_relative_to(root) and not target.is_relative_to(real(root)):
            return True
    return False


def read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of `path` when it is a regular file of at most `limit` bytes, not reached
    through a link of its own; else None. Never blocks on a FIFO or reads a device."""
    try:
        return reading.read_bytes(path, follow_links=False, limit=limit)
    except OSError:
        return None


def create_exclusive(path: Path, data: bytes) -> None:
    """Write a new file at `path`; fails if anything (a file, a link) is already there."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def write_fixed(path: Path, text: str, original: str, roots: Iterable[Path]) -> None:
    """Replace the file at `path`, whose text was `original` when it was read, by `text`.

    Written atomically: a temporary file in the same folder, flushed to disk, then renamed over
    the file, keeping its mode, its owner where permitted, its byte order mark, and a link's
    link (the file the link names is replaced). Raises `NotWritten` (an OSError) when the file
    changed since it was read or is a link out of the project, and OSError when the disk
    refuses; in every case the file is left as it was.
    """
    if leads_out(path, roots):
        raise NotWritten(
            f"Fixes not written: {path.name} is a link to {real(path)}, outside the project"
        )
    target = real(path)
    before = os.stat(target)
    if not os.access(target, os.W_OK):
        # Replacing the file needs only the folder's permission: a read-only file stays so.
        raise PermissionError(13, "Permission denied", str(path))
    current = target.read_bytes()
    if _decoded(current) != original:
        raise NotWritten(_CHANGED)
    data = text.encode("utf-8")
    if current.startswith(codecs.BOM_UTF8):
        data = codecs.BOM_UTF8 + data
    fd, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".numba-check.tmp"
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(fd, stat.S_IMODE(before.st_mode))
            if (before.st_uid, before.st_gid) != (os.geteuid(), os.getegid()):
                with contextlib.suppress(OSError):  # only root may give a file away
                    os.fchown(fd, before.st_uid, before.st_gid)
            os.fsync(fd)
        now = os.stat(target)
        if (now.st_ino, now.st_size, now.st_mtime_ns) != (
            before.st_ino,
            before.st_size,
            before.st_mtime_ns,
        ):
            raise NotWritten(_CHANGED)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(target.parent)


_CHANGED = "Fixes not written: the file changed on disk while it was being checked; run again"


def _decoded(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _sync_folder(folder: Path) -> None:
    # The rename is durable once the folder's entry is on disk; not every system allows it.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
