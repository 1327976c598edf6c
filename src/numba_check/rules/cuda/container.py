from __future__ import annotations

import ast

from numba_check.compiled import CUDA_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.cuda._facts import is_builtin_call

CONSTRUCTORS = frozenset({"dict", "set", "list"})


class CudaContainer(Rule):
    """## What it does
    Flags dict and set displays (`{1: 2.0}`, `{}`, `{1, 2}`) and calls of `dict()`, `set()`
    and `list()` in CUDA kernels and device functions. (Comprehensions are NB109/NB110.)

    List displays are not flagged: Numba compiles `for v in [1.0, 2.0]` and `x in [1, 2]` in
    device code, though a list stored in a variable is refused.

    ## Why is this bad?
    Dicts and sets live on the heap, and device code cannot allocate. Numba stops with an
    internal error such as "'CUDATargetContext' object has no attribute 'build_set'",
    "No implementation of function Function(<built-in function hash>)" or "Untyped global
    name 'dict'" (every Numba version from 0.57 to 0.68). The CUDA simulator runs them, so a
    simulated test does not catch it.

    ## Example
    ```python
    @cuda.jit
    def kernel(codes, out):
        weights = {0: 0.5, 1: 2.0}
        i = cuda.grid(1)
        if i < codes.size:
            out[i] = weights[codes[i]]
    ```

    ## Use instead
    A tuple indexed by position, or an array passed in from the host:
    ```python
    @cuda.jit
    def kernel(codes, out):
        weights = (0.5, 2.0)
        i = cuda.grid(1)
        if i < codes.size:
            out[i] = weights[codes[i]]
    ```
    """

    code = "NB605"
    name = "cuda-container"
    severity = Severity.ERROR
    message = "CUDA device code cannot build a {kind} (it cannot allocate); use a tuple or an array"
    targets = CUDA_TARGETS

    VALID = (
        Valid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    w = (0.5, 2.0)\n"
            "    for v in [1.0, 2.0]:\n        a[0] += v * w[0]\n"
        ),
        Valid(
            "from numba import cuda\ndef dict(x):\n    return x\n@cuda.jit\ndef k(a):\n"
            "    a[0] = 1.0\n"
        ),
        Valid(
            "import numba\n@numba.njit\ndef f():\n    d = {1: 2.0}\n    return d[1]\n", call="f()"
        ),
    )
    INVALID = (
        Invalid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    d = {1: 2.0}\n    a[0] = d[1]\n",
            line=4,
            column=9,
        ),
        Invalid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    if a[1] in {1.0, 2.0}:\n"
            "        a[0] = 1.0\n",
            line=4,
        ),
        Invalid(
            "import numba\n@numba.cuda.jit(device=True)\ndef d(x):\n    s = set()\n    s.add(x)\n"
            "    return len(s)\n",
            line=4,
        ),
    )

    def visit_Dict(self, node: ast.Dict) -> None:
        self.report(node, self.message.format(kind="dict"))

    def visit_Set(self, node: ast.Set) -> None:
        self.report(node, self.message.format(kind="set"))

    def visit_Call(self, node: ast.Call) -> None:
        name = is_builtin_call(self.ctx, node, CONSTRUCTORS)
        if name is not None:
            self.report(node, self.message.format(kind=name))
