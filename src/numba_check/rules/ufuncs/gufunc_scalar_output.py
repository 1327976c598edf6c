from __future__ import annotations

from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.ufuncs._base import FALLBACK_NOTE, KernelWalk
from numba_check.rules.ufuncs._spec import Layout, parameter_count, parameter_names


class GufuncScalarOutput(KernelWalk):
    """## What it does
    Flags a `@guvectorize` output declared with a scalar type (`float64` for a `()` output)
    that the kernel writes with `out[0] = ...`.

    ## Why is this bad?
    A scalar is passed by value, so it cannot be written: Numba refuses the item assignment
    ("No implementation of function setitem(float64, ...)", since 0.59; before, a CPU gufunc
    without `nopython=True` fell back to object mode and failed when called). A scalar output
    is always a mistake: even assigned to as a name, the result never reaches the caller.

    ## Example
    ```python
    @guvectorize(["void(float64[:], float64)"], "(n)->()")
    def total(x, out):
        out[0] = x.sum()
    ```

    ## Use instead
    Declare a `()` output as a one-dimensional array:
    ```python
    @guvectorize(["void(float64[:], float64[:])"], "(n)->()")
    def total(x, out):
        out[0] = x.sum()
    ```
    """

    code = "NB457"
    name = "gufunc-scalar-output"
    severity = Severity.ERROR
    message = (
        "the output `{param}` is declared as the scalar `{type}`, which the kernel cannot "
        "write; declare a `()` output as a 1-d array (`{type}[:]`) and write `{param}[0]`"
    )
    targets = frozenset({Target.GUFUNC})
    needs_nopython_kernel = True
    applicability_note = FALLBACK_NOTE

    VALID = (
        Valid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64, float64[:])"], "(n),()->()")\n'
            "def f(x, k, out):\n    out[0] = x.sum() * k\n",
            call="f(np.arange(3.0), 2.0)",
        ),
    )
    INVALID = (
        Invalid(
            "from numba import guvectorize\n"
            '@guvectorize(["void(float64[:], float64)"], "(n)->()")\n'
            "def f(x, out):\n    out[0] = x.sum()\n",
            line=2,
            call="f(np.arange(3.0))",
        ),
    )

    def finish(self) -> None:
        spec, layout = self.spec, self.layout
        if not self.kernel_checked or spec is None or not spec.signatures:
            return
        if not isinstance(layout, Layout):
            return
        if parameter_count(self.kernel) != len(layout.groups):
            return
        names = parameter_names(self.kernel)
        written = {name for name, _ in self.subscript_writes}
        first_output = len(layout.inputs)
        for sig in spec.signatures:
            if sig is None or len(sig.args) != len(layout.groups):
                continue
            for index in range(first_output, len(names)):
                argtype = sig.args[index]
                if argtype.kind == "scalar" and names[index] in written:
                    self.report(
                        sig.node, self.message.format(param=names[index], type=argtype.text)
                    )
                    break
