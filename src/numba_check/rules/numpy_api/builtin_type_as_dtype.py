from __future__ import annotations

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Applicability, Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.numpy_api._dtypes import BuiltinDtypeRule


class BuiltinTypeAsDtype(BuiltinDtypeRule):
    """## What it does
    Flags Python's builtin `int`, `bool` or `complex` (and, for most functions, `float`) given
    as the dtype of a NumPy call in compiled code: `np.zeros(n, dtype=int)`,
    `np.empty(n, bool)`, `np.array(x, dtype=float)`, `np.arange(n, dtype=int)`,
    `a.astype(int)`, `np.sum(a, dtype=float)`...

    ## Why is this bad?
    NumPy maps the builtin to a dtype (`int` to `np.int_`); Numba only understands NumPy's own
    types there (plus `float` for `np.zeros`/`np.ones`/`np.empty`/`np.full`/`np.identity`).
    Compilation stops with "No implementation of function Function(<built-in function zeros>)
    found for signature: zeros(int64, dtype=Function(<class 'int'>))" or "Invalid use of
    BoundFunction(array.astype ...) with parameters (Function(<class 'int'>))".

    ## Example
    ```python
    @njit
    def counts(n):
        return np.zeros(n, dtype=int)
    ```

    ## Use instead
    ```python
    @njit
    def counts(n):
        return np.zeros(n, dtype=np.int_)
    ```

    ## Fix safety
    Safe: NumPy gives the builtin and its NumPy type the same dtype (`np.dtype(int) ==
    np.dtype(np.int_)`), so plain Python computes the same; Numba then compiles it. The fix is
    offered when the module imports `numpy` under a name.
    """

    code = "NB307"
    VERDICT = "refused"
    name = "builtin-type-as-dtype"
    severity = Severity.ERROR
    message = (
        "Numba {version} does not accept the builtin `{builtin}` as the dtype of `{func}`; "
        "write `{numpy_type}`"
    )
    targets = CPU_TARGETS
    fix_applicability = Applicability.SAFE
    fix_message = "Use the NumPy type"

    VALID = (
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return np.zeros(n, dtype=np.int_)\n",
            call="f(3)",
        ),
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return np.zeros(n, dtype=float) + np.ones(n, float)\n",
            call="f(3)",
        ),
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a, x):\n"
            "    return a.astype(np.float32).sum() + np.array([x, 2.0], dtype=np.complex128)\n",
            call="f(np.arange(3), 1.0)",
        ),
        # A local variable named like a builtin is not the builtin.
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    int = np.int64\n    return np.zeros(n, dtype=int)\n",
            call="f(3)",
        ),
        Valid("import numpy as np\nimport numba\ndef f(n):\n    return np.zeros(n, dtype=int)\n"),
    )
    INVALID = (
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return np.zeros(n, dtype=int)\n",
            line=5,
            column=30,
            fixed="import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return np.zeros(n, dtype=np.int_)\n",
            call="f(3)",
        ),
        Invalid(
            "import numpy\nimport numba\n@numba.njit\ndef f(n):\n    return numpy.empty(n, bool).size\n",
            fixed="import numpy\nimport numba\n@numba.njit\ndef f(n):\n"
            "    return numpy.empty(n, numpy.bool_).size\n",
            call="f(3)",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n    return a.astype(int)\n",
            fixed="import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return a.astype(np.int_)\n",
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return np.arange(n, dtype=float)\n",
            call="f(3)",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(x):\n"
            "    return np.array([x, 2.0], dtype=complex)\n",
            call="f(1.0)",
        ),
        Invalid(
            # Parenthesised, a comment after: both kept.
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n    return np.zeros(n, dtype=(int))  # counts\n",
            line=5,
            fixed="import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n    return np.zeros(n, dtype=(np.int_))  # counts\n",
            call="f(3)",
        ),
    )
