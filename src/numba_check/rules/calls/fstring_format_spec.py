from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid


class FstringFormatSpec(Rule):
    """## What it does
    Flags f-string fields with a format spec (`f"{x:04d}"`, `f"{x:.2f}"`, `f"{x:>8}"`), a
    conversion (`f"{x!r}"`) or the `=` specifier (`f"{x=}"`) in compiled code.

    Plain fields (`f"step {i} of {n}"`) compile since Numba 0.54 and are not flagged.

    ## Why is this bad?
    Numba refuses them while reading the bytecode, in nopython and object mode alike:
    "format spec in f-strings not supported yet" (on Python 3.13: "Use of unsupported opcode
    (FORMAT_WITH_SPEC)").

    ## Example
    ```python
    @njit
    def label(i):
        return f"frame_{i:04d}.png"
    ```

    ## Use instead
    Pad by hand, or format outside the compiled function:
    ```python
    @njit
    def label(i):
        digits = str(i)
        return "frame_" + "0" * (4 - len(digits)) + digits + ".png"
    ```
    """

    code = "NB205"
    name = "fstring-format-spec"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    # Refused while Numba analyses the bytecode, so in object mode (forceobj, objmode) too.
    object_mode = True
    message = (
        "Numba does not support format specs, conversions (`!r`) or `=` in f-string fields; "
        "use a plain `{{{field}}}` or format outside the compiled function"
    )

    VALID = (
        Valid("import numba\n@numba.njit\ndef f(i):\n    return f'item {i}'\n", call="f(3)"),
        Valid(
            "import numba\n@numba.njit\ndef f(s):\n    return f'<{s}>'\n",
            call="f('a')",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(i):\n    return f'{{i:04d}} {i}'\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(i):\n    return f'frame_{i:04d}'\n",
            line=4,
            column=20,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(x):\n    return f'{x:.2f}'\n",
            line=4,
            call="f(1.5)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(s):\n    return f'{s!r}'\n",
            line=4,
            call="f('a')",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(i):\n    return f'{i=}'\n",
            line=4,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.jit(forceobj=True)\ndef f(i):\n    return f'{i:>4}'\n",
            line=4,
            call="f(3)",
        ),
    )

    def visit_FormattedValue(self, node: ast.FormattedValue) -> None:
        # `ast` has no mark for `=`: `{x=}` reads as `{x=!r}`, `{x=:>4}` has its format spec.
        if node.format_spec is not None or node.conversion != -1:
            module = self.ctx.module
            self.report(module.field_of(node), self.message.format(field=module.quote(node.value)))
