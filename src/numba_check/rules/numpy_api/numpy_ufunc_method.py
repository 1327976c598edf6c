from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.numpy_api._numpy import display, numpy_names, support, version_text

# What to write instead, for the messages.
INSTEAD = {
    "reduce": "a reduction such as `np.sum`/`np.prod`/`np.max`, or a loop",
    "accumulate": "`np.cumsum`/`np.cumprod`, or a loop",
    "outer": "broadcasting (`a[:, None] + b[None, :]`) or `np.outer` for products",
    "at": "a loop over the indices",
    "reduceat": "a loop over the segments",
}


class NumpyUfuncMethod(Rule):
    """## What it does
    Flags the methods and attributes of a NumPy ufunc in compiled code: `np.add.reduce`,
    `np.multiply.accumulate`, `np.subtract.outer`, `np.add.at`, `np.maximum.reduceat`,
    `np.add.identity`, `np.add.nin`...

    Ufuncs you build with `@vectorize` are Numba's own (DUFuncs) and support `reduce` since
    Numba 0.59: they are not flagged.

    ## Why is this bad?
    Numba supports calling NumPy ufuncs, not their methods. Compilation stops with "Unknown
    attribute 'reduce' of type Function(<ufunc 'add'>)" (checked on Numba 0.57 to 0.68).

    ## Example
    ```python
    @njit
    def total(a):
        return np.add.reduce(a)
    ```

    ## Use instead
    ```python
    @njit
    def total(a):
        return np.sum(a)
    ```
    """

    code = "NB306"
    name = "numpy-ufunc-method"
    severity = Severity.ERROR
    message = "Numba {version} does not support `{func}.{attr}` on NumPy ufuncs; use {instead}"
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.add(a, a).sum()\n",
            call="f(np.arange(3.0))",
        ),
        Valid(
            "import numpy as np\nfrom numba import njit, vectorize\n@vectorize(['float64(float64, float64)'])\n"
            "def plus(x, y):\n    return x + y\n@njit\ndef f(a):\n    return plus.reduce(a)\n",
            call="f(np.arange(3.0))",
        ),
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.cumsum(a)\n",
            call="f(np.arange(3.0))",
        ),
        Valid("import numpy as np\nimport numba\ndef f(a):\n    return np.add.reduce(a)\n"),
    )
    INVALID = (
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.add.reduce(a)\n",
            line=5,
            column=12,
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "import numpy\nimport numba\n@numba.njit\ndef f(a):\n"
            "    return numpy.multiply.accumulate(a)\n",
            call="f(np.arange(1.0, 4.0))",
        ),
        Invalid(
            "from numpy import subtract\nfrom numba import njit\n@njit\ndef f(a, b):\n"
            "    return subtract.outer(a, b)\n",
            call="f(np.arange(3.0), np.ones(2))",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a, i):\n"
            "    np.add.at(a, i, 1.0)\n    return a\n",
            call="f(np.zeros(3), np.array([0, 0, 2]))",
        ),
    )

    def visit_Attribute(self, node: ast.Attribute) -> None:
        attr = node.attr
        data = support(self.ctx)
        if attr not in data.ufunc_attributes_not_typable:
            return
        ufuncs = numpy_names(self.ctx, node.value) & data.ufuncs
        if not ufuncs:
            return
        self.report(
            node,
            self.message.format(
                version=version_text(self.ctx),
                func=display(min(ufuncs)),
                attr=attr,
                instead=INSTEAD.get(attr, "a loop"),
            ),
        )
