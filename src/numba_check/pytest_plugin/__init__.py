"""The pytest half of numba-check: compile, compare with Python, time, report.

The plugin module registered through the ``pytest11`` entry point is
:mod:`numba_check.pytest_plugin.plugin`. Nothing here imports Numba at import time.
"""

from __future__ import annotations

from numba_check.pytest_plugin.results import CheckResult, KernelResult, Timing

__all__ = ["CheckResult", "KernelResult", "Timing"]
