from __future__ import annotations

import ast

from numba_check.compiled import CUDA_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid

# NumPy functions that build a new array. Each was refused by `cuda.compile_ptx` on Numba
# 0.57.1, 0.60.0, 0.63.1 and 0.68.1 (the built-in CUDA target).
ALLOCATING = frozenset(
    f"numpy.{name}"
    for name in (
        "arange",
        "array",
        "asarray",
        "ascontiguousarray",
        "concatenate",
        "copy",
        "empty",
        "empty_like",
        "eye",
        "frombuffer",
        "full",
        "full_like",
        "hstack",
        "identity",
        "linspace",
        "ones",
        "ones_like",
        "repeat",
        "stack",
        "vstack",
        "zeros",
        "zeros_like",
    )
)


class CudaArrayAllocation(Rule):
    """## What it does
    Flags NumPy calls that create an array (`np.zeros`, `np.empty`, `np.ones`, `np.full`,
    the `*_like` forms, `np.array`, `np.asarray`, `np.copy`, `np.arange`, `np.linspace`,
    `np.eye`, `np.identity`, `np.concatenate`, `np.stack`, `np.hstack`, `np.vstack`,
    `np.repeat`, `np.frombuffer`) in CUDA kernels and device functions.

    ## Why is this bad?
    Device code cannot allocate memory: the CUDA documentation says "Numba disallows any
    memory allocating features", and every one of these calls fails to compile for the CUDA
    target (Numba 0.57 to 0.68, built-in target), with messages as unhelpful as "Signature
    mismatch: 1 argument types given, but function takes 2 arguments". Under the CUDA
    simulator they run, so a simulated test does not catch them.

    ## Example
    ```python
    @cuda.jit
    def kernel(out):
        tmp = np.zeros(4)
        ...
    ```

    ## Use instead
    A per-thread array of constant size, or one shared by the block, or an array allocated
    on the host and passed in:
    ```python
    @cuda.jit
    def kernel(out):
        tmp = cuda.local.array(4, numba.float64)
        for j in range(4):
            tmp[j] = 0.0
        ...
    ```
    """

    code = "NB602"
    name = "cuda-array-allocation"
    severity = Severity.ERROR
    message = (
        "`{name}` allocates a new array, which CUDA device code cannot do; use "
        "`cuda.local.array(shape, dtype)` / `cuda.shared.array(shape, dtype)` with a constant "
        "shape, or allocate on the host and pass the array in"
    )
    targets = CUDA_TARGETS

    VALID = (
        Valid(
            "from numba import cuda, float64\n@cuda.jit\ndef k(a):\n"
            "    tmp = cuda.local.array(4, float64)\n    tmp[0] = 1.0\n    a[0] = tmp[0]\n"
        ),
        Valid(
            "import numpy as np\nfrom numba import cuda\n@cuda.jit\ndef k(a):\n"
            "    a[0] = np.float32(a[1]) + np.sin(a[2])\n"
        ),
        Valid(
            "import numpy as np\nfrom numba import cuda\n@cuda.jit\ndef k(a):\n    a[0] = 1.0\n"
            "def run():\n    a = np.zeros(4)\n    k[1, 1](a)\n"
        ),
        Valid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(n):\n    return np.zeros(n)\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numpy as np\nfrom numba import cuda\n@cuda.jit\ndef k(a):\n"
            "    tmp = np.zeros(4)\n    a[0] = tmp[0]\n",
            line=5,
            column=11,
        ),
        Invalid(
            "import numpy\nimport numba.cuda\n@numba.cuda.jit(device=True)\ndef d(a):\n"
            "    b = numpy.empty_like(a)\n    return b[0]\n",
            line=5,
        ),
        Invalid(
            "from numpy import arange\nfrom numba import cuda\n@cuda.jit\ndef k(a):\n"
            "    for j in arange(3):\n        a[j] = j\n",
            line=5,
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        names = self.ctx.qualified_names(node.func) & ALLOCATING
        if names:
            self.report(node, self.message.format(name="np." + min(names).split(".", 1)[1]))
