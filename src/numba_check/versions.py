"""Numba versions as tuples: ``"0.57"`` -> ``(0, 57, 0)``.

A module of its own, so that reading settings imports nothing heavy.
"""

from __future__ import annotations

Version = tuple[int, ...]


def parse_version(text: str) -> Version:
    """``"0.57"`` / ``"0.57.1"`` -> ``(0, 57, 1)``; raises ValueError on anything else."""
    parts = text.strip().split(".")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError(
            f"not a Numba version: {text!r} (expected MAJOR.MINOR or MAJOR.MINOR.PATCH)"
        )
    nums = tuple(int(p) for p in parts)
    return nums + (0,) * (3 - len(nums))


def format_version(version: Version) -> str:
    return ".".join(str(p) for p in version)
