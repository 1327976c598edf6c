from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid, since
from numba_check.rules.semantics._infer import TypedRule, called_builtin


class StrOfFloat(TypedRule):
    """## What it does
    Flags `str(x)`, `repr(x)` and an f-string field `f"{x}"` in compiled code where `x` is
    certainly a float or complex number: a float literal, a `float()` call, a true division
    `/`, arithmetic with a float literal, a `math` function, or a local bound only to those.

    ## Why is this bad?
    Numba turns ints and strings into text, but not floats: `str(1.5)` compiles and returns
    the placeholder `'<object type:float64>'` (also for complex numbers and arrays). Python
    returns `'1.5'`. `print(x)` does print floats correctly.

    ## Example
    ```python
    @njit
    def label(total, n):
        return "mean=" + str(total / n)
    ```

    ## Use instead
    Format outside compiled code, or print:
    ```python
    @njit
    def mean(total, n):
        return total / n

    def label(total, n):
        return f"mean={mean(total, n)}"
    ```
    """

    code = "NB506"
    name = "str-of-float"
    severity = Severity.WARNING
    message = (
        "Numba turns a float into the text '<object type:float64>', not its digits; "
        "format it outside compiled code"
    )
    targets = CPU_TARGETS
    numba_versions = since("0.57")

    VALID = (
        Valid("import numba\n@numba.njit\ndef f(x):\n    return str(x // 2)\n", call="f(3)"),
        Valid('import numba\n@numba.njit\ndef f(x):\n    return f"n={x}"\n', call="f(3)"),
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    print(x / 2)\n    return x / 2\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    y = x * 2\n    return repr(y)\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    return str(x / 2)\n",
            line=4,
            column=12,
            call="f(3)",
        ),
        Invalid(
            'from numba import njit\n@njit\ndef f(x):\n    y = x * 0.5\n    return f"v={y}"\n',
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import math\nimport numba\n@numba.njit\ndef f(x):\n    return repr(math.sqrt(x))\n",
            call="f(4)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    return 'a' + str(float(x))\n",
            call="f(4)",
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        if called_builtin(self.ctx.module, node, "str", "repr") and self.types.is_inexact(
            node.args[0]
        ):
            self.report(node)

    def visit_FormattedValue(self, node: ast.FormattedValue) -> None:
        # A conversion (`!r`), a format spec or `=` make Numba refuse the f-string instead.
        # An empty spec (`{x:}`) is none; `=` sets a conversion in `ast`, or leaves only the
        # spec, empty in `{x=:}`.
        spec = node.format_spec
        if node.conversion != -1 or (isinstance(spec, ast.JoinedStr) and spec.values):
            return
        if spec is not None and self._text_after(node.value).startswith("="):
            return
        if self.types.is_inexact(node.value):
            self.report(self.ctx.module.field_of(node))

    def _text_after(self, node: ast.expr) -> str:
        """The rest of the line after `node`, its closing parentheses and blanks skipped."""
        _, end = self.ctx.module.span(node)
        return self.ctx.module.lines[end.line - 1][end.column :].lstrip(" \t\f)")
