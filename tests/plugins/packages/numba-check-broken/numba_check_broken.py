"""A plugin that fails to import, as one does when a dependency is missing."""

from __future__ import annotations

import numba_check_broken_missing_dependency  # noqa: F401
