from __future__ import annotations

from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.ufuncs._base import UfuncRule
from numba_check.rules.ufuncs._spec import LayoutProblem


class GufuncOutputDimensionUndefined(UfuncRule):
    """## What it does
    Flags a `@guvectorize` layout whose outputs use a dimension name that no input has, such
    as `m` in `"(n)->(m)"`.

    ## Why is this bad?
    Numba sizes every output from the inputs, so it refuses the layout when the decorator
    runs: `NameError: undefined output symbols: m` (every version from 0.57 to 0.68, even
    when the caller would pass the output array).

    ## Example
    ```python
    @guvectorize(["void(float64[:], float64[:])"], "(n)->(m)")
    def head(x, out):
        for i in range(out.shape[0]):
            out[i] = x[i]
    ```

    ## Use instead
    Pass an input that carries the dimension (a dummy array is enough):
    ```python
    @guvectorize(["void(float64[:], float64[:], float64[:])"], "(n),(m)->(m)")
    def head(x, like, out):
        for i in range(out.shape[0]):
            out[i] = x[i]
    ```
    """

    code = "NB452"
    name = "gufunc-output-dimension-undefined"
    severity = Severity.ERROR
    message = (
        "the @guvectorize layout's outputs use {names}, which no input has; Numba refuses "
        'it ("undefined output symbols")'
    )
    targets = frozenset({Target.GUFUNC})
    object_mode = True

    VALID = (
        Valid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64[:], float64[:])"], "(n),(m)->(m)")\n'
            "def f(x, like, out):\n    for i in range(out.shape[0]):\n"
            "        out[i] = x[i]\n",
            call="f(np.arange(5.0), np.zeros(2))",
        ),
    )
    INVALID = (
        Invalid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64[:])"], "(n)->(m)")\n'
            "def f(x, out):\n    for i in range(out.shape[0]):\n"
            "        out[i] = x[i]\n",
            line=2,
            call="f(np.arange(5.0), np.zeros(2))",
        ),
        Invalid(
            "import numba as nb\n"
            '@nb.guvectorize("(n),(n)->(n,k)")\n'
            "def f(x, y, out):\n    out[0, 0] = x[0] * y[0]\n",
            call="f(np.ones(2), np.ones(2), np.zeros((2, 2)))",
        ),
    )

    def finish(self) -> None:
        problem = self.layout
        if isinstance(problem, LayoutProblem) and problem.kind == "undefined":
            assert self.spec is not None and self.spec.layout_node is not None
            self.report(self.spec.layout_node, self.message.format(names=problem.detail))
