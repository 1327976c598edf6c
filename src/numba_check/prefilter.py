"""Whether a module can use Numba at all, decided from its text alone.

A file that never imports numba cannot reach a Numba entry point, so it has nothing to check.
This module imports nothing heavy, so a run can skip such files without loading the engine.
"""

from __future__ import annotations

import re

# `import os, numba`, `from numba.core import types`, indented imports under try/if.
PREFILTER = re.compile(r"^[ \t]*(?:from[ \t]+numba\b|import[ \t][^\n#]*\bnumba\b)", re.MULTILINE)


def may_use_numba(source: str) -> bool:
    """False when `source` certainly imports nothing from numba."""
    return "numba" in source and PREFILTER.search(source) is not None
