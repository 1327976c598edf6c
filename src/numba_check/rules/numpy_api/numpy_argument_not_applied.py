from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.knowledge import NOT_APPLIED
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.numpy_api._arguments import ArgumentLimits
from numba_check.rules.numpy_api._numpy import version_text

WHAT = {
    "ignored": "ignores it: the result is not NumPy's",
    "raises": "turns it into an exception raised each time the call runs",
}


class NumpyArgumentNotApplied(Rule):
    """## What it does
    Flags an argument of a NumPy function that the target Numba version compiles but does not
    apply: `axis=` on `np.average`, which Numba 0.57 to 0.60 ignore (the average of the whole
    array comes back) and 0.63 and later turn into "TypeError: Numba does not support average
    with axis" raised each time the function runs. The forms come from `numpy-limits.toml`
    (`effect = "ignored"` or `"raises"`), each checked by compiling, running and comparing
    with NumPy.

    ## Why is this bad?
    Nothing fails at compile time, yet the compiled function does not compute what Python
    and NumPy compute: it returns another result, or raises where NumPy returns one.

    ## Example
    ```python
    @njit
    def column_means(a):
        return np.average(a, axis=0)
    ```

    ## Use instead
    ```python
    @njit
    def column_means(a):
        out = np.empty(a.shape[1])
        for j in range(a.shape[1]):
            out[j] = np.average(a[:, j])
        return out
    ```
    """

    code = "NB311"
    name = "numpy-argument-not-applied"
    severity = Severity.WARNING
    message = "Numba {version} compiles `{argument}`{form} on `{func}` but {what}; {instead}"
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.average(a) + np.average(a, axis=None)\n",
            call="f(np.ones((2, 3)))",
        ),
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.average(a, axis=None)\n",
            target_numba="0.57",
        ),
        Valid("import numpy as np\nimport numba\ndef f(a):\n    return np.average(a, axis=0)\n"),
    )
    INVALID = (
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.average(a, axis=0)\n",
            line=5,
            column=26,
            call="f(np.ones((2, 3)))",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.average(a, axis=0)\n",
            target_numba="0.60",
        ),
        Invalid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(a):\n    return np.average(a, 1)\n",
            target_numba="0.57",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._limits = ArgumentLimits(ctx, NOT_APPLIED)

    def visit_Call(self, node: ast.Call) -> None:
        for hit in self._limits.find(node):
            fields = hit.describe()
            fields.pop("until")
            self.report(
                hit.arg,
                self.message.format(
                    version=version_text(self.ctx), what=WHAT[hit.limit.effect], **fields
                ),
            )
