from __future__ import annotations

import ast

from numba_check.compiled import CUDA_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid


class CudaGenerator(Rule):
    """## What it does
    Flags `yield` in CUDA kernels and device functions. (`yield from` is NB107, generator
    expressions NB111.)

    ## Why is this bad?
    The CUDA target does not compile generators. A kernel that yields fails with "CUDA kernel
    must have void return type", a device function with a type error on its return value.

    ## Example
    ```python
    @cuda.jit(device=True)
    def neighbours(i):
        yield i - 1
        yield i + 1
    ```

    ## Use instead
    Return a tuple, or loop in the caller:
    ```python
    @cuda.jit(device=True)
    def neighbours(i):
        return i - 1, i + 1
    ```
    """

    code = "NB606"
    name = "cuda-generator"
    severity = Severity.ERROR
    message = "CUDA device code cannot be a generator; return a tuple or loop in the caller"
    targets = CUDA_TARGETS

    VALID = (
        Valid(
            "from numba import cuda\n@cuda.jit(device=True)\ndef d(i):\n    return i - 1, i + 1\n"
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    for i in range(n):\n        yield i\n",
            call="list(f(3))",
        ),
    )
    INVALID = (
        Invalid(
            "from numba import cuda\n@cuda.jit(device=True)\ndef d(i):\n    yield i - 1\n"
            "    yield i + 1\n",
            line=4,
            column=5,
            count=2,
        ),
        Invalid(
            "import numba\n@numba.cuda.jit\ndef k(a):\n    for x in a:\n        yield x\n",
            line=5,
        ),
    )

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._nested = 0

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._nested += 1

    def leave_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._nested -= 1

    visit_AsyncFunctionDef = visit_FunctionDef
    leave_AsyncFunctionDef = leave_FunctionDef

    def visit_Yield(self, node: ast.Yield) -> None:
        # `yield from` (`ast.YieldFrom`) is NB107's, on every target.
        if not self._nested:
            self.report(node)
