from __future__ import annotations

from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.ufuncs._base import UfuncRule
from numba_check.rules.ufuncs._spec import LayoutProblem


class GufuncLayoutFixedDimension(UfuncRule):
    """## What it does
    Flags a number in a `@guvectorize` layout, such as `"(3)->()"` or `"(n)->(2)"`.

    ## Why is this bad?
    NumPy's generalized ufuncs accept fixed-size core dimensions, but Numba's layout parser
    does not: the decorator fails with `ValueError: bad token in signature "3"` (every
    version from 0.57 to 0.68).

    ## Example
    ```python
    @guvectorize(["void(float64[:], float64[:])"], "(3)->()")
    def norm3(v, out):
        out[0] = (v[0] ** 2 + v[1] ** 2 + v[2] ** 2) ** 0.5
    ```

    ## Use instead
    Name the dimension, and check its size in the kernel or before the call:
    ```python
    @guvectorize(["void(float64[:], float64[:])"], "(n)->()")
    def norm3(v, out):
        out[0] = (v[0] ** 2 + v[1] ** 2 + v[2] ** 2) ** 0.5
    ```
    """

    code = "NB451"
    name = "gufunc-layout-fixed-dimension"
    severity = Severity.ERROR
    message = (
        "Numba does not accept the fixed-size dimension `{dim}` in a @guvectorize layout "
        '("bad token in signature"); name the dimension instead'
    )
    targets = frozenset({Target.GUFUNC})
    object_mode = True

    VALID = (
        Valid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64[:])"], "(n3)->()")\n'
            "def f(v, out):\n    out[0] = v[0] + v[1] + v[2]\n",
            call="f(np.arange(3.0))",
        ),
    )
    INVALID = (
        Invalid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64[:])"], "(3)->()")\n'
            "def f(v, out):\n    out[0] = v[0] + v[1] + v[2]\n",
            line=2,
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "import numba\n"
            '@numba.guvectorize(["void(float64[:], float64[:])"], "(n)->(2)")\n'
            "def f(v, out):\n    out[0] = v.min()\n    out[1] = v.max()\n",
            call="f(np.arange(3.0))",
        ),
    )

    def finish(self) -> None:
        problem = self.layout
        if isinstance(problem, LayoutProblem) and problem.kind == "fixed":
            assert self.spec is not None and self.spec.layout_node is not None
            self.report(self.spec.layout_node, self.message.format(dim=problem.detail))
