"""What is installed, read from the metadata folders on ``sys.path`` directly.

``importlib.metadata`` costs about 50 ms to import (it brings in the email, zipfile and csv
modules), a tenth of a one-file run as pre-commit makes it. These answer the two questions a
run asks, Numba's version and whether any plugin could be installed, from folder and file
names, and say "unknown" (None) where only ``importlib.metadata`` can tell: an egg, a zip on
``sys.path``, a metadata folder whose name carries no version.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator

_DIST = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+?)(?:-py[^-]*)?\.(?:dist|egg)-info$")


def _metadata_dirs() -> Iterator[str] | None:
    """Every ``*.dist-info`` / ``*.egg-info`` folder on sys.path, in path order; None when some
    entry of sys.path is not a folder (a zip, an egg), whose contents only importlib reads."""
    found: list[str] = []
    for entry in sys.path:
        path = entry or "."
        if not os.path.isdir(path):
            if os.path.exists(path):
                return None
            continue
        try:
            names = sorted(os.listdir(path))
        except OSError:
            continue
        found.extend(
            os.path.join(path, n) for n in names if n.endswith((".dist-info", ".egg-info"))
        )
    return iter(found)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def version(distribution: str) -> str | None:
    """The installed version of `distribution`, as importlib.metadata would find it first;
    None when this cannot tell (then ask importlib.metadata)."""
    dirs = _metadata_dirs()
    if dirs is None:
        return None
    wanted = _normalise(distribution)
    for path in dirs:
        match = _DIST.match(os.path.basename(path))
        if match and _normalise(match.group("name")) == wanted:
            return match.group("version")
        if _normalise(os.path.basename(path).split("-")[0].split(".")[0]) == wanted:
            return None  # its folder name carries no version
    return None


def may_have_entry_points(group: str) -> bool:
    """False only when no installed distribution declares an entry point of `group`."""
    dirs = _metadata_dirs()
    if dirs is None:
        return True
    header = f"[{group}]"
    for path in dirs:
        try:
            with open(os.path.join(path, "entry_points.txt"), encoding="utf-8") as handle:
                if any(line.strip() == header for line in handle):
                    return True
        except FileNotFoundError:
            continue
        except (OSError, UnicodeDecodeError):
            return True
    return False
