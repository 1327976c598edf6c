"""Shared state for rules that care whether they are inside an `except` block or a `try` body."""

from __future__ import annotations

import ast

from numba_check.rules.base import Rule

HANDLER, CATCHING_BODY = "handler", "try"


def star_handlers(node: ast.TryStar) -> set[int]:
    """Ids of the `except*` handlers of `node`: `ast.ExceptHandler`s too, which libcst's
    `ExceptHandler` was not (a rule on `except` never looked at them)."""
    return {id(handler) for handler in node.handlers}


class InsideHandler(Rule):
    """Tracks enclosing except handlers and catching try bodies, per (nested) function."""

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._stack: list[list[str]] = [[]]
        self._star_handlers: set[int] = set()

    @property
    def in_handler(self) -> bool:
        return HANDLER in self._stack[-1]

    @property
    def escapes_function(self) -> bool:
        """Whether an exception raised here leaves the function (no enclosing try catches it)."""
        return CATCHING_BODY not in self._stack[-1]

    def visit_TryStar(self, node: ast.TryStar) -> None:
        self._star_handlers |= star_handlers(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if id(node) not in self._star_handlers:
            self._stack[-1].append(HANDLER)

    def leave_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if id(node) not in self._star_handlers:
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
