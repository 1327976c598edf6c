"""What the ufunc rules share: reading the decorator once, and a walk over the kernel body."""

from __future__ import annotations

import ast
from functools import cached_property
from typing import ClassVar

from numba_check.compiled import CompiledFunction, FunctionNode
from numba_check.rules.base import Rule, Version
from numba_check.rules.ufuncs._spec import (
    Layout,
    LayoutProblem,
    UfuncSpec,
    decorator_options,
    kernel_typing_is_fatal,
    on_cpu,
    parse_layout,
    spec,
)

# Printed in the catalogue for the rules whose verdict comes from typing the kernel body.
FALLBACK_NOTE = (
    ">= 0.59; before, only with nopython=True, target='parallel' or a lazy @vectorize "
    "(a CPU ufunc fell back to object mode)"
)


class UfuncRule(Rule):
    """A rule about a ``@vectorize`` / ``@guvectorize`` built for the CPU."""

    # True for rules about the kernel body, which Numba only types in nopython mode: before
    # 0.59 a typing failure there fell back to object mode and compiled.
    needs_nopython_kernel: ClassVar[bool] = False
    # `applies` reads the decorator's `target=` and `nopython=`.
    reads_options = True

    @classmethod
    def applies(cls, function: CompiledFunction, version: Version) -> bool:
        if not super().applies(function, version) or not on_cpu(function):
            return False
        return not cls.needs_nopython_kernel or kernel_typing_is_fatal(function, version)

    @cached_property
    def spec(self) -> UfuncSpec | None:
        assert self.ctx.function is not None
        return spec(self.ctx, self.ctx.function)

    @property
    def kernel_checked(self) -> bool:
        """Whether to look at the kernel: a readable CPU ufunc whose typing errors are fatal.

        `applies` cannot see the options of ``fast = vectorize(sigs, nopython=True)(slow)``
        (compiled.py drops them); this can.
        """
        function = self.ctx.function
        if self.spec is None or function is None:
            return False
        if not self.needs_nopython_kernel:
            return True
        options = decorator_options(self.ctx, function)
        return kernel_typing_is_fatal(function, self.ctx.numba_version, options)

    @cached_property
    def layout(self) -> Layout | LayoutProblem | None:
        text = self.spec.layout_text if self.spec else None
        return parse_layout(text) if text is not None else None

    @property
    def kernel(self) -> FunctionNode:
        assert self.ctx.function is not None
        return self.ctx.function.node


class KernelWalk(UfuncRule):
    """Collects the kernel's own statements of interest, skipping nested functions."""

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._nested = 0
        self.returns: list[ast.Return] = []
        self.raises = 0
        self.yields = 0
        self.subscript_writes: list[tuple[str, ast.AST]] = []

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._nested += 1

    def leave_FunctionDef(self, original_node: ast.FunctionDef) -> None:
        self._nested -= 1

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._nested += 1

    def leave_AsyncFunctionDef(self, original_node: ast.AsyncFunctionDef) -> None:
        self._nested -= 1

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._nested += 1

    def leave_Lambda(self, original_node: ast.Lambda) -> None:
        self._nested -= 1

    def visit_Return(self, node: ast.Return) -> None:
        if not self._nested:
            self.returns.append(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        if not self._nested:
            self.raises += 1

    def visit_Yield(self, node: ast.Yield) -> None:
        self.yields += 1

    def visit_YieldFrom(self, node: ast.YieldFrom) -> None:
        self.yields += 1

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._write(target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._write(node.target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._write(node.target)

    def _write(self, target: ast.expr) -> None:
        subscript = isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
        if subscript and not self._nested:
            self.subscript_writes.append((target.value.id, target))  # type: ignore[attr-defined]

    @property
    def value_returns(self) -> list[ast.Return]:
        """``return expr`` where expr is not ``None``."""
        return [
            r
            for r in self.returns
            if r.value is not None
            and not (isinstance(r.value, ast.Constant) and r.value.value is None)
        ]
