from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid


class PrintKeywordArgument(Rule):
    """## What it does
    Flags `print(...)` with a keyword argument in compiled code: `sep=`, `end=`, `file=` or
    `flush=`.

    ## Why is this bad?
    Numba's `print` takes positional arguments only: "Numba's print() function
    implementation does not support keyword arguments", on every Numba version, even for
    `sep=None`.

    ## Example
    ```python
    @njit
    def report(i, n):
        print(i, n, sep=",")
    ```

    ## Use instead
    ```python
    @njit
    def report(i, n):
        print(str(i) + "," + str(n))
    ```
    Output to a file or stderr belongs outside the compiled function (or in a
    `with numba.objmode():` block).
    """

    code = "NB211"
    name = "print-keyword-argument"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "Numba's `print()` accepts no keyword arguments (`{keyword}=`); print positional "
        "values only"
    )

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    print(x, 'a', 1.5)\n    return x\n",
            call="f(2)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(t):\n    print(*t)\n    return 1\n",
            call="f((1, 2))",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    with numba.objmode():\n"
            "        print(x, end='')\n    return x\n",
            call="f(2)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    print(x, x, sep=',')\n    return x\n",
            line=4,
            column=17,
            call="f(2)",
        ),
        Invalid(
            "import sys\nimport numba\n@numba.njit\ndef f(x):\n    print(x, file=sys.stderr)\n"
            "    return x\n",
            line=5,
            call="f(2)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(x):\n    print(x, end='')\n    return x\n",
            line=4,
            call="f(2)",
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        if "builtins.print" not in self.ctx.semantic.builtin_names(node.func):
            return
        for keyword in node.keywords:
            if keyword.arg is not None:  # not `**kwargs`
                self.report(keyword, self.message.format(keyword=keyword.arg))
                return
