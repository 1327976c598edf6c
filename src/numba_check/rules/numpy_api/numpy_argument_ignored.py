from __future__ import annotations

import libcst as cst

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid, before
from numba_check.rules.numpy_api._arguments import ArgumentLimits
from numba_check.rules.numpy_api._numpy import version_text


class NumpyArgumentIgnored(Rule):
    """## What it does
    Flags an argument of a NumPy function that the target Numba version accepts but does not
    apply: `axis=` on `np.average` before Numba 0.61, which returns the average of the whole
    array. The forms come from `numpy-limits.toml` (`effect = "ignored"`), each checked by
    compiling and comparing with NumPy.

    ## Why is this bad?
    The call compiles and runs, and the result silently differs from what Python and NumPy
    compute: `np.average(a, axis=0)` of a 3x4 array gives one number instead of four.
    (Numba 0.63 and later refuse the argument instead: NB304.)

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
    name = "numpy-argument-ignored"
    severity = Severity.WARNING
    message = (
        "Numba {version} ignores `{argument}`{form} on `{func}`: the result is not NumPy's"
        "{until}; {instead}"
    )
    targets = CPU_TARGETS
    numba_versions = before("0.61")

    VALID = (
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.average(a)\n",
            target_numba="0.60",
        ),
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.average(a, axis=None)\n",
            target_numba="0.57",
        ),
        Valid(
            "import numpy as np\nimport numba\ndef f(a):\n    return np.average(a, axis=0)\n",
            target_numba="0.60",
        ),
    )
    INVALID = (
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.average(a, axis=0)\n",
            line=5,
            column=26,
            target_numba="0.60",
        ),
        Invalid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(a):\n    return np.average(a, 1)\n",
            target_numba="0.57",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._limits = ArgumentLimits(ctx, effect="ignored")

    def visit_Call(self, node: cst.Call) -> None:
        for hit in self._limits.find(node):
            fields = hit.describe()
            fields["until"] = fields["until"].replace("accepted", "applied")
            if hit.limit.until is not None:
                fields["until"] = ""  # refused rather than applied from then on: say nothing
            self.report(hit.arg, self.message.format(version=version_text(self.ctx), **fields))
