from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.knowledge import python_support
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.calls._values import is_str


class StrFormatMethod(Rule):
    """## What it does
    Flags `str.format` in compiled code: `"{} of {}".format(i, n)`, or `.format` on a name
    bound only to a string.

    Only strings the source proves to be strings are checked (literals, f-strings, names bound
    to them); `.format` on a parameter is left alone.

    ## Why is this bad?
    Numba has no `str.format`: compilation stops with "Unknown attribute 'format' of type
    Literal[str]" (or `unicode_type`), on every Numba version.

    ## Example
    ```python
    @njit
    def label(i):
        return "item {}".format(i)
    ```

    ## Use instead
    An f-string without format specs, or concatenation, for ints and strs:
    ```python
    @njit
    def label(i):
        return f"item {i}"      # or "item " + str(i)
    ```
    Format floats outside the compiled function: Numba's `str()` of a float is not Python's.
    """

    code = "NB203"
    name = "str-format-method"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "Numba has no `str.format`; build the string with an f-string without format spec "
        "or `+`, or format it outside the compiled function"
    )

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(i):\n    return f'item {i}'\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(i):\n    return 'item ' + str(i)\n",
            call="f(3)",
        ),
        Valid("import numba\n@numba.njit\ndef f(template, i):\n    return template.format(i)\n"),
        Valid(
            "import numba\ndef fmt(i):\n    return '{}'.format(i)\n@numba.njit\ndef f(i):\n"
            "    return i\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(i):\n    return 'item {}'.format(i)\n",
            line=4,
            column=12,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(i):\n    template = '{}-{}'\n"
            "    return template.format(i, 'a')\n",
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import numba as nb\n@nb.njit\ndef f(i):\n    return f'{i}:{{}}'.format(i)\n",
            line=4,
            call="f(3)",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        # While the target Numba's registry has no str.format (knowledge/data/python-*.json).
        self._active = python_support(ctx.numba_version).method_unsupported("str", "format")

    def active(self) -> bool:
        return self._active

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr == "format" and is_str(self.ctx.module, node.value):
            self.report(node)
