from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.knowledge import numpy_limits
from numba_check.model import Applicability, Severity
from numba_check.rules.base import FunctionContext, Invalid, Replacement, Rule, Valid
from numba_check.rules.numpy_api._numpy import (
    display,
    has_star,
    numpy_names,
    support,
    version_text,
)


class UfuncOutKeyword(Rule):
    """## What it does
    Flags the output array of a NumPy ufunc given by keyword in compiled code:
    `np.add(a, b, out=c)`, `np.sqrt(a, out=b)`. (Other ufunc keywords are NB310.)

    ## Why is this bad?
    Numba's ufunc implementations take their inputs and outputs positionally and no keyword
    at all: compilation fails with "NotImplementedError: unsupported keyword arguments when
    calling Function(<ufunc 'add'>)". A positional output works.

    ## Example
    ```python
    @njit
    def add_into(a, b, out):
        np.add(a, b, out=out)
    ```

    ## Use instead
    ```python
    @njit
    def add_into(a, b, out):
        np.add(a, b, out)
    ```

    ## Fix safety
    Safe: NumPy takes the output array positionally in the same place. Offered when `out=`
    is the only keyword, follows all the ufunc's inputs and is a single array.
    """

    code = "NB309"
    name = "ufunc-out-keyword"
    severity = Severity.ERROR
    message = (
        "Numba {version} does not accept `out=` as a keyword on the ufunc `{func}`; "
        "pass the output array positionally"
    )
    targets = CPU_TARGETS
    fix_applicability = Applicability.SAFE
    fix_message = "Pass the output array positionally"

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
        # Other keywords are NB310's.
        Valid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(a):\n"
            "    return np.multiply(a, 2.0, where=a > 1.0)\n"
        ),
    )
    INVALID = (
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    out = np.empty_like(a)\n    np.add(a, a, out=out)\n    return out\n",
            line=6,
            column=18,
            fixed="import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    out = np.empty_like(a)\n    np.add(a, a, out)\n    return out\n",
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "from numpy import sqrt\nimport numpy as np\nimport numba\n@numba.njit\ndef f(a, b):\n"
            "    sqrt(a, out=b)\n    return b\n",
            fixed="from numpy import sqrt\nimport numpy as np\nimport numba\n@numba.njit\ndef f(a, b):\n"
            "    sqrt(a, b)\n    return b\n",
            call="f(np.arange(3.0), np.zeros(3))",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._nin = support(ctx).ufunc_nin
        self._active = numpy_limits(ctx.numba_version).ufunc_keywords_rejected

    def visit_Call(self, node: ast.Call) -> None:
        if not self._active or has_star(node):
            return
        keywords = node.keywords
        out = next((k for k in keywords if k.arg == "out"), None)
        if out is None:
            return
        ufuncs = numpy_names(self.ctx, node.func) & set(self._nin)
        if not ufuncs:
            return
        func = min(ufuncs)
        positional = node.args
        fixable = (
            len(keywords) == 1
            and len(positional) == self._nin[func]
            and not isinstance(out.value, (ast.Tuple, ast.List))
            and not (isinstance(out.value, ast.Constant) and out.value.value is None)
        )
        replacements = []
        if fixable:
            # The value as written after `out=`, its parentheses included.
            written = self.ctx.module.code_for(out).split("=", 1)[1].lstrip()
            replacements.append(Replacement(out, written))
        self.report(
            out,
            self.message.format(version=version_text(self.ctx), func=display(func)),
            replacements=replacements,
        )
