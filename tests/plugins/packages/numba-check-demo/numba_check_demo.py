"""numba-check-demo: a numba-check plugin with one rule, one output format and one piece of
Numba knowledge. docs/plugins.md walks through it."""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence

from numba_check import Diagnostic, Severity, hookimpl
from numba_check.output.base import FormatContext, Formatter, display_name, row_col
from numba_check.plugins import Knowledge
from numba_check.rules.base import Invalid, Rule, RuleClass, Valid


class PrintInCompiledCode(Rule):
    """## What it does
    Flags `print()` calls left in compiled functions.

    ## Why is this bad?
    Printing from compiled code takes the GIL and formats every value on each call: a debug
    `print` in a hot loop costs more than the loop. Our team keeps kernels silent.

    ## Example
    ```python
    @njit
    def total(a):
        print(a.shape)
        return a.sum()
    ```

    ## Use instead
    ```python
    @njit
    def total(a):
        return a.sum()
    ```
    """

    code = "NB801"  # NB800-NB899 are the codes numba-check keeps for plugins
    name = "print-in-compiled-code"
    severity = Severity.INFO
    message = "`print()` left in a compiled function; remove it (it takes the GIL)"

    VALID = (Valid("import numba\n@numba.njit\ndef f(x):\n    return x\n"),)
    INVALID = (
        Invalid("import numba\n@numba.njit\ndef f(x):\n    print(x)\n    return x\n", line=4),
    )

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id == "print":
            self.report(node)


def render_tap(diagnostics: Sequence[Diagnostic], ctx: FormatContext) -> str:
    """The diagnostics as a TAP (Test Anything Protocol) stream, one failed test each."""
    lines = ["TAP version 13", f"1..{len(diagnostics)}"]
    for number, d in enumerate(diagnostics, start=1):
        row, column = row_col(d.location)
        where = f"{display_name(d.filename)}:{row}:{column}"
        lines.append(f"not ok {number} - {where} {d.code} {d.message}")
    return "\n".join(lines) + "\n"


@hookimpl
def numba_check_add_rules() -> Sequence[RuleClass]:
    return [PrintInCompiledCode]


@hookimpl
def numba_check_add_output_formats() -> Mapping[str, Formatter]:
    return {"tap": render_tap}


@hookimpl
def numba_check_add_knowledge() -> Knowledge:
    # With numba-scipy installed, Numba compiles calls to scipy.special.
    return Knowledge(compilable=["scipy.special.*"], label="numba-scipy")
