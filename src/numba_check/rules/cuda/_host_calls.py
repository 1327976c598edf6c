"""Calls made from host (plain Python) code, for the module rules about launching CUDA code."""

from __future__ import annotations

import libcst as cst

from numba_check.compiled import Target
from numba_check.rules.base import ModuleRule
from numba_check.rules.cuda._facts import cuda_kind


class HostCallRule(ModuleRule):
    """Reports `name(...)` calls outside compiled code where `name` is a CUDA function of kind
    `kind`. Inside compiled code calls are the compiler's business (a kernel may call another
    `@cuda.jit` function like a device function)."""

    kind: Target

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._compiled_depth = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if id(node) in self.ctx.module.compiled_nodes:
            self._compiled_depth += 1

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        if id(node) in self.ctx.module.compiled_nodes:
            self._compiled_depth -= 1

    def visit_Call(self, node: cst.Call) -> None:
        if self._compiled_depth or not isinstance(node.func, cst.Name):
            return
        if cuda_kind(self.ctx.module, node.func) is self.kind:
            self.report(node, self.message.format(name=node.func.value))
