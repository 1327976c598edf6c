"""Reading a file that a stranger's project may have put anywhere, without hanging on it.

A FIFO named ``x.py`` blocks the reader until someone writes to it; ``/dev/zero`` or
``/dev/urandom`` never ends; a socket cannot be read at all. Only regular files are read: the
file is opened without blocking (opening a FIFO for reading would wait for a writer) and then
checked, on the open descriptor, so that a file swapped for a FIFO after the folder was walked
is refused too.
"""

from __future__ import annotations

import os
import stat

# O_NONBLOCK so that opening a FIFO returns at once; a regular file ignores it.
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


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The content of the regular file at `path` (links followed).

    Raises NotRegularFile (an OSError) for a folder, FIFO, socket or device, and OSError for
    what cannot be opened or read.
    """
    fd = os.open(path, _FLAGS)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            what = next((name for test, name in _KINDS if test(mode)), "not a regular file")
            raise NotRegularFile(f"{what}, not a regular file")
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
