"""Shared state for rules that care whether they are inside an `except` block or a `try` body."""

from __future__ import annotations

import ast

from numba_check.rules.base import Rule

HANDLER, CATCHING_BODY = "handler", "try"


class InsideHandler(Rule):
    """Tracks enclosing except handlers and catching try bodies, per (nested) function."""

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._stack: list[list[str]] = [[]]

    @property
    def in_handler(self) -> bool:
        return HANDLER in self._stack[-1]

    @property
    def escapes_function(self) -> bool:
        """Whether an exception raised here leaves the function (no enclosing try catches it)."""
        return CATCHING_BODY not in self._stack[-1]

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if id(node) not in self.ctx.module.star_handlers:
            self._stack[-1].append(HANDLER)

    def leave_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if id(node) not in self.ctx.module.star_handlers:
            self._stack[-1].pop()

    def visit_Try_body(self, node: ast.Try) -> None:
        if node.handlers:
            self._stack[-1].append(CATCHING_BODY)

    def leave_Try_body(self, node: ast.Try) -> None:
        if node.handlers:
            self._stack[-1].pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._stack.append([])

    def leave_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._stack.pop()

    visit_AsyncFunctionDef = visit_FunctionDef
    leave_AsyncFunctionDef = leave_FunctionDef
