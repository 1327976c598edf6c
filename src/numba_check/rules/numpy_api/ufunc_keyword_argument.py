from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.knowledge import numpy_limits
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.numpy_api._numpy import (
    display,
    has_star,
    numpy_names,
    support,
    version_text,
)


class UfuncKeywordArgument(Rule):
    """## What it does
    Flags a keyword argument other than `out=` (NB309) in a call of a NumPy ufunc in compiled
    code: `np.multiply(a, b, where=mask)`, `np.add(a, b, dtype=np.float32)`, `casting=`,
    `order=`, `subok=`...

    ## Why is this bad?
    Numba's ufunc implementations take their inputs and outputs positionally and no keyword
    at all: compilation fails with "NotImplementedError: unsupported keyword arguments when
    calling Function(<ufunc 'add'>)". A positional output works.

    ## Example
    ```python
    @njit
    def scaled(a, mask):
        return np.multiply(a, 2.0, where=mask)
    ```

    ## Use instead
    ```python
    @njit
    def scaled(a, mask):
        return np.where(mask, np.multiply(a, 2.0), a)
    ```
    For `dtype=`, convert the inputs (`a.astype(np.float32)`) or the result.
    """

    code = "NB310"
    name = "ufunc-keyword-argument"
    severity = Severity.ERROR
    message = (
        "Numba {version} does not accept keyword arguments on the ufunc `{func}` (`{keyword}=`)"
        "{instead}"
    )
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    out = np.empty_like(a)\n    np.add(a, a, out)\n    return out\n",
            call="f(np.arange(3.0))",
        ),
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.sqrt(a) + np.where(a > 1.0, np.sqrt(a), 0.0)\n",
            call="f(np.arange(3.0))",
        ),
        # Not ufuncs: NumPy functions that take keywords.
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.sum(a, axis=0) + np.clip(a, a_min=0.0, a_max=1.0)\n",
            call="f(np.arange(3.0))",
        ),
        Valid("import numpy as np\nimport numba\ndef f(a, b):\n    return np.add(a, a, out=b)\n"),
        # `out=` is NB309's.
        Valid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(a, b):\n"
            "    return np.add(a, a, out=b)\n"
        ),
    )
    INVALID = (
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.multiply(a, 2.0, where=a > 1.0)\n",
            line=5,
            column=32,
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.add(a, a, dtype=np.float32)\n",
            call="f(np.arange(3.0))",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._nin = support(ctx).ufunc_nin
        self._active = numpy_limits(ctx.numba_version).ufunc_keywords_rejected

    def visit_Call(self, node: ast.Call) -> None:
        if not self._active or has_star(node):
            return
        keywords = [k for k in node.keywords if k.arg != "out"]
        if not keywords:
            return
        ufuncs = numpy_names(self.ctx, node.func) & set(self._nin)
        if not ufuncs:
            return
        keyword = keywords[0].arg
        assert keyword is not None  # no `**kwargs` here
        instead = {
            "where": "; use np.where(mask, result, default) or a loop",
            "dtype": "; convert the inputs or the result with `.astype(...)`",
        }.get(keyword, "; leave it out")
        self.report(
            keywords[0],
            self.message.format(
                version=version_text(self.ctx),
                func=display(min(ufuncs)),
                keyword=keyword,
                instead=instead,
            ),
        )
