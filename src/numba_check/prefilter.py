"""Whether a module can use Numba at all, decided from its text alone.

A file that never imports numba cannot reach a Numba entry point, and one that never imports
one or reaches one as an attribute compiles nothing: either has nothing to check, and is not
parsed. This module
imports nothing heavy, so a run can skip such files without loading the engine.
"""

from __future__ import annotations

import re

from numba_check.entry_points import ENTRY_POINTS

# What separates the tokens of a statement: spaces, tabs, form feeds, and a backslash that
# continues the line (at the end of a line ended by \n, \r\n or \r).
_WS = r"(?:[ \t\f]|\\(?:\r\n|\r|\n))"
# One character of the rest of a statement, to its `;`, comment or line end. No alternative
# overlaps another and no statement is scanned twice, so the time stays linear whatever the
# input (thousands of `import x;` on a line, of continued blank lines).
_REST = r"(?:[^\r\n#\\;]|\\(?:\r\n|\r|\n))"
# `import os, numba`, `from numba.core import types`, indented imports under try/if, and
# after `;` or `:` on a line (`try: import numba`); lines may end at a lone `\r`, and start
# with a form feed; any token may be followed by a backslash continuation (a statement that
# starts on a continued line starts a line all the same).
PREFILTER = re.compile(
    rf"(?:^|[;:\r])[ \t\f]*(?:from{_WS}+numba\b|import{_WS}{_REST}*\bnumba\b)",
    re.MULTILINE,
)
_NAMES = "|".join(sorted({n.rsplit(".", 1)[1] for n in ENTRY_POINTS}))
ENTRY_POINT_NAME = re.compile(rf"\b(?:{_NAMES})\b")
# An entry point reached as an attribute: `numba.njit`, `nb . jit`, `(numba\n .njit)`.
_ATTRIBUTE = re.compile(rf"\.(?:\s|\\)*(?:{_NAMES})\b")
# What a `from ... import` statement imports: the rest of its line (with its backslash
# continuations), or what its parentheses hold.
_FROM_IMPORT = re.compile(
    rf"(?:^|[;:\r])[ \t\f]*from{_WS}(?:[\w.]|{_WS})*?(?<=[\s.\\])import{_WS}*"
    r"(\([^)]*\)|(?:[^\r\n\\;]|\\\r?\n|\\.)*)",
    re.MULTILINE,
)


def may_use_numba(source: str) -> bool:
    """False when `source` certainly imports nothing from numba."""
    return "numba" in source and PREFILTER.search(source) is not None


def may_compile(source: str) -> bool:
    """False when nothing in `source` can name a Numba entry point (`njit`, `vectorize`, ...),
    so that nothing in it can be compiled.

    Numba-check knows an entry point by its qualified name, which only an import gives: the
    name is imported (`from numba import njit as fast`: the import statement spells it), or
    reached as an attribute of an imported module (`numba.njit`, `nb.cuda.jit`), or comes from
    a star import (which may bind any name). A module that mentions `jit` only in comments and
    docstrings (a third of those that import numba and spell an entry point's name) is left out.
    """
    if ENTRY_POINT_NAME.search(source) is None:
        return False
    if _ATTRIBUTE.search(source):
        return True
    for statement in _FROM_IMPORT.finditer(source):
        names = statement.group(1)
        if "*" in names or ENTRY_POINT_NAME.search(names):
            return True
    return False
