from __future__ import annotations

import ast

from numba_check.compiled import CUDA_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.cuda.array_allocation import ALLOCATING


def _numpy(names: str) -> frozenset[str]:
    return frozenset(f"numpy.{n}" for n in names.split())


# NumPy functions the built-in CUDA target refuses, each verified with `cuda.compile_ptx` on
# Numba 0.57.1, 0.60.0, 0.63.1 and 0.68.1 (on a scalar for the ufuncs, on an array for the
# rest). The array-creating ones are NB602's. `np.random.*` is left out: 0.57 to 0.63 compile
# some of it, with host-side random state, and 0.68 refuses it; neither is what the user wants.
REFUSED = _numpy(
    # ufuncs with no CUDA implementation, even on a scalar
    "abs absolute add angle around cbrt ceil conj conjugate copysign divide exp exp2 expm1 fabs "
    "fix floor floor_divide fmod gcd heaviside imag isclose iscomplex isfinite isinf isnan "
    "isreal lcm log1p logaddexp mod multiply nan_to_num negative positive power real "
    "reciprocal remainder rint round sign signbit sinc spacing sqrt square subtract "
    "true_divide trunc "
    # reductions and other array functions
    "all allclose amax amin any argmax argmin argsort array_equal clip count_nonzero cumprod "
    "cumsum diff dot flip interp max mean median min nansum ndim outer prod ravel reshape "
    "searchsorted shape size sort std sum trace unique var where linalg.norm random.rand"
)
# ufuncs the CUDA target gained later: refused by 0.57.1 and compiled by 0.60.0 (verified); the
# 0.58.1 and 0.59.1 sources (numba/cuda/ufuncs.py) show which release added which.
ADDED: dict[str, tuple[int, int]] = {
    **dict.fromkeys(
        _numpy(
            "bitwise_and bitwise_not bitwise_or bitwise_xor equal fmax fmin greater "
            "greater_equal invert left_shift less less_equal logical_and logical_not logical_or "
            "logical_xor maximum minimum not_equal right_shift"
        ),
        (0, 58),
    ),
    **dict.fromkeys(_numpy("log log10 log2"), (0, 60)),
}


class CudaNumpyFunction(Rule):
    """## What it does
    Flags NumPy functions that CUDA device code cannot call. The CUDA target implements only
    a few NumPy ufuncs, on scalars: the trigonometric and hyperbolic functions, `arctan2`,
    `hypot`, `degrees`/`radians`, `log`, `log2`, `log10`, the comparisons,
    `maximum`/`minimum`/`fmax`/`fmin`, and the logical and bitwise ufuncs. (Numba 0.58 added the comparisons, `maximum`/`minimum`/`fmax`/`fmin` and the
    logical and bitwise ufuncs; 0.60 added the logarithms.) Everything else is refused, including `np.sqrt`, `np.exp`, `np.abs`, `np.floor`,
    `np.isnan`, `np.power` and the reductions (`np.sum`, `np.mean`, `np.max`...).
    Scalar type conversions (`np.float32(x)`, `np.int64(x)`) compile and are not flagged;
    array-creating functions are NB602.

    This describes Numba's built-in CUDA target (Numba 0.57 to 0.68); NVIDIA's separate
    `numba-cuda` package implements more (`np.sum` among them).

    ## Why is this bad?
    The compiler stops with "Use of unsupported NumPy function 'numpy.sqrt' or unsupported
    use of the function", even on a scalar, while the CUDA simulator runs it.

    ## Example
    ```python
    @cuda.jit
    def norm(xy, out):
        i = cuda.grid(1)
        if i < out.size:
            out[i] = np.sqrt(xy[i, 0] ** 2 + xy[i, 1] ** 2)
    ```

    ## Use instead
    The `math` module, which CUDA supports (`math.sqrt`, `math.exp`, `math.floor`,
    `math.isnan`, `abs()`, `min()`/`max()`...):
    ```python
    @cuda.jit
    def norm(xy, out):
        i = cuda.grid(1)
        if i < out.size:
            out[i] = math.sqrt(xy[i, 0] ** 2 + xy[i, 1] ** 2)
    ```
    """

    code = "NB611"
    name = "cuda-numpy-function"
    severity = Severity.ERROR
    message = "The CUDA target does not implement `{name}`{hint}"
    targets = CUDA_TARGETS
    applicability_note = (
        "all versions; the logarithms, comparisons, logical and bitwise ufuncs: < 0.60.0"
    )

    VALID = (
        Valid(
            "import math\nimport numpy as np\nfrom numba import cuda\n@cuda.jit\ndef k(a):\n"
            "    a[0] = np.sin(a[1]) + np.arctan2(a[2], a[3]) + np.float32(a[4]) + math.sqrt(a[5])\n"
        ),
        Valid(
            "import numpy as np\nfrom numba import cuda\n@cuda.jit\ndef k(a):\n"
            "    a[0] = np.log(a[1]) + np.maximum(a[2], a[3])\n",
            target_numba="0.60",
        ),
        Valid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(x):\n    return np.sqrt(x)\n",
            call="f(4.0)",
        ),
    )
    INVALID = (
        Invalid(
            "import numpy as np\nfrom numba import cuda\n@cuda.jit\ndef k(a):\n"
            "    a[0] = np.sqrt(a[1])\n",
            line=5,
            column=12,
        ),
        Invalid(
            "import numpy\nimport numba\n@numba.cuda.jit(device=True)\ndef d(a):\n"
            "    return numpy.sum(a)\n",
            line=5,
        ),
        Invalid(
            "import numpy as np\nfrom numba import cuda\n@cuda.jit\ndef k(a):\n"
            "    a[0] = np.log(a[1])\n",
            line=5,
            target_numba="0.59",
        ),
        Invalid(
            "import numpy as np\nfrom numba import cuda\n@cuda.jit\ndef k(a):\n"
            "    a[0] = np.maximum(a[1], a[2])\n",
            line=5,
            target_numba="0.57",
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        names = self.ctx.qualified_names(node.func)
        if names & ALLOCATING:
            return  # NB602 says it better
        refused = names & REFUSED
        hint = "; use the `math` module or a loop (see NB611's documentation)"
        if not refused:
            later = [(ADDED[n], n) for n in names if n in ADDED]
            if not later or self.ctx.numba_version >= min(later)[0]:
                return
            since, first = min(later)
            refused = {first}
            hint = f" before Numba {since[0]}.{since[1]}; upgrade, or use the `math` module"
        name = "np." + min(refused).split(".", 1)[1]
        self.report(node, self.message.format(name=name, hint=hint))
