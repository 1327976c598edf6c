from __future__ import annotations

from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.ufuncs._base import FALLBACK_NOTE, KernelWalk


class VectorizeMissingReturn(KernelWalk):
    """## What it does
    Flags a `@vectorize` kernel that never returns a value: no `return <value>` anywhere
    (and no `raise` that could explain it).

    ## Why is this bad?
    The ufunc's output is the kernel's return value. Numba refuses a kernel that returns
    `None`: "No conversion from none to float64" when the signature is given, "none cannot
    be represented as a NumPy dtype" at the first call of a lazy `@vectorize` (since 0.59
    for CPU ufuncs with signatures; before, they fell back to object mode and failed when
    called). Writing into an argument does not help: the arguments are scalars.

    ## Example
    ```python
    @vectorize(["float64(float64)"])
    def clip(x):
        x = min(max(x, 0.0), 1.0)
    ```

    ## Use instead
    ```python
    @vectorize(["float64(float64)"])
    def clip(x):
        return min(max(x, 0.0), 1.0)
    ```
    """

    code = "NB461"
    name = "vectorize-missing-return"
    severity = Severity.ERROR
    message = "the @vectorize kernel `{name}` never returns a value; return the output element"
    targets = frozenset({Target.UFUNC})
    needs_nopython_kernel = True
    applicability_note = FALLBACK_NOTE

    VALID = (
        Valid(
            "from numba import vectorize\n"
            '@vectorize(["float64(float64)"])\n'
            "def f(x):\n    y = min(max(x, 0.0), 1.0)\n    return y\n",
            call="f(np.arange(3.0))",
        ),
        Valid(
            "from numba import vectorize\n"
            '@vectorize(["float64(float64)"])\n'
            "def f(x):\n    raise ValueError('not implemented')\n",
        ),
        Valid(
            "from numba import vectorize\n"
            '@vectorize(["float64(float64)"])\n'
            "def f(x):\n    if x < 0.0:\n        raise ValueError('negative')\n"
            "    return x * 2.0\n",
            call="f(np.arange(3.0))",
        ),
    )
    INVALID = (
        Invalid(
            "from numba import vectorize\n"
            '@vectorize(["float64(float64)"])\n'
            "def f(x):\n    x = min(max(x, 0.0), 1.0)\n",
            line=3,
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "import numba\n@numba.vectorize\ndef f(x):\n    y = x + 1\n    return\n",
            call="f(np.arange(3.0))",
        ),
    )

    def finish(self) -> None:
        if not self.kernel_checked or self.value_returns or self.raises or self.yields:
            return
        self.report(
            self.ctx.module.name_of(self.kernel), self.message.format(name=self.kernel.name)
        )
