from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.statements._scopes import always_bound_to, names_bound_to

# Builtins and NumPy constructors whose result is a list, set, range or array, never a tuple.
BUILTINS = frozenset({"list", "sorted", "range", "set"})
NUMPY_ARRAYS = frozenset(
    {"numpy.arange", "numpy.array", "numpy.zeros", "numpy.ones", "numpy.empty"}
)


class StarArgumentNotTuple(Rule):
    """## What it does
    Flags `f(*x)` in compiled code when `x` is certainly not a tuple: a list display or
    comprehension, a set display, `list(...)`, `sorted(...)`, `range(...)`, a NumPy array
    constructor, or a local variable only ever assigned one of those.

    `f(*t)` with a tuple compiles; a star argument whose type numba-check cannot see (an
    argument of the compiled function) is not flagged.

    ## Why is this bad?
    Numba can only unpack a tuple into call arguments, whose count it must know when it
    compiles; unpacking a list, set, range or array fails with a `TypingError` while
    resolving the call.

    ## Example
    ```python
    @njit
    def f(a):
        shape = [a.shape[0], 2]
        return np.zeros(*shape)
    ```

    ## Use instead
    ```python
    @njit
    def f(a):
        shape = (a.shape[0], 2)
        return np.zeros(shape)
    ```
    """

    code = "NB119"
    name = "star-argument-not-tuple"
    severity = Severity.ERROR
    message = "Numba can only unpack a tuple into call arguments; make `{name}` a tuple"
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef g(a, b):\n    return a - b\n@numba.njit\n"
            "def f(n):\n    t = (n, 1)\n    return g(*t)\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef g(a, b, c):\n    return a - b + c\n@numba.njit\n"
            "def f(n):\n    return g(*(n,), *(1, 4))\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef g(a, b):\n    return a - b\n@numba.njit\n"
            "def f(n):\n    if n > 1:\n        t = (n, 1)\n    else:\n        t = (1, n)\n"
            "    return g(*t)\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef g(a, b):\n    return a - b\n@numba.njit\n"
            "def f(n):\n    t = [n, 1]\n    return g(*t)\n",
            line=8,
            column=14,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef g(a, b):\n    return a - b\n@njit\n"
            "def f(n):\n    return g(*range(2))\n",
            line=7,
            call="f(3)",
        ),
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(n):\n"
            "    return np.zeros(*[n]).size\n",
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef g(a, b):\n    return a - b\n@numba.njit\n"
            "def f(n):\n    t = [i for i in range(2)]\n    return g(*t)\n",
            line=8,
            call="f(3)",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._not_tuples: set[int] | None = None

    def _not_tuple(self, value: ast.expr) -> bool:
        if isinstance(value, (ast.List, ast.ListComp, ast.Set, ast.SetComp)):
            return True
        if isinstance(value, ast.Call):
            func = value.func
            if isinstance(func, ast.Name) and func.id in BUILTINS:
                return self.ctx.semantic.builtin(func) == func.id
            return bool(self.ctx.qualified_names(func) & NUMPY_ARRAYS)
        return False

    # `*x` in a call's arguments or a class's bases, as libcst's `Arg` was (not in a display).
    def visit_Call(self, node: ast.Call) -> None:
        for argument in node.args:
            if isinstance(argument, ast.Starred):
                self._check(argument)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for base in node.bases:
            if isinstance(base, ast.Starred):
                self._check(base)

    def _check(self, node: ast.Starred) -> None:
        value = node.value
        if isinstance(value, ast.Name):
            if self._not_tuples is None:
                assert self.ctx.function is not None
                self._not_tuples = names_bound_to(self.ctx, self._not_tuple)
            if not always_bound_to(self.ctx.module, value, self._not_tuples):
                return
        elif not self._not_tuple(value):
            return
        self.report(node, self.message.format(name=self.ctx.module.quote(value)))
