from __future__ import annotations

import ast

from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid


class DoubleStarArgument(Rule):
    """## What it does
    Flags `**mapping` unpacking in a call inside compiled code: `f(**options)`,
    `g(x, **{"k": 1})`, `dict(**d)`.

    Keyword arguments spelled out (`f(a=1, b=2)`) and `{**a, 2: x}` in a dict display compile
    and are not flagged.

    ## Why is this bad?
    Whatever the callee, Python builds the keyword mapping with a bytecode Numba does not
    implement: "Use of unsupported opcode (DICT_MERGE) found", in object mode too.

    ## Example
    ```python
    @njit
    def f(x):
        opts = {"lo": 0.0, "hi": 1.0}
        return clip(x, **opts)
    ```

    ## Use instead
    ```python
    @njit
    def f(x):
        return clip(x, lo=0.0, hi=1.0)
    ```
    """

    code = "NB118"
    name = "double-star-argument"
    severity = Severity.ERROR
    # Refused while Numba analyses the bytecode, so in object mode too (forceobj, objmode).
    object_mode = True
    message = (
        "Numba cannot unpack `**{name}` into a call (DICT_MERGE); pass the keywords explicitly"
    )

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef g(a, b):\n    return a - b\n@numba.njit\n"
            "def f(n):\n    return g(b=1, a=n)\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    a = {1: n}\n    b = {**a, 2: n}\n"
            "    return len(b)\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef g(a, b):\n    return a - b\n@numba.njit\n"
            "def f(n):\n    d = {'a': n, 'b': 1}\n    return g(**d)\n",
            line=8,
            column=14,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef g(a, b=1):\n    return a - b\n@njit\n"
            "def f(n):\n    return g(n, **{})\n",
            line=7,
            call="f(3)",
        ),
    )

    def visit_keyword(self, node: ast.keyword) -> None:
        # In a call or a class's bases, as libcst's `Arg` was.
        if node.arg is None:
            self.report(node, self.message.format(name=self.ctx.module.quote(node.value)))
