from __future__ import annotations

import ast

from numba_check.compiled import CUDA_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.cuda._facts import FunctionNames, root_name

# ndarray methods the built-in CUDA target refuses on every layout, verified with
# `cuda.compile_ptx` on Numba 0.57.1, 0.60.0, 0.63.1 and 0.68.1. Left out on purpose:
# `reshape` (compiles on C-contiguous arrays), `conj`/`conjugate` (valid on complex scalars),
# `transpose`, `view`, `item`, `fill` and the attributes (`.T`, `.shape`, `.size`...), which
# compile; `dot`, whose verdict depends on SciPy being installed.
REFUSED = frozenset(
    {
        "all",
        "any",
        "argmax",
        "argmin",
        "argpartition",
        "argsort",
        "astype",
        "clip",
        "copy",
        "cumprod",
        "cumsum",
        "diagonal",
        "flatten",
        "itemset",
        "max",
        "mean",
        "min",
        "nonzero",
        "prod",
        "ptp",
        "ravel",
        "repeat",
        "round",
        "searchsorted",
        "sort",
        "squeeze",
        "std",
        "sum",
        "swapaxes",
        "take",
        "tolist",
        "trace",
        "var",
    }
)
ALLOCATING = frozenset({"astype", "copy", "flatten", "ravel", "repeat", "take", "clip", "argsort"})


class CudaArrayMethod(Rule):
    """## What it does
    Flags ndarray methods that the CUDA target does not compile: reductions (`a.sum()`,
    `a.mean()`, `a.max()`, `a.argmin()`, `a.std()`...), methods that build a new array
    (`a.copy()`, `a.astype()`, `a.ravel()`, `a.flatten()`, `a.cumsum()`...) and the others
    Numba's CPU target supports but CUDA does not (`a.sort()`, `a.nonzero()`, `a.round()`...).
    Only method calls on a parameter or a local variable are checked. Attributes (`a.shape`,
    `a.size`, `a.T`) and `a.transpose()`, `a.view()`, `a.item()`, `a.fill()`, which compile,
    are not flagged, nor is `a.reshape()`, which compiles on C-contiguous arrays.

    This describes Numba's built-in CUDA target (`numba.cuda` in the `numba` package, Numba
    0.57 to 0.68). NVIDIA's separate `numba-cuda` package compiles a few non-allocating
    reductions such as `a.sum()`; with it installed, silence this rule for those lines.

    ## Why is this bad?
    The documentation lists "no array methods" among the CUDA restrictions, and the compiler
    stops with "Unknown attribute 'sum' of type array(float64, 1d, A)" or, for the allocating
    ones, "Unknown attribute '_allocate'".

    ## Example
    ```python
    @cuda.jit
    def normalise(a):
        i = cuda.grid(1)
        if i < a.size:
            a[i] /= a.sum()
    ```

    ## Use instead
    Reduce on the host (or in a separate reduction kernel, `cuda.reduce`) and pass the result:
    ```python
    @cuda.jit
    def normalise(a, total):
        i = cuda.grid(1)
        if i < a.size:
            a[i] /= total
    ```
    """

    code = "NB604"
    name = "cuda-array-method"
    severity = Severity.ERROR
    message = "The CUDA target does not compile the array method `.{method}()`{hint}"
    targets = CUDA_TARGETS

    VALID = (
        Valid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    b = a.T\n    c = a.transpose()\n"
            "    a[0] = b[0] + c[0] + a.size + a.shape[0]\n"
        ),
        Valid(
            "from numba import cuda\n@cuda.jit\ndef k(a, out):\n    cuda.atomic.max(out, 0, a[0])\n"
            "    cuda.atomic.min(out, 1, a[0])\n"
        ),
        Valid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    z = a[1]\n    a[0] = z.conjugate()\n"
        ),
        Valid("import numba\n@numba.njit\ndef f(a):\n    return a.sum()\n", call="f(np.ones(3))"),
    )
    INVALID = (
        Invalid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    a[0] = a.sum()\n",
            line=4,
            column=12,
        ),
        Invalid(
            "import numba\n@numba.cuda.jit(device=True)\ndef d(a):\n    b = a.copy()\n"
            "    return b[0]\n",
            line=4,
        ),
        Invalid(
            "from numba import cuda\n@cuda.jit\ndef k(a, out):\n    i = cuda.grid(1)\n"
            "    if i < a.shape[0]:\n        out[i] = a[i].max()\n",
            line=6,
        ),
    )

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._names = FunctionNames(ctx)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in REFUSED:
            return
        root = root_name(func.value)
        # Only values of this function: `cuda.atomic.max`, `math.floor`, `np.sum` are not methods.
        if root is None or not self._names.is_local(root.id):
            return
        method = func.attr
        hint = (
            ": device code cannot allocate a new array"
            if method in ALLOCATING
            else "; compute it with a loop, or on the host"
        )
        self.report(node, self.message.format(method=method, hint=hint))
