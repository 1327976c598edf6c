from __future__ import annotations

from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.ufuncs._base import KernelWalk
from numba_check.rules.ufuncs._spec import decorator_options, kernel_typing_is_fatal


class GufuncNonVoidSignature(KernelWalk):
    """## What it does
    Flags a `@guvectorize` signature with a return type other than `void`, such as
    `"float64(float64[:], float64[:])"`. Leaving the return type out
    (`"(float64[:], float64[:])"`) is fine.

    ## Why is this bad?
    A gufunc returns its results through its output arguments. When the kernel returns a
    value Numba stops with "gufunc kernel must have void return type" (every version);
    when it does not, typing fails with "No conversion from none to float64" (since 0.59;
    before, a CPU gufunc without `nopython=True` fell back to object mode).

    ## Example
    ```python
    @guvectorize(["float64(float64[:], float64[:])"], "(n)->()")
    def total(x, out):
        out[0] = x.sum()
    ```

    ## Use instead
    ```python
    @guvectorize(["void(float64[:], float64[:])"], "(n)->()")
    def total(x, out):
        out[0] = x.sum()
    ```
    """

    code = "NB456"
    name = "gufunc-non-void-signature"
    severity = Severity.ERROR
    message = (
        "the @guvectorize signature declares the return type `{ret}`; a gufunc kernel "
        "returns nothing (`void`) and writes into its output arguments"
    )
    targets = frozenset({Target.GUFUNC})
    # Decides itself where an object-mode fall-back (before 0.59) still refuses it.
    object_mode = True
    applicability_note = (
        "all versions when the kernel returns a value; otherwise >= 0.59 (before, only with "
        "nopython=True or target='parallel')"
    )

    VALID = (
        Valid(
            "from numba import guvectorize\n"
            '@guvectorize(["(float64[:], float64[:])"], "(n)->()")\n'
            "def f(x, out):\n    out[0] = x.sum()\n",
            call="f(np.arange(3.0))",
        ),
        Valid(
            "from numba import guvectorize\n"
            '@guvectorize(["float64(float64[:], float64[:])"], "(n)->()")\n'
            "def f(x, out):\n    out[0] = x.sum()\n",
            target_numba="0.57",
        ),
    )
    INVALID = (
        Invalid(
            "from numba import guvectorize\n"
            '@guvectorize(["float64(float64[:], float64[:])"], "(n)->()")\n'
            "def f(x, out):\n    out[0] = x.sum()\n",
            line=2,
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "import numba as nb\n"
            '@nb.guvectorize([nb.float64(nb.float64[:], nb.float64[:])], "(n)->()")\n'
            "def f(x, out):\n    out[0] = x.sum()\n    return out[0]\n",
            line=2,
            target_numba="0.57",
        ),
    )

    def finish(self) -> None:
        spec, function = self.spec, self.ctx.function
        if spec is None or not spec.signatures or function is None:
            return
        if decorator_options(self.ctx, function).get("forceobj") is True:
            return
        options = decorator_options(self.ctx, function)
        fatal = kernel_typing_is_fatal(function, self.ctx.numba_version, options)
        if not fatal and not self.value_returns:
            return  # object-mode fall-back (before 0.59) compiles it
        for sig in spec.signatures:
            if sig is not None and sig.ret is not None and sig.ret.kind in ("scalar", "array"):
                self.report(sig.node, self.message.format(ret=sig.ret.text))
