from __future__ import annotations

from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.ufuncs._base import UfuncRule
from numba_check.rules.ufuncs._spec import Layout, parameter_count


class GufuncArityMismatch(UfuncRule):
    """## What it does
    Flags a `@guvectorize` whose layout, signatures and kernel disagree on the number of
    arguments: every input *and* output is one group of the layout, one type of each
    signature and one parameter of the kernel.

    ## Why is this bad?
    Numba refuses it: "Signature mismatch: 2 argument types given, but function takes 3
    arguments", "invalid number of args: expected 3, got 2", or an `IndexError`, when the
    decorator runs (for a layout-only, dynamic gufunc, at the first call). Parameters with
    default values still count. Every version from 0.57 to 0.68.

    ## Example
    ```python
    @guvectorize(["void(float64[:], float64[:])"], "(n),()->(n)")
    def scale(x, k, out):
        out[:] = x * k
    ```

    ## Use instead
    ```python
    @guvectorize(["void(float64[:], float64, float64[:])"], "(n),()->(n)")
    def scale(x, k, out):
        out[:] = x * k
    ```
    """

    code = "NB453"
    name = "gufunc-arity-mismatch"
    severity = Severity.ERROR
    message = "{what}; every input and output needs a layout group, a type and a parameter"
    targets = frozenset({Target.GUFUNC})
    object_mode = True  # argument counts are checked in object mode too

    VALID = (
        Valid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64, float64[:])"], "(n),()->(n)")\n'
            "def f(x, k, out):\n    for i in range(x.shape[0]):\n        out[i] = x[i] * k\n",
            call="f(np.arange(3.0), 2.0)",
        ),
        Valid(
            "import numba as nb\n"
            '@nb.guvectorize("(n),()->(n)")\n'
            "def f(x, k, out):\n    for i in range(x.shape[0]):\n        out[i] = x[i] * k\n",
            call="f(np.arange(3.0), 2.0, np.zeros(3))",
        ),
        Valid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64[:])"], "(n)->()")\n'
            "def f(*args):\n    args[1][0] = args[0].sum()\n"
        ),
    )
    INVALID = (
        Invalid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64[:])"], "(n),()->(n)")\n'
            "def f(x, k, out):\n    for i in range(x.shape[0]):\n        out[i] = x[i] * k\n",
            line=2,
            call="f(np.arange(3.0), 2.0)",
        ),
        Invalid(
            "import numba\n"
            '@numba.guvectorize(["void(float64[:], float64, float64[:])"], "(n)->(n)")\n'
            "def f(x, out):\n    out[:] = x\n",
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "import numba\n"
            '@numba.guvectorize(["void(float64[:], float64[:])"], "(n)->(n)")\n'
            "def f(x, out, k=1.0):\n    out[:] = x * k\n",
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "import numba as nb\n"
            '@nb.guvectorize("(n)->(n)")\n'
            "def f(x, out, k=2.0):\n    out[:] = x * k\n",
            call="f(np.arange(3.0), np.zeros(3))",
        ),
    )

    def finish(self) -> None:
        spec, layout = self.spec, self.layout
        if spec is None:
            return
        params = parameter_count(self.kernel)
        groups = len(layout.groups) if isinstance(layout, Layout) else None
        name = self.kernel.name
        if spec.dynamic:
            # Layout only: the layout against the kernel, checked at the first call.
            if params is not None and groups is not None and groups != params:
                assert spec.layout_node is not None
                what = (
                    f"the layout {spec.layout_text!r} has {groups} groups but `{name}` takes "
                    f"{params} parameters"
                )
                self.report(spec.layout_node, self.message.format(what=what))
            return
        if not spec.signatures:
            return  # unknown, or an empty list that compiles nothing
        for sig in spec.signatures:
            if sig is None:
                continue
            count = len(sig.args)
            if params is not None and count != params:
                what = f"the signature types {count} arguments but `{name}` takes {params}"
            elif groups is not None and count != groups:
                what = (
                    f"the signature types {count} arguments but the layout "
                    f"{spec.layout_text!r} has {groups} groups"
                )
            else:
                continue
            self.report(sig.node, self.message.format(what=what))
