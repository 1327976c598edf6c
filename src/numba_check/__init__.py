"""numba-check: find what Numba will refuse, miscompute or slow down, before it runs.

PYTEST_DONT_REWRITE: see numba_check._no_rewrite.
"""

from __future__ import annotations

import os as _os
import sys as _sys


def _leave_the_working_folder() -> None:
    """Under ``python -m numba_check``, take the working folder off the front of `sys.path`
    before anything else is imported.

    Python puts it there for ``-m`` (unless ``-P`` or ``-I``), so a checked project's own
    ``re.py``, ``typing.py`` or ``*.dist-info`` entry points would be imported as if they were
    the standard library or installed plugins: a stranger's code run by a linter that promises
    never to run it. The console script ``numba-check`` never had the folder there. A package
    named ``numba_check`` in the folder itself is imported before this code can run: against
    that, only ``python -P -m numba_check`` (or the console script) helps.
    """
    argv = getattr(_sys, "orig_argv", [])
    try:
        module = argv[argv.index("-m") + 1]
    except (ValueError, IndexError):
        return
    if _sys.argv[:1] != ["-m"] or module.split(".")[0] != __name__:
        return  # imported by some other program, or already running
    if _sys.path and _sys.path[0] in ("", _os.getcwd()):
        del _sys.path[0]


_leave_the_working_folder()

from typing import TYPE_CHECKING, Any  # noqa: E402 - after the working folder is gone

from numba_check import _no_rewrite  # noqa: E402

# Before any other module of the package is imported.
_no_rewrite.unmark()

from numba_check.model import (  # noqa: E402
    Applicability,
    Diagnostic,
    Edit,
    Fix,
    Location,
    Severity,
)

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
