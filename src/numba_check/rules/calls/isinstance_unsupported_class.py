from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.knowledge import python_support
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid

# Classes Numba cannot test against, checked by compiling `isinstance(x, C)` on 0.57-0.68.
# NumPy's abstract scalar classes (np.integer, np.floating...) are left out: whether they fail
# depends on the NumPy version (NumPy >= 2.3 refuses to turn them into a dtype; older NumPy
# lets them compile with answers that differ from Python's).
UNSUPPORTED = frozenset(
    {
        "numpy.ndarray",
        "numpy.generic",
        "numbers.Number",
        "numbers.Complex",
        "numbers.Real",
        "numbers.Rational",
        "numbers.Integral",
    }
)
# Of the builtins, those the target Numba's registry cannot type (`object`, `frozenset`): the
# class in `isinstance` is an untyped global (knowledge/data/python-*.json).


class IsinstanceUnsupportedClass(Rule):
    """## What it does
    Flags `isinstance(x, C)` in compiled code where `C` (or an element of a tuple of classes)
    is one Numba cannot test: `np.ndarray`, `np.generic`, an abstract class from `numbers`,
    or a builtin class the target Numba's registry cannot type (`object`, `frozenset`,
    `bytearray`).

    `isinstance` with `int`, `float`, `complex`, `bool`, `str`, `tuple`, `list`, `dict` and
    concrete NumPy scalar types works (since Numba 0.55, experimental until 0.58).

    ## Why is this bad?
    Compilation stops: "Use of unsupported NumPy function 'numpy.ndarray' or unsupported use
    of the function" for `np.ndarray`, "Untyped global name 'object'", "Unknown attribute
    'Number' of type Module(<module 'numbers'>)".

    ## Example
    ```python
    @njit
    def total(x):
        if isinstance(x, np.ndarray):
            return x.sum()
        return x
    ```

    ## Use instead
    Types are fixed at compile time: dispatch with `numba.extending.overload`, or write one
    compiled function per type.
    ```python
    @njit
    def total_array(x):
        return x.sum()
    ```
    """

    code = "NB207"
    name = "isinstance-unsupported-class"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "Numba cannot compile `isinstance` against `{name}`; types are fixed at compile time, "
        "so split the function or use `numba.extending.overload`"
    )

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    return isinstance(x, (int, float))\n",
            call="f(3.0)",
        ),
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(x):\n"
            "    return isinstance(x, np.complex128)\n",
            call="f(3.0)",
        ),
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(x):\n"
            "    return isinstance(x, str)\n",
            call="f('a')",
        ),
        Valid(
            "import numpy as np\nimport numba\ndef g(x):\n    return isinstance(x, np.ndarray)\n"
            "@numba.njit\ndef f(x):\n    return x\n",
            call="f(1)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(x):\n"
            "    return isinstance(x, np.ndarray)\n",
            line=5,
            column=26,
            call="f(np.arange(3))",
        ),
        Invalid(
            "from numba import njit\nfrom numpy import ndarray\n@njit\ndef f(x):\n"
            "    return isinstance(x, (int, ndarray))\n",
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    return isinstance(x, object)\n",
            line=4,
            call="f(3)",
        ),
        Invalid(
            "import numbers\nimport numba\n@numba.njit\ndef f(x):\n"
            "    return isinstance(x, numbers.Number)\n",
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    return isinstance(x, (int, frozenset))\n",
            line=4,
            column=32,
            call="f(3)",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._python = python_support(ctx.numba_version)

    def visit_Call(self, node: ast.Call) -> None:
        if "builtins.isinstance" not in self.ctx.semantic.builtin_names(node.func):
            return
        positional = [a for a in node.args if not isinstance(a, ast.Starred)]
        if len(positional) != 2:
            return
        classes = positional[1]
        items = classes.elts if isinstance(classes, ast.Tuple) else [classes]
        # `(*more,)`: the starred expression itself, as libcst's StarredElement.value was.
        items = [e.value if isinstance(e, ast.Starred) else e for e in items]
        for item in items:
            names = self.ctx.qualified_names(item) & UNSUPPORTED
            names |= {
                n for n in self.ctx.semantic.builtin_names(item) if self._python.unsupported(n)
            }
            if names:
                name = min(names).removeprefix("builtins.")
                self.report(item, self.message.format(name=name))
