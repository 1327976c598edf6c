"""reading.read_bytes: regular files only, never blocking, optionally not through a link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from numba_check.reading import NotRegularFile, read_bytes


def test_a_regular_file_whole_or_within_a_limit(tmp_path: Path):
    path = tmp_path / "m.py"
    path.write_bytes(b"x" * 3_000_000)
    assert read_bytes(path) == b"x" * 3_000_000
    assert read_bytes(path, limit=3_000_000) == b"x" * 3_000_000
    with pytest.raises(OSError, match="bigger than 10 bytes"):
        read_bytes(path, limit=10)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs, links and /dev/zero")
def test_what_is_not_a_regular_file_is_refused_at_once(tmp_path: Path):
    os.mkfifo(tmp_path / "pipe.py")  # opening it for reading would wait for a writer
    with pytest.raises(NotRegularFile, match="^a FIFO"):
        read_bytes(tmp_path / "pipe.py")
    with pytest.raises(NotRegularFile, match="^a character device"):
        read_bytes("/dev/zero")
    with pytest.raises(NotRegularFile, match="^a folder"):
        read_bytes(tmp_path)


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="needs O_NOFOLLOW")
def test_links_followed_unless_told_not_to(tmp_path: Path):
    (tmp_path / "real.py").write_bytes(b"data")
    (tmp_path / "link.py").symlink_to("real.py")
    assert read_bytes(tmp_path / "link.py") == b"data"
    with pytest.raises(OSError):
        read_bytes(tmp_path / "link.py", follow_links=False)
