"""Shared state for rules that care whether they are inside an `except` block."""

from __future__ import annotations

import libcst as cst

from numba_check.rules.base import Rule


class InsideHandler(Rule):
    """Tracks except-handler depth; nested functions start afresh (their body is separate)."""

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._depth = [0]

    @property
    def in_handler(self) -> bool:
        return self._depth[-1] > 0

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        self._depth[-1] += 1

    def leave_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        self._depth[-1] -= 1

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._depth.append(0)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._depth.pop()
