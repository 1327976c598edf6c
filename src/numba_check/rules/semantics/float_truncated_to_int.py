from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.semantics._infer import PRANGE
from numba_check.semantic import types as t


class FloatTruncatedToInt(Rule):
    """## What it does
    Flags a float given where Python takes only an integer and Numba converts it: an argument
    of `range()` (or `prange()`), or a bound or step of a slice (`a[: n / 2]`). The float is
    the result of true division `/`, or a value known to be a float.

    ## Why is this bad?
    Python refuses the float ("'float' object cannot be interpreted as an integer", "slice
    indices must be integers"), and Numba converts it to an integer without a word, toward
    zero: `range(5 / 2)` runs twice, `a[-5 / 2:]` is `a[-2:]`. Code that runs compiled then
    fails as plain Python (with `NUMBA_DISABLE_JIT=1`, in a test of the Python original), and
    the truncation may not be the rounding meant. Numba tracks it as a bug (numba#4988,
    numba#9909).

    ## Example
    ```python
    @njit
    def first_half(a):
        s = 0.0
        for i in range(len(a) / 2):
            s += a[i]
        return s + a[: len(a) / 2].sum()
    ```

    ## Use instead
    ```python
    @njit
    def first_half(a):
        s = 0.0
        for i in range(len(a) // 2):
            s += a[i]
        return s + a[: len(a) // 2].sum()
    ```
    """

    code = "NB513"
    name = "float-truncated-to-int"
    severity = Severity.WARNING
    targets = CPU_TARGETS
    message = (
        "`{expr}` is a float: as {what}, Numba truncates it toward zero where Python raises "
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
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(a):\n"
            "    return a[: len(a) // 2].sum() + a[int(len(a) / 2)]\n",
            call="f(np.arange(5.0))",
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
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(a):\n    return a[-len(a) / 2 :]\n",
            line=5,
            column=14,
            call="f(np.arange(5.0))",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    s = 'abcde'\n    return s[:: n / 2]\n",
            call="f(5)",
        ),
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(a):\n"
            "    a[: a.shape[0] / 2, 0] = 0.0\n    return a\n",
            line=5,
            call="f(np.ones((5, 2)))",
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        if "builtins.range" in self.ctx.semantic.builtin_names(node.func):
            what = "an argument of `range()`"
        elif self.ctx.qualified_names(node.func) & PRANGE:
            what = "an argument of `prange()`"
        else:
            return
        for arg in node.args:
            if not isinstance(arg, ast.Starred):
                self._check(arg, what)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        index = node.slice
        parts = index.elts if isinstance(index, ast.Tuple) else [index]
        slices = [p for p in parts if isinstance(p, ast.Slice)]
        if not slices or isinstance(self.ctx.semantic.type_of(node.value), (t.Instance, t.Opaque)):
            return  # a class of the user's may take what it likes in `__getitem__`
        for part in slices:
            for bound in (part.lower, part.upper, part.step):
                if bound is not None:
                    self._check(bound, "a slice bound")

    def _check(self, value: ast.expr, what: str) -> None:
        if not self._is_float(value):
            return
        expr = ast.unparse(value)
        if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Div):
            floor = ast.unparse(ast.BinOp(value.left, ast.FloorDiv(), value.right))
            advice = f"write `{floor}` (rounds down) or `int({expr})` (toward zero)"
        else:
            advice = f"give an int: `int({expr})`, or compute it with `//`"
        self.report(value, self.message.format(expr=expr, what=what, advice=advice))

    def _is_float(self, value: ast.expr) -> bool:
        semantic = self.ctx.semantic
        found = t.unliteral(semantic.type_of(value))
        if isinstance(found, t.Scalar):
            return found.kind == "float"
        if not (isinstance(value, ast.BinOp) and isinstance(value.op, ast.Div)):
            return False
        # `/` gives a float for every number Numba types (an array or complex fails there);
        # only a class that defines `__truediv__` (a jitclass, an extension's type)
        # may give an int: silent where an operand may be an instance of one.
        return not semantic.extends_numba and not any(
            isinstance(semantic.type_of(side), (t.Instance, t.Opaque))
            for side in (value.left, value.right)
        )
