"""NB6xx: what CUDA kernels and device functions may not do."""

from __future__ import annotations

RULES = ()
