from __future__ import annotations

import ast

from numba_check.compiled import CUDA_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.cuda._facts import (
    LOCAL_ARRAYS,
    FunctionNames,
    acts_as_device_function,
)
from numba_check.semantic import types as t


class CudaArrayShapeNotConstant(Rule):
    """## What it does
    Flags `cuda.local.array(shape, dtype)` and `cuda.shared.array(shape, dtype)` whose shape
    is not a compile-time constant: a parameter, something read from an array (`a.shape[0]`,
    `a.size`, `len(a)`), or arithmetic on names (`2 * N`, `N // 2`).

    A literal, a module-level constant (`N`), a local assigned once from one, arithmetic on
    literals only (`2 * 16`) and tuples of these are constants, and are not flagged. Neither
    are the parameters of a device function: called as `d(a, 4)`, it receives `4` as a
    constant.

    ## Why is this bad?
    The size of a local or shared array is fixed when the kernel is compiled. Numba stops
    with "No implementation of function Function(<function local.array ...>) found for
    signature". Numba does not fold `2 * N` into a constant even when `N` is a global, so
    compute the size in Python and give it a name.

    ## Example
    ```python
    @cuda.jit
    def kernel(a):
        tmp = cuda.local.array(a.shape[0], numba.float64)
        ...
    ```

    ## Use instead
    ```python
    TMP = 16   # the largest size the kernel needs

    @cuda.jit
    def kernel(a):
        tmp = cuda.local.array(TMP, numba.float64)
        ...
    ```
    For shared memory sized at launch, use `cuda.shared.array(0, dtype)` and pass the size in
    bytes as the fourth launch parameter: `kernel[blocks, threads, stream, nbytes](a)`.
    """

    code = "NB603"
    name = "cuda-array-shape-not-constant"
    severity = Severity.ERROR
    message = (
        "The shape of `{name}` must be a compile-time constant, and `{shape}` is not; use a "
        "literal or a module-level constant (Numba does not fold arithmetic on names)"
    )
    targets = CUDA_TARGETS

    VALID = (
        # Read along the flow: `n` is the literal 4 where the shape reads it, whatever binds
        # it before (the parameter) or after (a loop); compiled to PTX on 0.60, 0.63, 0.68.
        Valid(
            "from numba import cuda, float64\n@cuda.jit\ndef k(a, n):\n    n = 4\n"
            "    t = cuda.local.array(n, float64)\n    t[0] = 1.0\n    a[0] = t[0]\n"
        ),
        Valid(
            "from numba import cuda, float64\n@cuda.jit\ndef k(a, m):\n    n = 4\n"
            "    t = cuda.local.array(n, float64)\n    t[0] = 1.0\n"
            "    for n in range(m):\n        a[n] = t[0]\n"
        ),
        Valid(
            "from numba import cuda, float64\n@cuda.jit(device=True)\ndef d(a, n):\n"
            "    t = cuda.local.array(n, float64)\n    t[0] = a[0]\n    return t[0]\n"
            "@cuda.jit\ndef k(a):\n    a[0] = d(a, 4)\n"
        ),
        Valid(
            "from numba import cuda, float64\nN = 16\n@cuda.jit\ndef k(a):\n"
            "    t = cuda.local.array(N, float64)\n    s = cuda.shared.array((N, 2), float64)\n"
            "    u = cuda.local.array(2 * 16, float64)\n    t[0] = s[0, 0] + u[0]\n"
        ),
        Valid(
            "from numba import cuda, float64\n@cuda.jit\ndef k(a):\n    n = 4\n"
            "    t = cuda.local.array(n, float64)\n    t[0] = 1.0\n"
        ),
        Valid(
            "from numba import cuda, float64\n@cuda.jit\ndef k(a):\n"
            "    s = cuda.shared.array(0, dtype=float64)\n    s[0] = a[0]\n"
        ),
        Valid(
            "from numba import cuda, float64\nfrom config import SHAPE\n@cuda.jit\ndef k(a):\n"
            "    t = cuda.local.array(SHAPE, float64)\n    t[0] = 1.0\n"
        ),
    )
    INVALID = (
        Invalid(
            "from numba import cuda, float64\n@cuda.jit\ndef k(a):\n"
            "    t = cuda.local.array(a.shape[0], float64)\n    t[0] = 1.0\n",
            line=4,
            column=9,
        ),
        Invalid(
            "import numba\n@numba.cuda.jit\ndef k(a, n):\n"
            "    s = numba.cuda.shared.array(shape=n, dtype=numba.float64)\n    s[0] = 1.0\n",
            line=4,
        ),
        Invalid(
            "from numba import cuda, float64\nN = 8\n@cuda.jit\ndef k(a):\n"
            "    t = cuda.local.array((N, N // 2), float64)\n    t[0, 0] = 1.0\n",
            line=5,
        ),
        Invalid(
            "from numba import cuda, float64\nN = 4\n@cuda.jit(device=True)\ndef d(a):\n"
            "    m = N * 2\n    t = cuda.local.array(m, float64)\n    return t[0]\n",
            line=6,
        ),
        Invalid(
            "from numba import cuda, float64\n@cuda.jit\ndef k(a):\n    m = len(a)\n"
            "    t = cuda.local.array(m, float64)\n    t[0] = 1.0\n",
            line=5,
        ),
    )

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._names = FunctionNames(ctx, literal_params=acts_as_device_function(ctx))

    def visit_Call(self, node: ast.Call) -> None:
        names = self.ctx.qualified_names(node.func) & LOCAL_ARRAYS
        if not names:
            return
        shape = next((k.value for k in node.keywords if k.arg == "shape"), None)
        if shape is None:
            # The first argument as written, when it has no keyword (`*dims` and `**kw` too).
            first = min(
                (*node.args[:1], *node.keywords[:1]),
                key=lambda a: (a.lineno, a.col_offset),
                default=None,
            )
            if isinstance(first, ast.keyword):
                shape = first.value if first.arg is None else None  # `**kw`
            elif isinstance(first, ast.Starred):
                shape = first.value  # `*dims`
            else:
                shape = first
        if shape is None or not isinstance(self._names.constness(shape), t.NonLiteral):
            return
        name = "cuda." + min(names).split(".", 2)[2]
        written = self.ctx.module.quote(shape)
        self.report(node, self.message.format(name=name, shape=written))
