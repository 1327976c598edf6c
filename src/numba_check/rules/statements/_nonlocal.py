"""Shared by the two nonlocal rules: which inner functions assign a `nonlocal` name twice."""

from __future__ import annotations

import ast

from numba_check.rules.base import FunctionContext, Rule
from numba_check.rules.statements._scopes import (
    binding_targets,
    called_names,
    scope_nodes,
    target_names,
)


class NonlocalAssignments(Rule):
    """Reports the second assignment site of a `nonlocal` name in a called inner function."""

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._called: set[str] | None = None

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        nonlocals = self.ctx.semantic.function(node).declared("nonlocal")
        if not nonlocals:
            return
        sites: dict[str, list[ast.Name]] = {}
        for inner in scope_nodes(node.body):
            for target in binding_targets(inner):
                for name in target_names(target):
                    if name.id in nonlocals:
                        sites.setdefault(name.id, []).append(name)
        twice = {name: found for name, found in sites.items() if len(found) >= 2}
        if not twice:
            return
        # Numba inlines an inner function where it is called; one never called is dropped.
        if self._called is None:
            assert self.ctx.function is not None
            self._called = called_names(self.ctx.function.node.body)
        if node.name not in self._called:
            return
        for name, found in twice.items():
            self.report(
                found[1],
                self.message.format(name=name, function=node.name, count=len(found)),
            )

    visit_AsyncFunctionDef = visit_FunctionDef
