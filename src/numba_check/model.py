"""Plain data that flows from the engine to the formatters: diagnostics, locations, fixes.

Positions: ``line`` is 1-based, ``column`` is 0-based (in characters). Formatters convert to the
1-based columns that ruff prints, once, in the output layer.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(str, enum.Enum):
    """How bad a diagnostic is.

    error: Numba refuses to compile it for the configured target and version.
    warning: it compiles but the result can differ from Python.
    info: it compiles and is correct but wastes the speed-up, or concerns the tool itself.
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Applicability(str, enum.Enum):
    """Whether a fix keeps behaviour (safe) or may change it (unsafe), as ruff says it."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class Location:
    line: int  # 1-based
    column: int  # 0-based, in characters


@dataclass(frozen=True)
class Edit:
    """Replace the text between ``start`` and ``end`` with ``content``."""

    start: Location
    end: Location
    content: str


@dataclass(frozen=True)
class Rewrite:
    """A fix that changes structure, computed with libcst only when the file is fixed (the lint
    path never imports libcst): the transformation registered as ``kind`` in
    ``numba_check.rewrites``, applied to the node written between ``start`` and ``end``, with
    ``args`` (a spelling the rule chose, such as ``np.int_``)."""

    kind: str
    start: Location
    end: Location
    args: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fix:
    applicability: Applicability
    message: str
    # Empty for a fix by `rewrite` until it is resolved against the text (fixes.resolve).
    edits: tuple[Edit, ...]
    rewrite: Rewrite | None = None


@dataclass(frozen=True)
class Diagnostic:
    code: str
    name: str
    message: str
    severity: Severity
    filename: str
    location: Location
    end_location: Location
    fix: Fix | None = None
    url: str | None = None
    # The notebook cell (1-based) the position refers to, when the file is a notebook. Part of
    # equality: the same row and column in two cells are two places.
    cell: int | None = None

    def sort_key(self) -> tuple[str, int, int, int, str]:
        # A notebook's rows count from the top of each cell: cells first, then rows.
        return (self.filename, self.cell or 0, self.location.line, self.location.column, self.code)


class RuleFailed(Exception):
    """A rule raised while checking a file. `plugin` names the third-party plugin that added
    the rule; None for a built-in rule (then it is a bug in numba-check)."""

    def __init__(self, message: str, plugin: str | None = None) -> None:
        super().__init__(message, plugin)  # both, so that it crosses to a worker's parent
        self.message = message
        self.plugin = plugin

    def __str__(self) -> str:
        return self.message
