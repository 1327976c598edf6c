"""NB45x: @vectorize / @guvectorize signatures and layouts."""

from __future__ import annotations

RULES = ()
