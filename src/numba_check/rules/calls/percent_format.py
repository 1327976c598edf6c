from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.calls._values import is_str


class PercentFormat(Rule):
    """## What it does
    Flags printf-style `%` formatting of a string in compiled code: `"%d items" % n`,
    `"%s=%s" % (k, v)`, or `%` on a name bound only to a string.

    Only strings the source proves to be strings are checked; `%` on numbers and arrays is
    the remainder and is never flagged.

    ## Why is this bad?
    Numba implements `%` for numbers only: "No implementation of function
    Function(<built-in function mod>) found for signature: mod(Literal[str](%d), int64)", on
    every Numba version.

    ## Example
    ```python
    @njit
    def label(i):
        return "item %d" % i
    ```

    ## Use instead
    ```python
    @njit
    def label(i):
        return f"item {i}"
    ```
    """

    code = "NB204"
    name = "percent-format"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "Numba does not support `%` formatting of strings; use an f-string without format "
        "spec or `+`, or format it outside the compiled function"
    )

    VALID = (
        Valid("import numba\n@numba.njit\ndef f(i):\n    return i % 3\n", call="f(7)"),
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(n):\n"
            "    return np.arange(n) % 2\n",
            call="f(4)",
        ),
        Valid("import numba\n@numba.njit\ndef f(i):\n    return f'item {i}'\n", call="f(3)"),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(i):\n    return 'item %d' % i\n",
            line=4,
            column=12,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(k, v):\n    return '%s=%s' % (k, v)\n",
            line=4,
            call="f('a', 'b')",
        ),
        Invalid(
            "import numba as nb\n@nb.jit(nopython=True)\ndef f(i):\n    fmt = '%d'\n"
            "    return fmt % i\n",
            line=5,
            call="f(3)",
        ),
    )

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if isinstance(node.op, ast.Mod) and is_str(self.ctx.module, node.left):
            self.report(node)
