"""``seed=``: the same random streams in Python and in Numba.

Numba's ``np.random`` and ``random`` are each a Mersenne Twister seeded as NumPy's legacy
``np.random.seed(int)`` seeds (both give 0.3745401188473625 first for seed 42). Python's
``random.seed(int)`` seeds differently, so the Python side gets NumPy's state in ``random`` too.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np

_SEEDER: list[Any] = []


def seed_python(seed: int) -> None:
    """Seed NumPy's global generator and ``random`` as Numba seeds its own for ``seed``."""
    np.random.seed(seed)
    _, key, pos, _, _ = np.random.RandomState(seed).get_state()
    random.setstate((3, (*(int(k) for k in key), int(pos)), None))


def seed_numba(seed: int) -> None:
    """Seed Numba's ``np.random`` and ``random`` generators (the compiled code's own)."""
    if not _SEEDER:
        import numba

        @numba.njit
        def seed_both(s: int) -> None:
            np.random.seed(s)
            random.seed(s)

        _SEEDER.append(seed_both)
    _SEEDER[0](seed)


def check(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ValueError(f"seed= must be an integer in [0, 2**32), got {seed!r}")
    return int(seed)
