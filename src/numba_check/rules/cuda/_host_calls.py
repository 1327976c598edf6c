"""Calls made from host (plain Python) code, for the module rules about launching CUDA code."""

from __future__ import annotations

import ast

from numba_check import matching as m
from numba_check.compiled import FunctionNode, Target
from numba_check.rules.base import ModuleRule
from numba_check.rules.cuda._facts import cuda_kind, findall_in
from numba_check.rules.cuda.array_allocation import ALLOCATING

# Calls that only host code makes: data movement and device management.
HOST_API = frozenset(
    f"numba.cuda.{name}"
    for name in (
        "close",
        "default_stream",
        "detect",
        "device_array",
        "device_array_like",
        "event",
        "get_current_device",
        "is_available",
        "managed_array",
        "mapped_array",
        "mapped_array_like",
        "pinned_array",
        "pinned_array_like",
        "select_device",
        "stream",
        "synchronize",
        "to_device",
    )
)


class HostCallRule(ModuleRule):
    """Reports `name(...)` where `name` is a CUDA function of kind `kind` and the call is in
    host code: at module level, or in a plain function that is plainly host code (it takes
    no parameters, launches a kernel, moves data with `cuda.to_device`/`device_array`..., or
    allocates NumPy arrays). A plain function with parameters and none of those may be device
    code compiled some other way (`cuda.jit(sig)(body)` in a test helper), where a kernel
    called like a function compiles as a device function: unknown, so silent."""

    kind: Target

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._functions: list[FunctionNode] = []
        self._host: dict[int, bool] = {}

    def visit_FunctionDef(self, node: FunctionNode) -> None:
        self._functions.append(node)

    def leave_FunctionDef(self, node: FunctionNode) -> None:
        self._functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef
    leave_AsyncFunctionDef = leave_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        if not isinstance(node.func, ast.Name):
            return
        if self._functions and not self._is_host(self._functions[-1]):
            return
        if cuda_kind(self.ctx.module, node.func) is self.kind:
            self.report(node, self.message.format(name=node.func.id))

    def _is_host(self, function: FunctionNode) -> bool:
        key = id(function)
        if key not in self._host:
            self._host[key] = self._decide(function)
        return self._host[key]

    def _decide(self, function: FunctionNode) -> bool:
        if any(id(f) in self.ctx.module.compiled_nodes for f in self._functions):
            return False  # compiled code: calls there are the compiler's business
        params = function.args
        if not (
            params.args
            or params.posonlyargs
            or params.kwonlyargs
            or params.vararg is not None
            or params.kwarg is not None
        ):
            return True
        for call in findall_in(function.body, m.Call()):
            assert isinstance(call, ast.Call)
            func = call.func
            if (
                isinstance(func, ast.Subscript)
                and isinstance(func.value, ast.Name)
                and cuda_kind(self.ctx.module, func.value) is Target.CUDA_KERNEL
            ):
                return True  # `k[blocks, threads](...)`
            if self.ctx.qualified_names(func) & (HOST_API | ALLOCATING):
                return True
        return False
