"""NB4xx: types and containers Numba cannot infer or pass in."""

from __future__ import annotations

RULES = ()
