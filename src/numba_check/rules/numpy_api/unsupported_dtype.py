from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.numpy_api._dtypes import BuiltinDtypes
from numba_check.rules.numpy_api._numpy import has_star, numpy_names, version_text

# The spellings of the two dtypes Numba's CPU target has no type for (each refused when
# compiled, Numba 0.57 to 0.68: "float16", "Failed in nopython mode pipeline").
FLOAT16_NAMES = frozenset({"numpy.float16", "numpy.half"})
FLOAT16_STRINGS = frozenset({"float16", "f2", "<f2", "=f2", "half", "e"})
OBJECT_NAMES = frozenset({"numpy.object_"})
OBJECT_STRINGS = frozenset({"object", "O", "|O", "object_"})


class UnsupportedDtype(Rule):
    """## What it does
    Flags a dtype that Numba's CPU target has no type for, given to a NumPy call or an ndarray
    method in compiled code, or called as a scalar type:
    - float16: `np.float16`, `np.half`, `"float16"`, `"f2"` (`np.zeros(n, dtype=np.float16)`,
      `a.astype(np.float16)`, `np.float16(x)`);
    - Python objects: `object`, `np.object_`, `"O"` (`np.empty(n, dtype=object)`).

    ## Why is this bad?
    Numba's CPU target has no half-precision float and no arrays of Python objects:
    compilation stops with "float16" or "No implementation of function ... found for signature:
    empty(int64, dtype=Function(<class 'object'>))" (checked on Numba 0.57, 0.60, 0.63 and
    0.68). (The CUDA target has float16, so CUDA kernels are not checked.)

    ## Example
    ```python
    @njit
    def quantize(a):
        return a.astype(np.float16)
    ```

    ## Use instead
    Compute in float32 and convert outside the compiled function:
    ```python
    @njit
    def quantize(a):
        return a.astype(np.float32)

    half = quantize(a).astype(np.float16)
    ```
    For mixed values, use a typed `List` or several arrays instead of an object array.
    """

    code = "NB314"
    name = "unsupported-dtype"
    severity = Severity.ERROR
    message = "Numba {version} has no {what} on the CPU (`{written}`); {advice}"
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return a.astype(np.float32)\n",
            call="f(np.ones(3))",
        ),
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return np.zeros(n, dtype='float32')\n",
            call="f(3)",
        ),
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(x):\n"
            "    return np.float32(x)\n",
            call="f(1.5)",
        ),
        Valid(
            "import numpy as np\n\ndef f(a):\n    return a.astype(np.float16)\n",
            call="f(np.ones(3))",
        ),
        # A str that only looks like a dtype.
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    label = 'float16'\n    return np.zeros(n), label\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return a.astype(np.float16)\n",
            line=5,
            column=21,
            call="f(np.ones(3))",
        ),
        Invalid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(n):\n"
            "    return np.zeros(n, dtype=np.float16)\n",
            call="f(3)",
        ),
        Invalid(
            "import numpy as np\nimport numba as nb\n@nb.njit\ndef f(n):\n"
            "    return np.zeros(n, dtype='float16')\n",
            call="f(3)",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(x):\n"
            "    return np.float16(x)\n",
            call="f(1.5)",
        ),
        Invalid(
            "from numpy import half, zeros\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return zeros(n, half)\n",
            call="f(3)",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return np.empty(n, dtype=object)\n",
            call="f(3)",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return np.empty(n, dtype=np.object_)\n",
            call="f(3)",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._dtypes = BuiltinDtypes(ctx)

    def visit_Call(self, node: ast.Call) -> None:
        if has_star(node):
            return
        if numpy_names(self.ctx, node.func) & FLOAT16_NAMES:
            self._report(node.func, "float16")
            return
        found = self._dtypes.dtype_argument(node)
        if found is None:
            return
        value = found[2]
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            if value.value in FLOAT16_STRINGS:
                self._report(value, "float16")
            elif value.value in OBJECT_STRINGS:
                self._report(value, "object")
            return
        written = self.ctx.qualified_names(value)
        if written & FLOAT16_NAMES:
            self._report(value, "float16")
        elif written & OBJECT_NAMES or self.ctx.semantic.builtin(value) == "object":
            self._report(value, "object")

    def _report(self, node: ast.expr, what: str) -> None:
        written = self.ctx.module.quote(node)
        if what == "float16":
            message = self.message.format(
                version=version_text(self.ctx),
                what="float16",
                written=written,
                advice="compute in `np.float32` and convert to float16 outside compiled code",
            )
        else:
            message = self.message.format(
                version=version_text(self.ctx),
                what="arrays of Python objects",
                written=written,
                advice="use a numeric dtype, or a typed List for values of several types",
            )
        self.report(node, message)
