from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.knowledge import numpy_limits
from numba_check.model import Applicability, Severity
from numba_check.rules.base import FunctionContext, Invalid, Replacement, Rule, Valid
from numba_check.rules.numpy_api._lists import as_tuple, tuple_text
from numba_check.rules.numpy_api._numpy import argument_value, display, find_argument


class SequenceArgumentAsList(Rule):
    """## What it does
    Flags a list display (`[a, b]`) passed as the sequence of arrays to `np.concatenate`,
    `np.stack`, `np.vstack`, `np.hstack`, `np.dstack`, `np.column_stack` or `np.row_stack` in
    compiled code (the list lives in `numpy-limits.toml`, checked on every recorded Numba).

    ## Why is this bad?
    Numba types these functions for a tuple of arrays only. A list of arrays fails with
    "No implementation of function Function(<built-in function concatenate>) found for
    signature: concatenate(list(array(float64, 1d, C))...)".

    ## Example
    ```python
    @njit
    def join(a, b):
        return np.concatenate([a, b])
    ```

    ## Use instead
    ```python
    @njit
    def join(a, b):
        return np.concatenate((a, b))
    ```

    ## Fix safety
    Safe: NumPy accepts a tuple wherever it accepts this list, with the same result.
    """

    code = "NB301"
    name = "sequence-argument-as-list"
    severity = Severity.ERROR
    message = "Numba's `{func}` takes a tuple of arrays, not a list; write `{items}`"
    targets = CPU_TARGETS
    fix_applicability = Applicability.SAFE
    fix_message = "Pass a tuple instead of a list"

    VALID = (
        Valid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(a, b):\n"
            "    return np.concatenate((a, b))\n",
            call="f(np.arange(3.0), np.ones(2))",
        ),
        Valid(
            "import numpy as np\nimport numba\ndef f(a, b):\n    return np.concatenate([a, b])\n"
        ),
    )
    INVALID = (
        Invalid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(a, b):\n"
            "    return np.concatenate([a, b])\n",
            line=5,
            column=27,
            fixed="import numpy as np\nimport numba\n@numba.njit\ndef f(a, b):\n"
            "    return np.concatenate((a, b))\n",
            call="f(np.arange(3.0), np.ones(2))",
        ),
        Invalid(
            "from numpy import vstack\nfrom numba import njit\n@njit\ndef f(a, b):\n"
            "    return vstack([a, b])\n",
            line=5,
            fixed="from numpy import vstack\nfrom numba import njit\n@njit\ndef f(a, b):\n"
            "    return vstack((a, b))\n",
            call="f(np.arange(3.0), np.ones(3))",
        ),
        Invalid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(a):\n    return np.hstack([a])\n",
            fixed="import numpy as np\nimport numba\n@numba.njit\ndef f(a):\n"
            "    return np.hstack((a,))\n",
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(a, b):\n"
            "    return np.stack(arrays=[a, b], axis=0)\n",
            fixed="import numpy as np\nimport numba\n@numba.njit\ndef f(a, b):\n"
            "    return np.stack(arrays=(a, b), axis=0)\n",
            call="f(np.arange(3.0), np.ones(3))",
        ),
        Invalid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(a, b):\n"
            "    return np.column_stack([a, b])\n",
            call="f(np.arange(3.0), np.ones(3))",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._functions = numpy_limits(ctx.numba_version).sequence_functions

    def visit_Call(self, node: ast.Call) -> None:
        names = self.ctx.qualified_names(node.func) & set(self._functions)
        if not names:
            return
        func = min(names)
        position, keyword = self._functions[func]
        arg = find_argument(node, keyword or "", position)
        value = argument_value(arg) if arg is not None else None
        if not isinstance(value, ast.List):
            return
        module = self.ctx.module
        self.report(
            value,
            self.message.format(func=display(func), items=tuple_text(module, value)),
            replacements=[Replacement(value, as_tuple(module, value))],
        )
