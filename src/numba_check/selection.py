"""Which codes are on for which file: --select/--ignore/--extend-select/--per-file-ignores.

As in ruff, the most specific selector wins: ``--select NB1 --ignore NB101`` turns NB101 off,
``--ignore NB1 --select NB101`` turns it on. On a tie, ignore wins.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath

ALL = "ALL"


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] = ("NB",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Codes that only run when a selector names them more specifically than the family.
    default_off: frozenset[str] = field(default_factory=frozenset)

    def enabled(self, code: str, filename: str = "") -> bool:
        if not self._enabled_globally(code):
            return False
        if self.per_file_ignores and filename:
            for pattern, codes in self.per_file_ignores:
                if _path_matches(filename, pattern) and _best(code, codes) >= 0:
                    return False
        return True

    def _enabled_globally(self, code: str) -> bool:
        return _decide(
            code, self.select + self.extend_select, self.ignore, code in self.default_off
        )


@lru_cache(maxsize=4096)
def _decide(code: str, chosen: tuple[str, ...], ignored: tuple[str, ...], off: bool) -> bool:
    on = _best(code, chosen)
    no = _best(code, ignored)
    if on < 0 or no >= on:
        return False
    # A default-off code needs an exact selector, like ruff's preview/opt-in rules.
    return not off or any(s == code for s in chosen)


def _best(code: str, selectors: Iterable[str]) -> int:
    """Length of the most specific selector matching `code`; -1 when none does."""
    best = -1
    for sel in selectors:
        if sel == ALL:
            best = max(best, 0)
        elif code.startswith(sel):
            best = max(best, len(sel))
    return best


def _path_matches(filename: str, pattern: str) -> bool:
    """Whether `filename` (as shown: relative to the working directory, or absolute) matches
    `pattern`: a bare name matches the file's name, at any depth; a pattern with a `/` was made
    absolute where it was written (`settings.anchor_pattern`) and matches the whole path.
    ``**/`` may stand for no folder at all."""
    if "/" not in pattern:
        return fnmatch.fnmatch(PurePath(filename).name, pattern)
    absolute = _absolute(filename)
    return fnmatch.fnmatch(absolute, pattern) or (
        "/**/" in pattern and fnmatch.fnmatch(absolute, pattern.replace("/**/", "/"))
    )


def _absolute(filename: str) -> str:
    return PurePath(os.path.abspath(filename)).as_posix()


def validate_selectors(selectors: Sequence[str], known_codes: Iterable[str]) -> list[str]:
    """The selectors that match no known code (typos), for a clear error."""
    codes = list(known_codes)
    return [s for s in selectors if s != ALL and not any(c.startswith(s) for c in codes)]
