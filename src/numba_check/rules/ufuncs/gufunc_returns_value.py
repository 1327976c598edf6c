from __future__ import annotations

from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.ufuncs._base import FALLBACK_NOTE, KernelWalk


class GufuncReturnsValue(KernelWalk):
    """## What it does
    Flags `return <value>` in a `@guvectorize` kernel. A bare `return` or `return None` is
    fine.

    ## Why is this bad?
    A gufunc kernel hands its results back through its output arguments; its own return
    type is `void`. Numba refuses a kernel that returns a value: "No conversion from float64
    to none" (since 0.59; before, a CPU gufunc without `nopython=True` fell back to object
    mode, where the value was silently dropped).

    ## Example
    ```python
    @guvectorize(["void(float64[:], float64[:])"], "(n)->()")
    def total(x, out):
        out[0] = x.sum()
        return out[0]
    ```

    ## Use instead
    ```python
    @guvectorize(["void(float64[:], float64[:])"], "(n)->()")
    def total(x, out):
        out[0] = x.sum()
    ```
    """

    code = "NB455"
    name = "gufunc-returns-value"
    severity = Severity.ERROR
    message = (
        "a @guvectorize kernel cannot return a value; write the result into an output "
        "argument instead"
    )
    targets = frozenset({Target.GUFUNC})
    needs_nopython_kernel = True
    applicability_note = FALLBACK_NOTE

    VALID = (
        Valid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64[:])"], "(n)->()")\n'
            "def f(x, out):\n    if x.shape[0] == 0:\n        out[0] = 0.0\n        return\n"
            "    out[0] = x.sum()\n",
            call="f(np.arange(3.0))",
        ),
        Valid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64[:])"], "(n)->()")\n'
            "def f(x, out):\n    def helper(v):\n        return v * 2.0\n"
            "    out[0] = helper(x.sum())\n",
            call="f(np.arange(3.0))",
        ),
        Valid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64[:])"], "(n)->()")\n'
            "def f(x, out):\n    out[0] = x.sum()\n    return x.sum()\n",
            target_numba="0.57",
        ),
    )
    INVALID = (
        Invalid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64[:])"], "(n)->()")\n'
            "def f(x, out):\n    out[0] = x.sum()\n    return out[0]\n",
            line=5,
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "import numba\n"
            '@numba.guvectorize("(n)->()")\n'
            "def f(x, out):\n    out[0] = x.sum()\n    return True\n",
            call="f(np.arange(3.0), np.zeros(1))",
        ),
        Invalid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64[:])"], "(n)->()", nopython=True)\n'
            "def f(x, out):\n    out[0] = x.sum()\n    return out[0]\n",
            target_numba="0.57",
        ),
    )

    def finish(self) -> None:
        if not self.kernel_checked:
            return
        for node in self.value_returns:
            self.report(node)
