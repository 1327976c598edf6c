from __future__ import annotations

from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.ufuncs._base import UfuncRule
from numba_check.rules.ufuncs._spec import (
    Layout,
    describe_group,
    parameter_count,
    parameter_names,
)


class GufuncDimensionMismatch(UfuncRule):
    """## What it does
    Flags a `@guvectorize` signature whose argument type does not have the dimensions the
    layout gives that argument: a scalar type such as `float64` for `(n)`, or `float64[:]`
    for `(m,n)`.

    A scalar group `()` accepts both a scalar type and a one-dimensional array (the kernel
    then reads `x[0]`), as Numba documents.

    ## Why is this bad?
    Numba refuses it when the decorator runs: "scalar type float64 given for non scalar
    argument #1" or "type and shape signature mismatch for arg #1" (every version from 0.57
    to 0.68).

    ## Example
    ```python
    @guvectorize(["void(float64[:], float64[:])"], "(m,n)->()")
    def total(a, out):
        out[0] = a.sum()
    ```

    ## Use instead
    ```python
    @guvectorize(["void(float64[:, :], float64[:])"], "(m,n)->()")
    def total(a, out):
        out[0] = a.sum()
    ```
    """

    code = "NB454"
    name = "gufunc-dimension-mismatch"
    severity = Severity.ERROR
    message = (
        "argument {index} (`{param}`) is `{group}` in the layout but `{type}` in the "
        "signature: {why}"
    )
    targets = frozenset({Target.GUFUNC})
    object_mode = True

    VALID = (
        Valid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64, float64[:])"], "(n),()->(n)")\n'
            "def f(x, k, out):\n    for i in range(x.shape[0]):\n        out[i] = x[i] * k\n",
            call="f(np.arange(3.0), 2.0)",
        ),
        Valid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64[:], float64[:])"], "(n),()->(n)")\n'
            "def f(x, k, out):\n    for i in range(x.shape[0]):\n"
            "        out[i] = x[i] * k[0]\n",
            call="f(np.arange(3.0), 2.0)",
        ),
        Valid(
            "import numba as nb\n"
            '@nb.guvectorize([nb.void(nb.float64[:, ::1], nb.float64[:])], "(m,n)->()")\n'
            "def f(a, out):\n    out[0] = a.sum()\n",
            call="f(np.ones((2, 3)))",
        ),
    )
    INVALID = (
        Invalid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64[:])"], "(m,n)->()")\n'
            "def f(a, out):\n    out[0] = a.sum()\n",
            line=2,
            call="f(np.ones((2, 3)))",
        ),
        Invalid(
            "import numba as nb\n"
            '@nb.guvectorize([nb.void(nb.float64, nb.float64[:])], "(n)->()")\n'
            "def f(x, out):\n    out[0] = x.sum()\n",
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64[:, :])"], "(n)->()")\n'
            "def f(x, out):\n    out[0] = x.sum()\n",
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "from numba import guvectorize, int64\n"
            '@guvectorize([(int64[:], int64[:], int64[:])], "(n),(n,m)->(n)")\n'
            "def g(x, y, res):\n    for i in range(x.shape[0]):\n"
            "        res[i] = x[i] + y[i, 0]\n",
            line=2,
            call="g(np.arange(3), np.ones((3, 2), dtype=np.int64))",
        ),
    )

    def finish(self) -> None:
        spec, layout = self.spec, self.layout
        if spec is None or not spec.signatures or not isinstance(layout, Layout):
            return
        params = parameter_count(self.kernel)
        names = parameter_names(self.kernel)
        groups = layout.groups
        for sig in spec.signatures:
            if sig is None or len(sig.args) != len(groups):
                continue
            if params is not None and params != len(groups):
                continue  # gufunc-arity-mismatch says so; Numba stops there first
            for index, (group, argtype) in enumerate(zip(groups, sig.args, strict=True), start=1):
                if argtype.kind == "scalar" and group:
                    why = '"scalar type given for non scalar argument"'
                elif (
                    argtype.kind == "array"
                    and argtype.ndim != len(group)
                    and not (not group and argtype.ndim == 1)
                ):
                    why = f"{argtype.ndim} dimension(s) for {len(group)}"
                else:
                    continue
                param = names[index - 1] if index <= len(names) else f"#{index}"
                self.report(
                    sig.node,
                    self.message.format(
                        index=index,
                        param=param,
                        group=describe_group(group),
                        type=argtype.text,
                        why=why,
                    ),
                )
                break
