from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.semantic import types as t

PRANGE = frozenset({"numba.prange", "numba.parfors.parfor.prange"})


class RangeFloatArgument(Rule):
    """## What it does
    Flags `range()` (or `prange()`) given a float in compiled code: the result of true
    division `/`, or a value known to be a float.

    ## Why is this bad?
    Python refuses a float there ("'float' object cannot be interpreted as an integer"), and
    Numba converts it to an integer without a word, toward zero: `range(5 / 2)` runs twice,
    `range(-5 / 2, 0)` from -2. Code that runs compiled then fails as plain Python (with
    `NUMBA_DISABLE_JIT=1`, in a test of the Python original), and the truncation may not be the
    rounding meant. Numba tracks it as a bug (numba#4988, numba#9909).

    ## Example
    ```python
    @njit
    def first_half(a):
        s = 0.0
        for i in range(len(a) / 2):
            s += a[i]
        return s
    ```

    ## Use instead
    ```python
    @njit
    def first_half(a):
        s = 0.0
        for i in range(len(a) // 2):
            s += a[i]
        return s
    ```
    """

    code = "NB513"
    name = "range-float-argument"
    severity = Severity.WARNING
    targets = CPU_TARGETS
    message = (
        "`{expr}` is a float: Numba's `{func}()` truncates it toward zero where Python raises "
        "TypeError; {advice}"
    )

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    s = 0\n    for i in range(n // 2):\n"
            "        s += i\n    return s\n",
            call="f(5)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    s = 0\n    for i in range(int(n / 2), n):\n"
            "        s += i\n    return s\n",
            call="f(5)",
        ),
        # Nothing says what `n` is: an int, most likely.
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    s = 0\n    for i in range(n):\n"
            "        s += i\n    return s\n",
            call="f(5)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    s = 0\n    for i in range(n / 2):\n"
            "        s += i\n    return s\n",
            line=5,
            column=20,
            call="f(5)",
        ),
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(a):\n    half = len(a) / 2\n"
            "    s = 0.0\n    for i in range(1, half):\n        s += a[i]\n    return s\n",
            line=7,
            column=23,
            call="f(np.arange(7.0))",
        ),
        Invalid(
            "from numba import njit, prange\n@njit\ndef f(n):\n    s = 0\n"
            "    for i in prange(-n / 2, 0):\n        s += i\n    return s\n",
            line=5,
            call="f(5)",
        ),
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(a):\n    return len(range(a.size / 2))\n",
            call="f(np.ones(5))",
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        if "builtins.range" in self.ctx.semantic.builtin_names(node.func):
            func = "range"
        elif self.ctx.qualified_names(node.func) & PRANGE:
            func = "prange"
        else:
            return
        for arg in node.args:
            if isinstance(arg, ast.Starred) or not self._is_float(arg):
                continue
            expr = ast.unparse(arg)
            if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Div):
                floor = ast.unparse(ast.BinOp(arg.left, ast.FloorDiv(), arg.right))
                advice = f"write `{floor}` (rounds down) or `int({expr})` (toward zero)"
            else:
                advice = f"give an int: `int({expr})`, or compute it with `//`"
            self.report(arg, self.message.format(expr=expr, func=func, advice=advice))

    def _is_float(self, value: ast.expr) -> bool:
        semantic = self.ctx.semantic
        found = t.unliteral(semantic.type_of(value))
        if isinstance(found, t.Scalar):
            return found.kind == "float"
        if not (isinstance(value, ast.BinOp) and isinstance(value.op, ast.Div)):
            return False
        # `/` gives a float for every number Numba types (an array or complex fails in
        # `range`); only a class that defines `__truediv__` (a jitclass, an extension's type)
        # may give an int: silent where an operand may be an instance of one.
        return not semantic.extends_numba and not any(
            isinstance(semantic.type_of(side), (t.Instance, t.Opaque))
            for side in (value.left, value.right)
        )
