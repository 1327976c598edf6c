from __future__ import annotations

import ast

from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid


class ImportInCompiledFunction(Rule):
    """## What it does
    Flags `import x` and `from x import y` statements inside compiled code, including inside
    a nested function and inside a `with numba.objmode():` block.

    ## Why is this bad?
    Numba cannot import at run time: "Use of unsupported opcode (IMPORT_NAME) found". The
    bytecode of the whole function is analysed first, so an object-mode block does not help.

    ## Example
    ```python
    @njit
    def f(x):
        import math
        return math.sqrt(x)
    ```

    ## Use instead
    Import at module level; compiled code reads the module as a global:
    ```python
    import math

    @njit
    def f(x):
        return math.sqrt(x)
    ```
    """

    code = "NB120"
    name = "import-in-compiled-function"
    severity = Severity.ERROR
    # Refused while Numba analyses the bytecode, so in object mode too (forceobj, objmode).
    object_mode = True
    message = (
        "Numba cannot import inside compiled code (IMPORT_NAME); move the import to module level"
    )

    VALID = (
        Valid(
            "import math\nimport numba\n@numba.njit\ndef f(n):\n    return math.sqrt(n)\n",
            call="f(4)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    import math\n    return math.sqrt(n)\n",
            line=4,
            column=5,
            call="f(4)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(n):\n    from math import sqrt\n"
            "    return sqrt(n)\n",
            line=4,
            call="f(4)",
        ),
        Invalid(
            "from numba import njit, objmode\n@njit\ndef f(n):\n"
            "    with objmode(r='float64'):\n        import math\n        r = math.sqrt(n)\n"
            "    return r\n",
            line=5,
            call="f(4)",
        ),
    )

    def visit_Import(self, node: ast.Import) -> None:
        self.report(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.report(node)
