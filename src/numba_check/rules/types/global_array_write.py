from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.types.global_container import module_values
from numba_check.semantic import types as t

# Array methods that write into the array (the one checked by compiling).
WRITING_METHODS = frozenset({"fill"})


class GlobalArrayWrite(Rule):
    """## What it does
    Flags a write, in compiled code, into a module-level NumPy array: `G[i] = x`, `G[:] = 0`,
    `G[i] += 1`, `G.fill(0)`.

    ## Why is this bad?
    A global array is frozen into the compiled code as a read-only constant: "No implementation
    of function Function(<built-in function setitem>) found for signature: setitem(readonly
    array(float64, 1d, C), ...)". Even where it compiled, the module's array would not change.

    ## Example
    ```python
    COUNTS = np.zeros(10)

    @njit
    def tally(i):
        COUNTS[i] += 1
    ```

    ## Use instead
    ```python
    @njit
    def tally(counts, i):
        counts[i] += 1

    tally(COUNTS, 3)
    ```
    """

    code = "NB410"
    name = "global-array-write"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "`{name}` is a module-level array, which compiled code sees as a read-only constant; "
        "pass it to the function as an argument to write into it"
    )

    VALID = (
        Valid(
            "import numba\nimport numpy as np\nG = np.zeros(3)\n@numba.njit\ndef f():\n    return G[0]\n",
            call="f()",
        ),
        Valid(
            "import numba\nimport numpy as np\nG = np.zeros(3)\n@numba.njit\ndef f(g):\n"
            "    g[0] = 1.0\n    return g[0]\n",
            call="f(np.zeros(3))",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\nimport numpy as np\nG = np.zeros(3)\n@numba.njit\ndef f():\n"
            "    G[0] = 1.0\n    return 0\n",
            line=6,
            column=5,
            call="f()",
        ),
        Invalid(
            "import numba\nimport numpy as np\nG = np.zeros(3)\n@numba.njit\ndef f():\n"
            "    G[0] += 1.0\n    return 0\n",
            line=6,
            call="f()",
        ),
        Invalid(
            "import numba\nimport numpy as np\nG = np.zeros(3)\n@numba.njit\ndef f():\n"
            "    G[:] = 1.0\n    return 0\n",
            line=6,
            call="f()",
        ),
        Invalid(
            "import numba\nimport numpy as np\nG = np.zeros(3)\n@numba.njit\ndef f():\n"
            "    G.fill(1.0)\n    return 0\n",
            line=6,
            call="f()",
        ),
    )

    def _check(self, target: ast.expr) -> None:
        if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            name = target.value
            kinds = module_values(self, name)
            if kinds and all(isinstance(k, t.Array) for k in kinds):
                self.report(target, self.message.format(name=name.id))

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._check(target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._check(node.target)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not (isinstance(func, ast.Attribute) and func.attr in WRITING_METHODS):
            return
        if isinstance(func.value, ast.Name):
            kinds = module_values(self, func.value)
            if kinds and all(isinstance(k, t.Array) for k in kinds):
                self.report(node, self.message.format(name=func.value.id))
