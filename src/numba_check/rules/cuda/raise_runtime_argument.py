from __future__ import annotations

import ast

from numba_check.compiled import CUDA_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.cuda._facts import FunctionNames
from numba_check.semantic import types as t


class CudaRaiseRuntimeArgument(Rule):
    """## What it does
    Flags `raise SomeError(...)` in CUDA kernels and device functions when an argument is a
    run-time value: a parameter, an array element, a thread index, an f-string built from one,
    or arithmetic on names. Constant arguments (`raise ValueError("negative input")`, a
    module-level constant, a literal number) are fine.

    ## Why is this bad?
    On the CPU, Numba builds exceptions with run-time arguments since 0.57; the CUDA target
    cannot, and fails with the internal error "'CUDACallConv' object has no attribute
    'return_dynamic_user_exc'" (an f-string fails earlier, on `str()` of the number). Note
    that even a constant `raise` only stops the thread that raised, and only with
    `@cuda.jit(debug=True)` does it reach the host.

    ## Example
    ```python
    @cuda.jit
    def kernel(a):
        i = cuda.grid(1)
        if i < a.size and a[i] < 0:
            raise ValueError("negative value at", i)
    ```

    ## Use instead
    A constant message, or record the failure in an output array the host inspects:
    ```python
    @cuda.jit
    def kernel(a, bad):
        i = cuda.grid(1)
        if i < a.size and a[i] < 0:
            bad[0] = i
    ```
    """

    code = "NB607"
    name = "cuda-raise-runtime-argument"
    severity = Severity.ERROR
    message = (
        "CUDA device code can only raise exceptions with constant arguments, and `{arg}` is "
        "a run-time value; use a constant message or write the value to an output array"
    )
    targets = CUDA_TARGETS

    VALID = (
        Valid(
            "from numba import cuda\nMSG = 'negative'\n@cuda.jit\ndef k(a):\n    if a[0] < 0:\n"
            "        raise ValueError('negative', 1, -2.5)\n    if a[1] < 0:\n"
            "        raise ValueError(MSG)\n    if a[2] < 0:\n        raise ValueError\n"
        ),
        Valid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    m = 'bad'\n    if a[0] < 0:\n"
            "        raise ValueError(m)\n"
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    if x < 0:\n        raise ValueError('neg', x)\n"
            "    return x\n",
            call="f(1)",
        ),
    )
    INVALID = (
        Invalid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    if a[0] < 0:\n"
            "        raise ValueError('negative', a[0])\n",
            line=5,
            column=9,
        ),
        Invalid(
            "import numba\n@numba.cuda.jit(device=True)\ndef d(x):\n    if x < 0:\n"
            "        raise ValueError('negative', x)\n    return x\n",
            line=5,
        ),
        Invalid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    i = cuda.grid(1)\n    if a[0] < 0:\n"
            "        raise IndexError(f'bad {i}')\n",
            line=6,
        ),
        Invalid(
            "from numba import cuda\nN = 3\n@cuda.jit\ndef k(a):\n    if a[0] < 0:\n"
            "        err = ValueError('x', N * 2)\n        raise err\n",
            line=7,
        ),
        # Over every binding, not along the flow: `n = 3` does not make the raise static
        # (compiled to PTX on 0.60, 0.63, 0.68: "'CUDACallConv' object has no attribute
        # 'return_dynamic_user_exc'").
        Invalid(
            "from numba import cuda\n@cuda.jit\ndef k(a, n):\n    if n > 2:\n        n = 3\n"
            "        raise ValueError(n)\n    a[0] = n\n",
            line=6,
        ),
    )

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        # Over every binding in the kernel, not along the flow: see `FunctionNames.along_flow`.
        self._names = FunctionNames(ctx, along_flow=False)

    def visit_Raise(self, node: ast.Raise) -> None:
        exc = node.exc
        if isinstance(exc, ast.Name):
            # `err = ValueError(...); raise err`
            exc = self._names.single_value(exc.id)
        if not isinstance(exc, ast.Call):
            return
        for value in _argument_values(exc):
            if isinstance(self._names.constness(value), t.NonLiteral):
                written = self.ctx.module.quote(value)
                self.report(node, self.message.format(arg=written))
                return


def _argument_values(call: ast.Call) -> list[ast.expr]:
    """The values of `call`'s arguments in the order written: `x` for `*x`, `k=x` and `**x`."""
    args = [a.value if isinstance(a, ast.Starred) else a for a in call.args]
    values = [*args, *(k.value for k in call.keywords)]
    # A keyword may come before a `*x` (`f(k=1, *rest)`).
    return sorted(values, key=lambda v: (v.lineno, v.col_offset))
