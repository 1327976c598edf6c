from __future__ import annotations

from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.ufuncs._base import UfuncRule
from numba_check.rules.ufuncs._spec import LayoutProblem


class GufuncLayoutSyntax(UfuncRule):
    """## What it does
    Flags a `@guvectorize` layout string that Numba cannot parse: groups not separated by
    commas (`"(n)(n)->()"`), a bracket left open, names outside brackets, nothing after `->`,
    a comma after the last group or the last name of a group (`"(n,)->()"`), NumPy's
    flexible dimensions (`"(n?)"`), or `->` twice.

    ## Why is this bad?
    The layout is parsed when the decorator runs, so the module fails to import: Numba stops
    with `ValueError: bad token in signature ...` or NumPy's `expect ',' at position ...`
    (every version from 0.57 to 0.68).

    ## Example
    ```python
    @guvectorize(["void(float64[:], float64[:], float64[:])"], "(n)(n)->(n)")
    def add(x, y, out):
        out[:] = x + y
    ```

    ## Use instead
    ```python
    @guvectorize(["void(float64[:], float64[:], float64[:])"], "(n),(n)->(n)")
    def add(x, y, out):
        out[:] = x + y
    ```
    """

    code = "NB450"
    name = "gufunc-layout-syntax"
    severity = Severity.ERROR
    message = "Numba cannot parse the @guvectorize layout {layout!r}: {detail}"
    targets = frozenset({Target.GUFUNC})
    object_mode = True  # parsed before any compilation, whatever the mode

    VALID = (
        Valid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64[:], float64[:])"], " (n) , (n) -> (n) ")\n'
            "def f(x, y, out):\n    out[:] = x + y\n",
            call="f(np.arange(3.0), np.ones(3))",
        ),
        Valid(
            "import numba\n"
            '@numba.guvectorize(["void(float64[:, :], float64[:])"], "(m,n)->()")\n'
            "def f(x, out):\n    out[0] = x.sum()\n",
            call="f(np.ones((2, 3)))",
        ),
        Valid(
            "from numba import guvectorize\n"
            'LAYOUT = "(n)->()"\n'
            '@guvectorize(["void(float64[:], float64[:])"], LAYOUT)\n'
            "def f(x, out):\n    out[0] = x.sum()\n",
            call="f(np.arange(3.0))",
        ),
    )
    INVALID = (
        Invalid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64[:], float64[:])"], "(n)(n)->(n)")\n'
            "def f(x, y, out):\n    out[:] = x + y\n",
            line=2,
            call="f(np.arange(3.0), np.ones(3))",
        ),
        Invalid(
            "import numba\n"
            '@numba.guvectorize(["void(float64[:], float64[:])"], "(n,)->()")\n'
            "def f(x, out):\n    out[0] = x.sum()\n",
            line=2,
            call="f(np.arange(3.0))",
        ),
        Invalid(
            'import numba as nb\n@nb.guvectorize("(n)->")\ndef f(x):\n    x[0] = 1.0\n',
            call="f(np.arange(3.0))",
        ),
    )

    def finish(self) -> None:
        problem = self.layout
        if isinstance(problem, LayoutProblem) and problem.kind == "syntax":
            assert self.spec is not None and self.spec.layout_node is not None
            self.report(
                self.spec.layout_node,
                self.message.format(layout=self.spec.layout_text, detail=problem.detail),
            )
