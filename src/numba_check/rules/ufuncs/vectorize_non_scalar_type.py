from __future__ import annotations

from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.ufuncs._base import UfuncRule


class VectorizeNonScalarType(UfuncRule):
    """## What it does
    Flags a `@vectorize` signature that uses an array type (`float64[:]`), a tuple type
    (`UniTuple(float64, 2)`) or `void`.

    ## Why is this bad?
    A `@vectorize` kernel works on one element at a time: every argument and the result are
    NumPy scalars. Numba refuses anything else when the decorator runs: "array(float64, 1d,
    A) cannot be represented as a NumPy dtype" (every version from 0.57 to 0.68).

    ## Example
    ```python
    @vectorize(["float64(float64[:])"])
    def total(x):
        return x.sum()
    ```

    ## Use instead
    Write the element-wise kernel, or use `@guvectorize` for a kernel over sub-arrays:
    ```python
    @guvectorize(["void(float64[:], float64[:])"], "(n)->()")
    def total(x, out):
        out[0] = x.sum()
    ```
    """

    code = "NB463"
    name = "vectorize-non-scalar-type"
    severity = Severity.ERROR
    message = (
        "`{type}` in a @vectorize signature: a ufunc kernel takes and returns scalars; use "
        "@guvectorize for array arguments"
    )
    targets = frozenset({Target.UFUNC})
    object_mode = True

    VALID = (
        Valid(
            "from numba import vectorize, float64, int64\n"
            "@vectorize([float64(float64, int64)])\n"
            "def f(x, n):\n    return x * n\n",
            call="f(np.arange(3.0), 2)",
        ),
        Valid(
            "from numba import vectorize\n"
            '@vectorize(["(float64,)"])\n'
            "def f(x):\n    return x + 1.0\n",
            call="f(np.arange(3.0))",
        ),
    )
    INVALID = (
        Invalid(
            "from numba import vectorize\n"
            '@vectorize(["float64(float64[:])"])\n'
            "def f(x):\n    return x * 2.0\n",
            line=2,
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "import numba as nb\n"
            "@nb.vectorize([nb.float64[:](nb.float64[:])])\n"
            "def f(x):\n    return x + 1.0\n",
            call="f(np.arange(3.0))",
        ),
        Invalid(
            'from numba import vectorize\n@vectorize(["void(float64)"])\ndef f(x):\n    pass\n',
            call="f(np.arange(3.0))",
        ),
    )

    def finish(self) -> None:
        spec = self.spec
        if spec is None or not spec.signatures:
            return
        for sig in spec.signatures:
            if sig is None:
                continue
            ret = [sig.ret] if sig.ret is not None else []
            bad = [t for t in sig.args if t.kind in ("array", "tuple")] + [
                t for t in ret if t.kind in ("array", "tuple", "void")
            ]
            if bad:
                self.report(sig.node, self.message.format(type=bad[0].text))
