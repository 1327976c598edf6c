from __future__ import annotations

import ast

from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.cuda._facts import called_from_device_code


class KernelReturnsValue(Rule):
    """## What it does
    Flags `return <value>` in a CUDA kernel (`@cuda.jit` without `device=True`). A bare
    `return` (or `return None`) to leave the kernel early is fine, and so is a device function
    (`@cuda.jit(device=True)`) that returns a value. A `@cuda.jit` function that other CUDA
    functions of the module call is compiled as a device function there, and is not flagged
    either.

    ## Why is this bad?
    A kernel's return type is void: it hands results back by writing into an array argument.
    Numba stops with "No conversion from float64 to none". (The CUDA simulator silently drops
    the value instead, so a test run under `NUMBA_ENABLE_CUDASIM=1` does not catch it.)

    ## Example
    ```python
    @cuda.jit
    def total(a):
        s = 0.0
        for x in a:
            s += x
        return s
    ```

    ## Use instead
    ```python
    @cuda.jit
    def total(a, out):
        s = 0.0
        for x in a:
            s += x
        out[0] = s
    ```
    or keep the computation in a `@cuda.jit(device=True)` function that a kernel calls.
    """

    code = "NB601"
    name = "kernel-returns-value"
    severity = Severity.ERROR
    message = (
        "A CUDA kernel cannot return a value (its return type is void); write the result "
        "into an array argument, or make this a `device=True` function"
    )
    targets = frozenset({Target.CUDA_KERNEL})

    VALID = (
        Valid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    i = cuda.grid(1)\n"
            "    if i >= a.size:\n        return\n    a[i] = 1.0\n"
        ),
        Valid("from numba import cuda\n@cuda.jit\ndef k(a):\n    a[0] = 1.0\n    return None\n"),
        Valid("from numba import cuda\n@cuda.jit(device=True)\ndef d(x):\n    return x + 1.0\n"),
        Valid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    def inner(x):\n"
            "        return x + 1.0\n    a[0] = inner(a[1])\n"
        ),
        Valid(
            "from numba import cuda\n@cuda.jit\ndef add(x, y):\n    return x + y\n@cuda.jit\n"
            "def k(a):\n    a[0] = add(a[1], a[2])\n"
        ),
        Valid("import numba\n@numba.njit\ndef f(x):\n    return x + 1.0\n", call="f(1.0)"),
    )
    INVALID = (
        Invalid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    return a[0] * 2.0\n",
            line=4,
            column=5,
        ),
        Invalid(
            "import numba\n@numba.cuda.jit('void(float64[:])')\ndef k(a):\n    if a[0] > 0:\n"
            "        return 1\n    a[0] = 0.0\n",
            line=5,
        ),
        Invalid(
            "from numba import cuda\ndef slow(a):\n    return a.size\nfast = cuda.jit(slow)\n",
            line=3,
        ),
    )

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._nested = 0
        assert ctx.function is not None
        self._device = called_from_device_code(ctx.module, ctx.function.name)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._nested += 1

    def leave_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._nested -= 1

    visit_AsyncFunctionDef = visit_FunctionDef
    leave_AsyncFunctionDef = leave_FunctionDef

    def visit_Return(self, node: ast.Return) -> None:
        if self._device or self._nested or node.value is None:
            return
        if isinstance(node.value, ast.Constant) and node.value.value is None:
            return
        self.report(node)
