from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.numpy_api._numpy import has_star, numpy_names
from numba_check.semantic import types as t
from numba_check.semantic.infer import SCALAR_NAMES


class ScalarTypeOfArray(Rule):
    """## What it does
    Flags a NumPy scalar type called on an array in compiled code: `np.float32(a)`,
    `np.int64(a)`, `np.float64(np.zeros(n))`, where the array is certain (a NumPy constructor,
    arithmetic on one, a name bound only to one).

    ## Why is this bad?
    In Python `np.float32(a)` converts a whole array; in compiled code NumPy's scalar types
    convert one number only, and compilation stops with "No implementation of function
    Function(<class 'numpy.float32'>) found for signature: float32(array(float64, 1d, C))"
    (checked on Numba 0.57, 0.60, 0.63 and 0.68).

    ## Example
    ```python
    @njit
    def to_single(n):
        a = np.linspace(0.0, 1.0, n)
        return np.float32(a)
    ```

    ## Use instead
    ```python
        return a.astype(np.float32)
    ```
    """

    code = "NB315"
    name = "scalar-type-of-array"
    severity = Severity.ERROR
    message = (
        "`{func}` converts one number in compiled code, and `{array}` is an array; write "
        "`{receiver}.astype({func})`"
    )
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    a = np.zeros(n)\n    return a.astype(np.float32)\n",
            call="f(3)",
        ),
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    a = np.zeros(n)\n    return np.float32(a[0])\n",
            call="f(3)",
        ),
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return np.float32(n.sum())\n",
            call="f(np.ones(3))",
        ),
        Valid(
            "import numpy as np\n\ndef f(n):\n    return np.float32(np.zeros(n))\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    a = np.linspace(0.0, 1.0, n)\n    return np.float32(a)\n",
            line=6,
            column=12,
            call="f(3)",
        ),
        Invalid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(n):\n"
            "    return np.int64(np.ones(n) * 2.5)\n",
            call="f(3)",
        ),
        Invalid(
            "from numpy import float64, zeros\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    a = zeros((n, 2))\n    b = float64(a)\n    return b\n",
            call="f(3)",
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        if len(node.args) != 1 or node.keywords or has_star(node):
            return
        names = numpy_names(self.ctx, node.func)
        scalar = next((n for n in sorted(names) if n[len("numpy.") :] in SCALAR_NAMES), None)
        if scalar is None:
            return
        (value,) = node.args
        if not isinstance(self.ctx.semantic.type_of(value), t.Array):
            return
        func = self.ctx.module.quote(node.func)
        array = self.ctx.module.quote(value)
        simple = isinstance(value, (ast.Name, ast.Attribute, ast.Call, ast.Subscript))
        receiver = array if simple else f"({array})"
        self.report(node, self.message.format(func=func, array=array, receiver=receiver))
