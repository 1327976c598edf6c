"""Reading a file that a stranger's project may have put anywhere, without hanging on it.

A FIFO named ``x.py`` blocks the reader until someone writes to it; ``/dev/zero`` or
``/dev/urandom`` never ends; a socket cannot be read at all. Only regular files are read: the
file is opened without blocking (opening a FIFO for reading would wait for a writer) and then
checked, on the open descriptor, so that a file swapped for a FIFO after the folder was walked
is refused too.
"""

from __future__ import annotations

import errno
import os
import stat

# O_NONBLOCK so that opening a FIFO returns at once; a regular file ignores it. O_NOFOLLOW
# does not exist on Windows, where links are rare and need privileges to create.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class NotRegularFile(OSError):
    """The path names something other than a regular file; the message says what."""


def read_bytes(
    path: str | os.PathLike[str], *, follow_links: bool = True, limit: int | None = None
) -> bytes:
    """The content of the regular file at `path`: with `follow_links` False, not one reached
    through a link of its own (the cache's entries); with a `limit`, at most that many bytes,
    of a file no bigger when opened.

    Raises NotRegularFile (an OSError) for a folder, FIFO, socket or device, and OSError for
    what cannot be opened or read, or is too big.
    """
    fd = os.open(path, _FLAGS if follow_links else _FLAGS | _NOFOLLOW)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = next((n for test, n in _KINDS if test(info.st_mode)), "not a regular file")
            raise NotRegularFile(f"{what}, not a regular file")
        if limit is not None and info.st_size > limit:
            raise OSError(errno.EFBIG, f"bigger than {limit} bytes")
        chunks, left = [], limit
        while left is None or left > 0:
            chunk = os.read(fd, 1 << 20 if left is None else min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            if left is not None:
                left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
