"""Whether a module can use Numba at all, decided from its text alone.

A file that never imports numba cannot reach a Numba entry point, and one that never spells the
name of one compiles nothing: either has nothing to check, and is not parsed. This module
imports nothing heavy, so a run can skip such files without loading the engine.
"""

from __future__ import annotations

import re

from numba_check.entry_points import ENTRY_POINTS

# `import os, numba`, `from numba.core import types`, indented imports under try/if.
PREFILTER = re.compile(r"^[ \t]*(?:from[ \t]+numba\b|import[ \t][^\n#]*\bnumba\b)", re.MULTILINE)
ENTRY_POINT_NAME = re.compile(
    r"\b(?:{})\b".format("|".join(sorted({n.rsplit(".", 1)[1] for n in ENTRY_POINTS})))
)


def may_use_numba(source: str) -> bool:
    """False when `source` certainly imports nothing from numba."""
    return "numba" in source and PREFILTER.search(source) is not None


def may_compile(source: str) -> bool:
    """False when `source` never spells the name of a Numba entry point (`njit`,
    `vectorize`, ...), so that nothing in it can be compiled: an import of one names it,
    whatever the name it is bound to."""
    return ENTRY_POINT_NAME.search(source) is not None
