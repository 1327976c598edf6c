from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Applicability, Severity
from numba_check.rules.base import Invalid, Replacement, Rule, Valid
from numba_check.rules.numpy_api._lists import as_tuple, tuple_text
from numba_check.semantic import types as t

ALLOCATORS = frozenset(f"numpy.{name}" for name in ("zeros", "ones", "empty", "full"))


class ShapeAsList(Rule):
    """## What it does
    Flags a list display given as the shape of `np.zeros`, `np.ones`, `np.empty` or `np.full`
    in compiled code; and a shape that is certainly an array or a list however it was built
    (`shape = np.zeros(a.ndim, dtype=np.int64)`, a list comprehension, then `np.zeros(shape)`).

    ## Why is this bad?
    Numba takes a shape as an integer or a tuple of integers. A list fails with "No
    implementation of function Function(<built-in function zeros>) found for signature:
    zeros(list(int64)...)".

    ## Example
    ```python
    @njit
    def grid(n, m):
        return np.zeros([n, m])
    ```

    ## Use instead
    ```python
    @njit
    def grid(n, m):
        return np.zeros((n, m))
    ```

    ## Fix safety
    Safe: NumPy treats a tuple shape exactly as the list.
    """

    code = "NB302"
    name = "shape-as-list"
    severity = Severity.ERROR
    message = "Numba's `{func}` takes the shape as an int or a tuple, not a list; write `{items}`"
    message_built = (
        "Numba's `{func}` takes the shape as an int or a tuple, and this is {kind}; build a "
        "tuple of ints instead (`(n - 1, m - 1)`)"
    )
    targets = CPU_TARGETS
    fix_applicability = Applicability.SAFE
    fix_message = "Give the shape as a tuple"

    VALID = (
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(data):\n"
            "    shape = data.shape\n    new_shape = (shape[0] - 1, shape[1] - 1)\n"
            "    return np.zeros(new_shape).shape\n",
            call="f(np.ones((3, 4)))",
        ),
        Valid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(n, m):\n"
            "    return np.zeros((n, m)).shape\n",
            call="f(2, 3)",
        ),
        Valid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(n):\n    return np.ones(n).sum()\n",
            call="f(3)",
        ),
    )
    INVALID = (
        # numba#7292: a shape computed into an array.
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(data):\n"
            "    new_shape = np.zeros(data.ndim, dtype=np.int64)\n"
            "    for i in range(data.ndim):\n        new_shape[i] = data.shape[i] - 1\n"
            "    return np.zeros(new_shape)\n",
            line=8,
            no_fix=True,
            call="f(np.ones((3, 4)))",
        ),
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(n):\n"
            "    dims = [n for _ in range(2)]\n    return np.ones(dims).shape\n",
            line=6,
            no_fix=True,
            call="f(3)",
        ),
        Invalid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(n, m):\n"
            "    return np.zeros([n, m]).shape\n",
            line=5,
            column=21,
            fixed="import numpy as np\nimport numba\n@numba.njit\ndef f(n, m):\n"
            "    return np.zeros((n, m)).shape\n",
            call="f(2, 3)",
        ),
        Invalid(
            "import numpy\nfrom numba import njit\n@njit(cache=False)\ndef f(n):\n"
            "    return numpy.full([n], 1.5).sum()\n",
            fixed="import numpy\nfrom numba import njit\n@njit(cache=False)\ndef f(n):\n"
            "    return numpy.full((n,), 1.5).sum()\n",
            call="f(3)",
        ),
        Invalid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(n):\n"
            "    return np.empty(shape=[n, 2]).shape\n",
            fixed="import numpy as np\nimport numba\n@numba.njit\ndef f(n):\n"
            "    return np.empty(shape=(n, 2)).shape\n",
            call="f(3)",
        ),
        Invalid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(n):\n"
            "    return np.ones([n, 2]).shape\n",
            call="f(3)",
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        names = self.ctx.qualified_names(node.func) & ALLOCATORS
        if not names:
            return
        shape = next((k.value for k in node.keywords if k.arg == "shape"), None)
        if shape is None:
            positional = [a for a in node.args if not isinstance(a, ast.Starred)]
            shape = positional[0] if positional else None
        if shape is None:
            return
        if not isinstance(shape, ast.List):
            found = self.ctx.semantic.type_of(shape)
            if isinstance(found, t.Array) or (isinstance(found, t.ListOf) and not found.typed):
                kind = "an array" if isinstance(found, t.Array) else "a list"
                self.report(
                    shape,
                    self.message_built.format(func=min(names).replace("numpy.", "np."), kind=kind),
                )
            return
        lst = shape
        module = self.ctx.module
        self.report(
            lst,
            self.message.format(
                func=min(names).replace("numpy.", "np."),
                items=tuple_text(module, lst),
            ),
            replacements=[Replacement(lst, as_tuple(module, lst))],
        )
