from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid


class EmptyArrayLiteral(Rule):
    """## What it does
    Flags `np.array([])` in compiled code, with or without a `dtype`.

    ## Why is this bad?
    Numba types the list before NumPy sees it, and an empty list display has no element type:
    "Type of variable 'a' cannot be determined". A `dtype=` does not help.

    ## Example
    ```python
    @njit
    def none_yet():
        return np.array([])
    ```

    ## Use instead
    ```python
    @njit
    def none_yet():
        return np.empty(0, dtype=np.float64)
    ```
    """

    code = "NB408"
    name = "empty-array-literal"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "Numba cannot type the empty list in `np.array([])`; write `np.empty(0, dtype=np.float64)`"
        " (or the dtype you need)"
    )

    VALID = (
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f():\n    return np.empty(0).size\n",
            call="f()",
        ),
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f():\n    return np.array([1.0]).size\n",
            call="f()",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f():\n    a = np.array([])\n    return a.size\n",
            line=5,
            column=9,
            call="f()",
        ),
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f():\n"
            "    a = np.array([], dtype=np.float64)\n    return a.size\n",
            line=5,
            call="f()",
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        if not node.args or not isinstance(node.args[0], ast.List) or node.args[0].elts:
            return
        if "numpy.array" in self.ctx.qualified_names(node.func):
            self.report(node)
