"""numba-check: find what Numba will refuse, miscompute or slow down, before it runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from numba_check.model import Applicability, Diagnostic, Edit, Fix, Location, Severity

__version__ = "0.1.0"

__all__ = [
    "Applicability",
    "Diagnostic",
    "Edit",
    "Fix",
    "Location",
    "Severity",
    "__version__",
    "check_paths",
    "check_source",
    "hookimpl",
]

if TYPE_CHECKING:
    from numba_check.api import check_paths, check_source
    from numba_check.plugins import hookimpl


def __getattr__(name: str) -> Any:
    # Lazy so that `import numba_check` (done by the pytest plugin) stays cheap.
    if name in ("check_source", "check_paths"):
        from numba_check import api

        return getattr(api, name)
    if name == "hookimpl":
        from numba_check.plugins import hookimpl

        return hookimpl
    raise AttributeError(name)
