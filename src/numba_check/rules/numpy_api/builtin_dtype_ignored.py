from __future__ import annotations

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Applicability, Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.numpy_api._dtypes import BuiltinDtypeRule


class BuiltinDtypeIgnored(BuiltinDtypeRule):
    """## What it does
    Flags Python's builtin `int`, `bool` or `complex` given as the dtype of `np.full` or
    `np.identity` in compiled code.

    ## Why is this bad?
    Numba compiles the call but does not apply the dtype: `np.full(3, 1.5, dtype=int)` gives
    `[1.5, 1.5, 1.5]` (float64) where NumPy gives `[1, 1, 1]`, and
    `np.identity(2, dtype=complex)` stays float64. The result silently differs from Python's.

    ## Example
    ```python
    @njit
    def ones(n):
        return np.full(n, 1, dtype=complex)
    ```

    ## Use instead
    ```python
    @njit
    def ones(n):
        return np.full(n, 1, dtype=np.complex128)
    ```

    ## Fix safety
    Safe: NumPy gives the builtin and its NumPy type the same dtype, so plain Python computes
    the same, and Numba then applies it. Offered when the module imports `numpy` under a name.
    """

    code = "NB308"
    VERDICT = "ignored"
    name = "builtin-dtype-ignored"
    severity = Severity.WARNING
    message = (
        "Numba {version} ignores the builtin `{builtin}` as the dtype of `{func}` (the result "
        "keeps another dtype); write `{numpy_type}`"
    )
    targets = CPU_TARGETS
    fix_applicability = Applicability.SAFE
    fix_message = "Use the NumPy type"

    VALID = (
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return np.full(n, 1.5, dtype=np.int_)\n",
            call="f(3)",
        ),
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return np.full(n, 1.5, dtype=float) + np.identity(n, float)[0]\n",
            call="f(3)",
        ),
        Valid(
            "import numpy as np\nimport numba\ndef f(n):\n    return np.full(n, 1.5, dtype=int)\n"
        ),
    )
    INVALID = (
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return np.full(n, 1.5, dtype=int)\n",
            line=5,
            column=34,
            fixed="import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return np.full(n, 1.5, dtype=np.int_)\n",
            call="f(3)",
        ),
        Invalid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(n):\n"
            "    return np.identity(n, complex)\n",
            call="f(2)",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return np.full(n, 2, bool)\n",
            call="f(2)",
        ),
    )
