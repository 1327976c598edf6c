from __future__ import annotations

import ast

from numba_check.compiled import CompiledFunction
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid, Version

TRY_SUPPORT = (0, 47)


class TryUnsupportedOnTarget(Rule):
    """## What it does
    Flags `try` statements where the target cannot compile them at all: in CUDA kernels and
    device functions (any `try`), and `try`/`except` on Numba older than 0.47.

    ## Why is this bad?
    The CUDA target rejects exception handling (`'CUDACallConv' object has no attribute
    'set_try_status'`), and Numba before 0.47 had no `try`/`except` support in nopython mode.

    ## Example
    ```python
    @cuda.jit
    def kernel(a):
        i = cuda.grid(1)
        try:
            a[i] = 1.0 / a[i]
        except Exception:
            a[i] = 0.0
    ```

    ## Use instead
    ```python
    @cuda.jit
    def kernel(a):
        i = cuda.grid(1)
        if i < a.size:
            a[i] = 1.0 / a[i] if a[i] != 0.0 else 0.0
    ```
    """

    code = "NB105"
    name = "try-unsupported-on-target"
    severity = Severity.ERROR
    message = "CUDA code cannot use `try`; test the condition with `if` instead"
    applicability_note = "CUDA: all; CPU: < 0.47.0"
    message_old = "Numba < 0.47 cannot compile `try`/`except`; test the condition with `if` instead"

    VALID = (
        Valid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    i = cuda.grid(1)\n"
            "    if i < a.size:\n        a[i] = 1.0\n"
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except Exception:\n        x = 0.0\n    return x\n",
            target_numba="0.47",
        ),
    )
    INVALID = (
        Invalid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    i = cuda.grid(1)\n    try:\n"
            "        a[i] = 1.0 / a[i]\n    except Exception:\n        a[i] = 0.0\n",
            line=5,
            column=5,
        ),
        Invalid(
            "import numba\n@numba.cuda.jit(device=True)\ndef d(x):\n    try:\n        y = x\n"
            "    finally:\n        y = 0\n    return y\n",
            line=4,
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except Exception:\n        x = 0.0\n    return x\n",
            line=4,
            target_numba="0.46",
        ),
    )

    # `applies` reads the options: a `@vectorize(target='cuda')` kernel runs on the GPU.
    reads_options = True

    @classmethod
    def applies(cls, function: CompiledFunction, version: Version) -> bool:
        return function.on_gpu or (version < TRY_SUPPORT and function.nopython(version))

    def visit_Try(self, node: ast.Try) -> None:
        self._check(node, bool(node.handlers))

    def visit_TryStar(self, node: ast.TryStar) -> None:
        self._check(node, True)

    def _check(self, node: ast.stmt, has_handlers: bool) -> None:
        if self.ctx.function.on_gpu:
            self.report(node)
        elif has_handlers:
            self.report(node, self.message_old)
