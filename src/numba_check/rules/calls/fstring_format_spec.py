from __future__ import annotations

import ast
import bisect
import copy
import itertools
import sys

from numba_check.compiled import CPU_TARGETS
from numba_check.fixes import split_lines
from numba_check.model import Severity
from numba_check.module_context import ModuleContext
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
            field, text = _replacement_field(self.ctx.module, node)
            self.report(field, self.message.format(field=text))


def _replacement_field(module: ModuleContext, node: ast.FormattedValue) -> tuple[ast.AST, str]:
    """Where `node`'s replacement field is, from its `{` to its `}`, and the source of its
    expression with the parentheses around it (`{(x):>4}`), which libcst counted in.

    Before Python 3.12 `ast` gives a FormattedValue the position of its whole f-string (its
    expression has its own), so there a copy of it is placed by reading the source around the
    expression. `node` itself, and the expression alone, where the source does not read as
    expected.
    """
    expr = node.value
    text = module.code_for(expr)
    source = _Source(module.source)
    start = source.offset(expr.lineno, expr.col_offset)
    end = source.offset(expr.end_lineno, expr.end_col_offset)  # type: ignore[arg-type]
    data = source.data
    if sys.version_info >= (3, 12):
        brace = source.offset(node.lineno, node.col_offset)
    else:
        brace = start - 1  # back over whitespace and parentheses to the `{`
        while brace >= 0 and (data[brace] in _WHITESPACE or data[brace] == ord("(")):
            brace -= 1
    if brace < 0 or data[brace] != ord("{"):
        return node, text
    # The parentheses of the expression: those between the `{` and it, closed right after it.
    opening = [i for i in range(brace + 1, start) if data[i] == ord("(")]
    if all(data[i] in _WHITESPACE for i in range(brace + 1, start) if i not in opening):
        after = end
        while opening:
            while after < len(data) and data[after] in _WHITESPACE:
                after += 1
            if after == len(data) or data[after] != ord(")"):
                break
            after += 1
            text = data[opening.pop() : after].decode("utf-8")
    if sys.version_info >= (3, 12):
        return node, text
    # On to the `}` that closes the field, past a conversion and a format spec (which may
    # hold fields of its own).
    close, depth = end, 0
    while close < len(data):
        if data[close] == ord("{"):
            depth += 1
        elif data[close] == ord("}"):
            if depth == 0:
                break
            depth -= 1
        close += 1
    else:
        return node, text
    field = copy.copy(node)
    field.lineno, field.col_offset = source.position(brace)
    field.end_lineno, field.end_col_offset = source.position(close + 1)
    return field, text


_WHITESPACE = frozenset(b" \t\f\r\n")


class _Source:
    """The source as UTF-8 bytes, and between `ast` positions (1-based lines, byte columns)
    and offsets in them."""

    def __init__(self, source: str) -> None:
        lines = [line.encode("utf-8") for line in split_lines(source)]
        self.data = b"".join(lines)
        self.starts = list(itertools.accumulate((len(line) for line in lines), initial=0))

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line]
