from __future__ import annotations

from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.ufuncs._base import UfuncRule
from numba_check.rules.ufuncs._spec import parameter_count


class VectorizeArityMismatch(UfuncRule):
    """## What it does
    Flags a `@vectorize` signature that types more or fewer arguments than the kernel has
    parameters, such as `"float64(float64, float64)"` on `def f(x)`.

    ## Why is this bad?
    Numba refuses it when the decorator runs: "Signature mismatch: 2 argument types given,
    but function takes 1 arguments" (every version from 0.57 to 0.68, in object mode too).
    Parameters with default values still count.

    ## Example
    ```python
    @vectorize(["float64(float64)"])
    def shift(x, by=1.0):
        return x + by
    ```

    ## Use instead
    ```python
    @vectorize(["float64(float64, float64)"])
    def shift(x, by):
        return x + by
    ```
    """

    code = "NB462"
    name = "vectorize-arity-mismatch"
    severity = Severity.ERROR
    message = "the signature types {count} arguments but `{name}` takes {params}"
    targets = frozenset({Target.UFUNC})
    object_mode = True

    VALID = (
        Valid(
            "import numba as nb\n"
            "@nb.vectorize([nb.float64(nb.float64, nb.float64), nb.int64(nb.int64, nb.int64)])\n"
            "def f(x, y):\n    return x + y\n",
            call="f(np.arange(3.0), 2.0)",
        ),
        Valid(
            "from numba import vectorize\n"
            '@vectorize("float64(float64)", target="parallel")\n'
            "def f(x):\n    return x + 1.0\n",
            call="f(np.arange(3.0))",
        ),
        Valid(
            "import numba\n"
            "def shift(x, by):\n    return x + by\n"
            'fast = numba.vectorize(["float64(float64, float64)"])(shift)\n',
            call="fast(np.arange(3.0), 1.5)",
        ),
    )
    INVALID = (
        Invalid(
            "from numba import vectorize\n"
            '@vectorize(["float64(float64, float64)"])\n'
            "def f(x):\n    return x + 1.0\n",
            line=2,
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "from numba import vectorize\n"
            '@vectorize(["float64(float64)"])\n'
            "def f(x, by=1.0):\n    return x + by\n",
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "import numba\n"
            "def shift(x, by):\n    return x + by\n"
            'fast = numba.vectorize(["float64(float64)"])(shift)\n',
            line=4,
            call="fast(np.arange(3.0), 1.5)",
        ),
    )

    def finish(self) -> None:
        spec = self.spec
        params = parameter_count(self.kernel)
        if spec is None or not spec.signatures or params is None:
            return
        for sig in spec.signatures:
            if sig is not None and len(sig.args) != params:
                self.report(
                    sig.node,
                    self.message.format(count=len(sig.args), name=self.kernel.name, params=params),
                )
