from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.knowledge import REFUSED
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.numpy_api._arguments import ArgumentLimits
from numba_check.rules.numpy_api._numpy import version_text


class UnsupportedNumpyArgument(Rule):
    """## What it does
    Flags an argument that Numba does not accept on a NumPy function or ndarray method it
    otherwise supports: `axis=` on `np.mean`/`np.max`/`np.std`/`np.median`/`np.sort`/... and
    their method forms (`a.mean(axis=0)`), `ddof=` on `np.std`, `keepdims=`, `dtype=` on
    `np.mean`, `order=` on `np.zeros`/`np.reshape`/`a.flatten`/`a.copy`, `endpoint=` on
    `np.linspace`, `return_counts=` on `np.unique`, `p=` on `np.random.choice`...

    The forms come from `numpy-limits.toml`, each checked by compiling on every recorded Numba
    version, with the version that lifted it: `axis=` on `np.cumsum` is flagged before Numba
    0.67 only, a tuple `axis` on `np.sum` before 0.68. Method forms are flagged when the
    receiver is an array for certain, or when the argument is given by keyword to a method
    no class of the module defines.

    ## Why is this bad?
    Numba implements these functions with a narrower signature than NumPy's. The call stops
    compilation with "No implementation of function Function(<function mean>) found for
    signature: mean(array(float64, 2d, C), axis=Literal[int](0))" (for `order=` on methods,
    an internal AssertionError).

    ## Example
    ```python
    @njit
    def column_means(a):
        return np.mean(a, axis=0)
    ```

    ## Use instead
    ```python
    @njit
    def column_means(a):
        out = np.empty(a.shape[1])
        for j in range(a.shape[1]):
            out[j] = a[:, j].mean()
        return out
    ```
    """

    code = "NB304"
    name = "unsupported-numpy-argument"
    severity = Severity.ERROR
    message = "Numba {version} does not accept `{argument}`{form} on `{func}`{until}; {instead}"
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.mean(a) + np.sum(a, axis=0).sum() + np.argmax(a, axis=1).sum()\n",
            call="f(np.ones((2, 3)))",
        ),
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a, k):\n"
            "    return np.sum(a, axis=k).sum() + np.cumsum(a, axis=1).sum()\n",
            call="f(np.ones((2, 3)), 0)",
        ),
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.sum(a, axis=(0, 1))\n",
            call="f(np.ones((2, 3)))",
        ),
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return np.linspace(0.0, 1.0, num=n).sum() + np.zeros((n, 2), np.float64).sum()\n",
            call="f(3)",
        ),
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.percentile(a, 50.0) + np.average(a, axis=None) + np.nanstd(a, axis=None)\n",
            call="f(np.arange(4.0))",
        ),
        # A list's sort takes no axis, but a jitclass of the module may define `mean(axis)`.
        Valid(
            "import numpy as np\nfrom numba import njit, float64\nfrom numba.experimental import jitclass\n"
            "@jitclass([('v', float64[:])])\nclass Stats:\n    def __init__(self, v):\n        self.v = v\n"
            "    def mean(self, axis):\n        return self.v.mean()\n"
            "@njit\ndef f(s):\n    return s.mean(axis=0)\n",
            call="f(Stats(np.arange(3.0)))",
        ),
        Valid("import numpy as np\nimport numba\ndef f(a):\n    return np.mean(a, axis=0)\n"),
        # A run-time axis on np.sum works on every recorded version.
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a, k):\n"
            "    return np.sum(a, axis=k)\n",
            target_numba="0.60",
        ),
        # np.average(axis=) compiles (NB311: ignored, or raises at run time), no error.
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.average(a, axis=0)\n"
        ),
        # A receiver the explicit signature makes an array, without the refused axis.
        Valid(
            "import numpy as np\nfrom numba import njit\n"
            '@njit("float64(float64[:, :])")\ndef f(a):\n    return a.max()\n',
            call="f(np.ones((2, 3)))",
        ),
    )
    INVALID = (
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.mean(a, axis=0)\n",
            line=5,
            column=23,
            call="f(np.ones((2, 3)))",
        ),
        Invalid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(a):\n    return np.max(a, 1)\n",
            call="f(np.ones((2, 3)))",
        ),
        Invalid(
            "import numpy as np\nimport numba as nb\n@nb.njit\ndef f(n):\n"
            "    a = np.ones((n, 2))\n    return a.mean(axis=0)\n",
            call="f(3)",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.std(a, ddof=1)\n",
            call="f(np.arange(4.0))",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return np.zeros((n, 2), order='F')\n",
            call="f(3)",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return a.flatten(order='F')\n",
            call="f(np.ones((2, 3)))",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return np.linspace(0.0, 1.0, n, endpoint=False)\n",
            call="f(3)",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.unique(a, return_counts=True)[1]\n",
            call="f(np.array([1, 1, 2]))",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(p):\n"
            "    return np.random.choice(3, 2, p=p)\n",
            call="f(np.array([0.2, 0.3, 0.5]))",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.sum(a, keepdims=True)\n",
            call="f(np.ones((2, 3)))",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.cumsum(a, axis=0)\n",
            target_numba="0.60",
        ),
        # Read along the flow: the list bound after the call does not make `a` no array there.
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    m = a.max(axis=0)\n    a = [1]\n    return m\n",
            line=5,
            call="f(np.ones((2, 3)))",
        ),
        # The explicit signature makes `a` an array, positional axis included (numba's own
        # test_errorhandling.py expects this TypingError).
        Invalid(
            "import numpy as np\nfrom numba import njit\n"
            '@njit("float64[:](float64[:, :])")\ndef f(a):\n    return a.max(-1)\n',
            line=5,
            column=18,
            call="f(np.ones((2, 3)))",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._limits = ArgumentLimits(ctx, REFUSED)

    def visit_Call(self, node: ast.Call) -> None:
        for hit in self._limits.find(node):
            self.report(
                hit.arg, self.message.format(version=version_text(self.ctx), **hit.describe())
            )
