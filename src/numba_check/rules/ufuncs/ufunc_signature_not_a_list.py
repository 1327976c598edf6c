from __future__ import annotations

from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.ufuncs._base import UfuncRule


class UfuncSignatureNotAList(UfuncRule):
    """## What it does
    Flags a `@vectorize` / `@guvectorize` given one signature written with Numba's type
    objects, such as `@vectorize(float64(float64))`, rather than a list of them.

    ## Why is this bad?
    The ufunc decorators iterate over their first argument. A lone signature string is
    wrapped in a list for you, but a signature object is not: "TypeError: 'Signature' object
    is not iterable" when the decorator runs (every version from 0.57 to 0.68).

    ## Example
    ```python
    @vectorize(float64(float64))
    def half(x):
        return x / 2
    ```

    ## Use instead
    ```python
    @vectorize([float64(float64)])
    def half(x):
        return x / 2
    ```
    """

    code = "NB464"
    name = "ufunc-signature-not-a-list"
    severity = Severity.ERROR
    message = "the ufunc decorator needs a list of signatures; write `[{sig}]`"
    targets = frozenset({Target.UFUNC, Target.GUFUNC})
    object_mode = True

    VALID = (
        Valid(
            "from numba import vectorize, float64\n"
            "@vectorize([float64(float64)])\n"
            "def f(x):\n    return x / 2\n",
            call="f(np.arange(3.0))",
        ),
        Valid(
            "from numba import vectorize\n"
            '@vectorize("float64(float64)")\n'
            "def f(x):\n    return x / 2\n",
            call="f(np.arange(3.0))",
        ),
    )
    INVALID = (
        Invalid(
            "from numba import vectorize, float64\n"
            "@vectorize(float64(float64))\n"
            "def f(x):\n    return x / 2\n",
            line=2,
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "import numba as nb\n"
            '@nb.guvectorize(nb.void(nb.float64[:], nb.float64[:]), "(n)->()")\n'
            "def f(x, out):\n    out[0] = x.sum()\n",
            call="f(np.arange(3.0))",
        ),
    )

    def finish(self) -> None:
        spec = self.spec
        if spec is not None and spec.bare_signature is not None:
            sig = self.ctx.module.quote(spec.bare_signature)
            self.report(spec.bare_signature, self.message.format(sig=sig))
