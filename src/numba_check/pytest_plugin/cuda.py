"""``numba_check.kernel``: run a CUDA kernel and a reference on copies, compare the arrays."""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

from numba_check.pytest_plugin import cudasim, report
from numba_check.pytest_plugin.compare import compare
from numba_check.pytest_plugin.results import KernelResult

if TYPE_CHECKING:
    from numba_check.pytest_plugin.fixture import NumbaCheck

_THREAD = re.compile(r"tid=\[(\d+), (\d+), (\d+)\] ctaid=\[(\d+), (\d+), (\d+)\]:\s*(.*)", re.S)


def _host(value: Any) -> Any:
    copy_to_host = getattr(value, "copy_to_host", None)
    return copy_to_host() if callable(copy_to_host) else value


def _is_array(value: Any) -> bool:
    return isinstance(value, np.ndarray) or hasattr(value, "copy_to_host")


def thread_message(exc: BaseException) -> str:
    """'thread (13, 0, 0) of block (0, 0, 0)' from the simulator's error text."""
    m = _THREAD.search(str(exc))
    if not m:
        return f"{type(exc).__name__}: {exc}"
    t, b, rest = m.group(1, 2, 3), m.group(4, 5, 6), m.group(7)
    return (
        f"thread ({', '.join(t)}) of block ({', '.join(b)}) raised {type(exc).__name__}: "
        f"{' '.join(rest.split())}"
    )


class KernelCheck:
    """Callable returned by ``numba_check.kernel(kernel, griddim, blockdim, reference=ref)``."""

    def __init__(
        self,
        owner: NumbaCheck,
        kernel: Any,
        griddim: Any,
        blockdim: Any,
        reference: Callable[..., Any],
    ) -> None:
        self.owner = owner
        self.kernel = kernel
        self.griddim = griddim
        self.blockdim = blockdim
        self.reference = reference
        self.name = getattr(kernel, "__name__", None) or getattr(
            getattr(kernel, "py_func", None), "__name__", repr(kernel)
        )

    def _param_names(self) -> list[str]:
        func = getattr(self.kernel, "py_func", None) or getattr(self.kernel, "fn", None)
        try:
            return list(inspect.signature(func).parameters) if func else []
        except (TypeError, ValueError):
            return []

    def _fail(self, status: str, message: str) -> None:
        report.record(
            self.owner._item,
            report.Row(
                test=self.owner._item.nodeid,
                function=self.name,
                kind="cuda kernel",
                python_time=None,
                numba_time=None,
                speedup=None,
                required=None,
                compile_time=None,
                status=status,
                detail=message,
            ),
        )
        pytest.fail(message, pytrace=False)

    def __call__(self, *args: Any) -> KernelResult:
        __tracebackhide__ = True
        # The earliest safe moment in auto mode: the first kernel check of the session.
        cudasim.import_for_kernels(self.owner._cuda_wanted)
        problem = self.owner._cuda_conflict or cudasim.conflict(self.owner._cuda_wanted)
        if problem:
            self._fail("cuda mode conflict", f"numba-check: {problem}")
        from numba import cuda  # noqa: F401 - imported after the mode is settled

        simulator = cudasim.simulator_loaded()
        if not hasattr(self.kernel, "__getitem__") or not type(self.kernel).__module__.startswith(
            "numba.cuda"
        ):
            self._fail(
                "error",
                f"numba-check: numba_check.kernel() needs a @cuda.jit kernel, got "
                f"{type(self.kernel).__module__}.{type(self.kernel).__name__}",
            )
        host_args = tuple(_host(a) for a in args)
        k_args = copy.deepcopy(host_args)
        r_args = copy.deepcopy(host_args)
        error: BaseException | None = None
        try:
            self.kernel[self.griddim, self.blockdim](*k_args)
            if not simulator:
                cuda.synchronize()
        except Exception as exc:  # noqa: BLE001 - reported below, outside the except block
            error = exc
        if error is not None:
            hint = ""
            if isinstance(error, IndexError):
                hint = (
                    "\n  an index out of bounds: is a guard such as `if i < out.shape[0]:` "
                    "missing? (the launch has more threads than elements)"
                )
            self._fail(
                "kernel error",
                f"numba-check: kernel '{self.name}' failed with grid {self.griddim}, block "
                f"{self.blockdim}: {thread_message(error)}{hint}",
            )
        self.reference(*r_args)
        tol = self.owner.tolerance
        names = self._param_names()
        for i, (expected, got) in enumerate(zip(r_args, k_args, strict=True)):
            if not _is_array(expected):
                continue
            label = f"arg {i} {names[i]!r}" if i < len(names) else f"arg {i}"
            mismatch = compare(np.asarray(_host(expected)), np.asarray(_host(got)), label, tol)
            if mismatch:
                self._fail(
                    "mismatch",
                    f"numba-check: kernel '{self.name}' differs from reference "
                    f"'{getattr(self.reference, '__name__', 'reference')}'\n{mismatch.format()}",
                )
        skip = self.owner.timing_skip_reason(simulator=simulator) or (
            "kernel timing is not measured"
        )
        report.record(
            self.owner._item,
            report.Row(
                test=self.owner._item.nodeid,
                function=self.name,
                kind="cuda kernel" + (" (simulator)" if simulator else ""),
                python_time=None,
                numba_time=None,
                speedup=None,
                required=None,
                compile_time=None,
                status=f"timing skipped: {skip}",
            ),
        )
        return KernelResult(self.name, k_args, r_args, simulator, skip)
