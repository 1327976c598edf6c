from __future__ import annotations

import ast

from numba_check.compiled import CUDA_TARGETS, Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.cuda._facts import cuda_kind


class KernelLaunchInDeviceCode(Rule):
    """## What it does
    Flags a kernel launch, `kernel[blocks, threads](...)`, inside a CUDA kernel or device
    function.

    ## Why is this bad?
    Numba does not support launching kernels from the GPU (CUDA dynamic parallelism): the
    launch fails to compile with "No implementation of function Function(<built-in function
    getitem>)" (Numba 0.57 to 0.68). Calling the other kernel like a function, `kernel(a)`,
    does compile: it runs in the calling thread as a device function.

    ## Example
    ```python
    @cuda.jit
    def outer(a):
        inner[1, 32](a)
    ```

    ## Use instead
    Launch both kernels from the host, one after the other, or call `inner(a)` as a device
    function from each thread.
    """

    code = "NB613"
    name = "kernel-launch-in-device-code"
    severity = Severity.ERROR
    message = (
        "Numba cannot launch kernel `{name}` from device code (no dynamic parallelism); "
        "launch it from the host, or call it as a device function"
    )
    targets = CUDA_TARGETS

    VALID = (
        Valid(
            "from numba import cuda\n@cuda.jit\ndef inner(a):\n    a[0] = 1.0\n@cuda.jit\n"
            "def outer(a):\n    inner(a)\ndef run(a):\n    inner[1, 32](a)\n"
        ),
        Valid("from numba import cuda\n@cuda.jit\ndef k(a, table):\n    a[0] = table[1, 2]\n"),
    )
    INVALID = (
        Invalid(
            "from numba import cuda\n@cuda.jit\ndef inner(a):\n    a[0] = 1.0\n@cuda.jit\n"
            "def outer(a):\n    inner[1, 1](a)\n",
            line=7,
            column=5,
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (
            isinstance(func, ast.Subscript)
            and isinstance(func.value, ast.Name)
            and cuda_kind(self.ctx.module, func.value) is Target.CUDA_KERNEL
        ):
            self.report(node, self.message.format(name=func.value.id))
