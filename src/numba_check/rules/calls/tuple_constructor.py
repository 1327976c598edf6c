from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.calls._values import value_type
from numba_check.semantic import types as t


class TupleConstructor(Rule):
    """## What it does
    Flags `tuple(x)` in compiled code when `x` is provably not a tuple: a list, set or dict
    (a display, a comprehension, `list(...)`, `sorted(...)`), a str, a NumPy array, or an
    iterator such as `range(n)`, `zip(...)`, `enumerate(...)` and `map(...)`.

    `tuple()`, `tuple(a_tuple)` and `tuple(a.shape)` compile; `tuple(x)` of a parameter is
    never flagged.

    ## Why is this bad?
    A tuple's length is part of its Numba type, so it cannot come from a sequence whose length
    is only known at run time: "No implementation of function Function(<class 'tuple'>)
    found for signature: tuple(list(int64))".

    ## Example
    ```python
    @njit
    def corners(n):
        return tuple([0, n - 1])
    ```

    ## Use instead
    ```python
    @njit
    def corners(n):
        return (0, n - 1)
    ```
    For a run-time length keep the list or an array.
    """

    code = "NB210"
    name = "tuple-constructor"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "Numba cannot build a tuple from {kind} with `tuple()`; write a tuple display "
        "`(a, b)` or keep the list or array"
    )

    VALID = (
        Valid("import numba\n@numba.njit\ndef f(x):\n    return tuple((x, x))\n", call="f(2)"),
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(a):\n    return tuple(a.shape)\n",
            call="f(np.zeros((2, 3)))",
        ),
        Valid("import numba\n@numba.njit\ndef f(t):\n    return tuple(t)\n", call="f((1, 2))"),
        Valid("import numba\n@numba.njit\ndef f(x):\n    return list((x, x))\n", call="f(2)"),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    return tuple([x, x])\n",
            line=4,
            column=12,
            call="f(2)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    return tuple(range(n))\n",
            line=4,
            call="f(2)",
        ),
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(n):\n    a = np.zeros(n)\n"
            "    return tuple(a)\n",
            line=6,
            call="f(2)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    return tuple(sorted((n, 1)))\n",
            line=4,
            call="f(2)",
        ),
        # Read along the flow: the tuple bound after the call does not reach it.
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    x = [n, n]\n    y = tuple(x)\n"
            "    x = (1, 2)\n    return y\n",
            line=5,
            call="f(2)",
        ),
        Invalid(
            "import numba\nfrom numba.typed import List\n@numba.njit\ndef f(n):\n"
            "    x = List([n, n])\n    return tuple(x)\n",
            line=6,
            call="f(2)",
        ),
        Invalid(
            "import numba\nfrom numba import types\nfrom numba.typed import Dict\n@numba.njit\n"
            "def f(n):\n    d = Dict.empty(types.int64, types.int64)\n    d[n] = n\n"
            "    return tuple(d)\n",
            line=8,
            call="f(2)",
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        if "builtins.tuple" not in self.ctx.semantic.builtin_names(node.func):
            return
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            return
        kind = value_type(self.ctx.module, node.args[0])
        if kind is not t.UNKNOWN:
            self.report(node, self.message.format(kind=t.phrase(kind)))
