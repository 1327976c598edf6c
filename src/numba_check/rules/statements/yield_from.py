from __future__ import annotations

import ast

from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid


class YieldFrom(Rule):
    """## What it does
    Flags `yield from` in compiled generators.

    ## Why is this bad?
    Numba compiles generators with plain `yield` but not delegation: "Use of unsupported
    opcode (GET_YIELD_FROM_ITER)".

    ## Example
    ```python
    @njit
    def gen(n):
        yield from range(n)
    ```

    ## Use instead
    ```python
    @njit
    def gen(n):
        for i in range(n):
            yield i
    ```
    """

    code = "NB107"
    name = "yield-from"
    severity = Severity.ERROR
    # Refused while Numba analyses the bytecode, so in object mode too (forceobj, objmode).
    object_mode = True
    message = "Numba does not support `yield from`; loop and `yield` each item instead"

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    for i in range(n):\n        yield i\n",
            call="list(f(3))",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    yield from range(n)\n",
            line=4,
            column=5,
            call="list(f(3))",
        ),
    )

    def visit_YieldFrom(self, node: ast.YieldFrom) -> None:
        self.report(node)
