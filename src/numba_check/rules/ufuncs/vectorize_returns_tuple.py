from __future__ import annotations

import ast

from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.ufuncs._base import FALLBACK_NOTE, KernelWalk


class VectorizeReturnsTuple(KernelWalk):
    """## What it does
    Flags `return a, b` in a `@vectorize` kernel.

    ## Why is this bad?
    A `@vectorize` ufunc has exactly one output, whose type is a NumPy scalar type. Numba
    refuses a tuple: "No conversion from UniTuple(float64 x 2) to float64" when the
    signature is given, "UniTuple(float64 x 2) cannot be represented as a NumPy dtype" at
    the first call of a lazy `@vectorize` (since 0.59 for CPU ufuncs with signatures; before,
    they fell back to object mode and failed when called).

    ## Example
    ```python
    @vectorize(["float64(float64)"])
    def bounds(x):
        return x - 1.0, x + 1.0
    ```

    ## Use instead
    Two outputs need `@guvectorize`:
    ```python
    @guvectorize(["void(float64, float64[:], float64[:])"], "()->(),()")
    def bounds(x, lo, hi):
        lo[0] = x - 1.0
        hi[0] = x + 1.0
    ```
    """

    code = "NB460"
    name = "vectorize-returns-tuple"
    severity = Severity.ERROR
    message = (
        "a @vectorize kernel returns one scalar; for several outputs use @guvectorize with "
        "one output argument each"
    )
    targets = frozenset({Target.UFUNC})
    needs_nopython_kernel = True
    applicability_note = FALLBACK_NOTE

    VALID = (
        Valid(
            "import numba\n"
            "def slow(x):\n    return x, x\n"
            'fast = numba.vectorize(["float64(float64)"])(slow)\n',
            target_numba="0.57",
        ),
        Valid(
            "from numba import vectorize\n"
            '@vectorize(["float64(float64)"])\n'
            "def f(x):\n    pair = (x - 1.0, x + 1.0)\n    return pair[0] * pair[1]\n",
            call="f(np.arange(3.0))",
        ),
        Valid(
            "from numba import vectorize\n"
            "@vectorize\n"
            "def f(x):\n    def both(v):\n        return v, v\n    a, b = both(x)\n"
            "    return a + b\n",
            call="f(np.arange(3.0))",
        ),
        Valid(
            "from numba import vectorize\n"
            '@vectorize(["float64(float64)"])\n'
            "def f(x):\n    return x, x\n",
            target_numba="0.57",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n"
            "def slow(x):\n    return x, x\n"
            'fast = numba.vectorize(["float64(float64)"])(slow)\n',
            line=3,
            call="fast(np.arange(3.0))",
        ),
        Invalid(
            "from numba import vectorize\n"
            '@vectorize(["float64(float64)"])\n'
            "def f(x):\n    return x - 1.0, x + 1.0\n",
            line=4,
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "import numba as nb\n"
            "@nb.vectorize\n"
            "def f(x):\n    if x > 1:\n        return (x, x)\n    return (x, -x)\n",
            count=2,
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "from numba import vectorize\n@vectorize\ndef f(x):\n    return x, x\n",
            target_numba="0.57",
        ),
    )

    def finish(self) -> None:
        if not self.kernel_checked:
            return
        for node in self.returns:
            if isinstance(node.value, ast.Tuple):
                self.report(node)
