from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.knowledge import numpy_limits
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.numpy_api._numpy import support, version_text
from numba_check.rules.numpy_api._receivers import Receivers

INSTEAD = {
    "tolist": "return the array itself, or fill a `numba.typed.List` in a loop",
    "squeeze": "use `a.reshape(...)` with the shape you want",
    "swapaxes": "use `np.swapaxes(a, i, j)` or `a.transpose(...)`",
    "round": "use `np.round(a, decimals)`",
    "diagonal": "use `np.diag(a)`",
    "searchsorted": "use `np.searchsorted(a, v)`",
    "resize": "use `np.resize(a, shape)` (Numba 0.60+) or a new array",
    "partition": "use `np.partition(a, k)`",
    "argpartition": "use `np.argpartition(a, k)`",
    "trace": "use `np.trace(a)`",
    "put": "assign through `a.flat[i] = v` in a loop",
    "compress": "use boolean indexing `a[mask]`",
    "ptp": "use `np.ptp(a)` or `a.max() - a.min()`",
}


class UnsupportedArrayMethod(Rule):
    """## What it does
    Flags an ndarray method or attribute that the target Numba version cannot type:
    `a.tolist()`, `a.squeeze()`, `a.swapaxes(0, 1)`, `a.round(2)`, `a.diagonal()`,
    `a.searchsorted(v)`, `a.resize(n)`, `a.partition(k)`, `a.base`...

    Only when the receiver is an array for certain: built in the function by a NumPy
    constructor (`a = np.zeros(n)`), derived from one (`a.T`, `a * 2`, `a.reshape(...)`), or a
    parameter annotated `np.ndarray`. For a parameter or global of unknown type, only method
    names no other Numba type has (`tolist`, `squeeze`, `swapaxes`, `searchsorted`...) and no
    class or `@overload_method` of the module defines. Names bound to a list, a jitclass
    instance or the result of any non-NumPy call are never flagged.

    ## Why is this bad?
    Numba implements a subset of the ndarray methods. The others stop compilation with
    "Unknown attribute 'tolist' of type array(float64, 1d, C)".

    ## Example
    ```python
    @njit
    def flat(n):
        a = np.zeros((1, n))
        return a.squeeze()
    ```

    ## Use instead
    ```python
    @njit
    def flat(n):
        a = np.zeros((1, n))
        return a.reshape(n)
    ```
    """

    code = "NB305"
    name = "unsupported-array-method"
    severity = Severity.ERROR
    message = "Numba {version} does not support the ndarray {what} `{attr}`{instead}"
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    a = np.zeros((1, n))\n    return a.reshape(n)\n",
            call="f(3)",
        ),
        # A typed List has no squeeze, but a list's copy/sort are list methods.
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    x = [1.0, 2.0]\n    y = x.copy()\n    y.sort()\n    return y[0]\n",
            call="f(3)",
        ),
        # A jitclass of the module defines `tolist`.
        Valid(
            "import numpy as np\nfrom numba import njit, float64\nfrom numba.experimental import jitclass\n"
            "@jitclass([('v', float64[:])])\nclass Bag:\n    def __init__(self, v):\n        self.v = v\n"
            "    def tolist(self):\n        return self.v.sum()\n"
            "@njit\ndef f(b):\n    return b.tolist()\n",
            call="f(Bag(np.arange(3.0)))",
        ),
        # Bound to the result of a non-NumPy call: not an array for certain.
        Valid(
            "import numpy as np\nfrom numba import njit\nfrom numba.typed import List\n@njit\ndef f(n):\n"
            "    x = List()\n    x.append(1.0)\n    return x.index(1.0)\n",
            call="f(3)",
        ),
        # `round` is not a name judged without knowing the receiver.
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(x):\n    return x.round()\n"
        ),
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.round(a, 1).sum() + a.T.sum() + a.ravel()[0]\n",
            call="f(np.arange(3.0))",
        ),
        Valid("import numpy as np\nimport numba\ndef f(a):\n    return a.tolist()\n"),
        # The NumPy function of the same name, on the module.
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a, v):\n"
            "    return np.searchsorted(a, v)\n",
            call="f(np.arange(3.0), 1.5)",
        ),
    )
    INVALID = (
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    a = np.zeros((1, n))\n    return a.squeeze()\n",
            line=6,
            column=12,
            call="f(3)",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n    return a.tolist()\n",
            line=5,
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(n):\n"
            "    a = np.arange(n) * 1.5\n    return a.round(1)\n",
            call="f(3)",
        ),
        Invalid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(a: np.ndarray):\n"
            "    return a.diagonal()\n",
            call="f(np.ones((2, 2)))",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return np.ones((2, n)).swapaxes(0, 1)\n",
            call="f(3)",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return a.searchsorted(1.5)\n",
            call="f(np.arange(3.0))",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._receivers = Receivers(ctx)
        self._called: set[int] = set()
        self._data = support(ctx)
        self._distinctive = numpy_limits(ctx.numba_version).distinctive_array_methods

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Attribute):
            self._called.add(id(node.func))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        attr = node.attr
        if attr not in self._data.array_attributes_not_typable:
            return
        called = id(node) in self._called
        if not self._receivers.is_array(node.value) and not (
            called
            and attr in self._distinctive
            and attr not in self._data.array_names_on_other_types
            and self._receivers.may_judge_by_name(node.value, attr)
        ):
            return
        instead = INSTEAD.get(attr)
        self.report(
            node,
            self.message.format(
                version=version_text(self.ctx),
                what="method" if called else "attribute",
                attr=f"{attr}()" if called else attr,
                instead=f"; {instead}" if instead else "",
            ),
        )
