from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.knowledge import python_support
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid

CANDIDATES = frozenset({"builtins.any", "builtins.all"})
NAMES = frozenset(n.split(".")[1] for n in CANDIDATES)


class AnyAllBuiltin(Rule):
    """## What it does
    Flags the builtins `any` and `all` in compiled code, called (`any(x > 0 for ...)`,
    `all([a, b])`) or not (`check = all`), however they are spelled (`builtins.any`).

    NumPy's `np.any(a)`, `np.all(a)` and the array methods `a.any()` / `a.all()` are
    supported and not flagged, nor is a function of your own named `any`.

    ## Why is this bad?
    Numba has no implementation of these builtins: "Untyped global name 'any': Cannot
    determine Numba type of <class 'builtin_function_or_method'>", on every Numba version.

    ## Example
    ```python
    @njit
    def has_negative(values):
        return any([v < 0 for v in values])
    ```

    ## Use instead
    ```python
    @njit
    def has_negative(values):
        return np.any(values < 0)      # or a loop that returns early
    ```
    """

    code = "NB206"
    name = "any-all-builtin"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "Numba does not support the builtin `{name}()`; use `np.{name}(...)` on an array, "
        "`a.{name}()`, or a loop"
    )

    VALID = (
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(a):\n    return np.any(a > 1)\n",
            call="f(np.arange(3))",
        ),
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(a):\n    return (a > 0).all()\n",
            call="f(np.arange(3))",
        ),
        Valid(
            "import numba\nfrom numpy import any\n@numba.njit\ndef f(a):\n    return any(a)\n",
            call="f(np.arange(3))",
        ),
        Valid(
            "import numba\n@numba.njit\ndef all(a):\n    return a[0] > 0\n@numba.njit\ndef f(a):\n"
            "    return all(a)\n",
            call="f(np.arange(3))",
        ),
        Valid(
            "from numpy import *\nimport numba\n@numba.njit\ndef f(a):\n    return any(a)\n",
            call="f(np.arange(3))",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    return any([x > 1, x < 0])\n",
            line=4,
            column=12,
            call="f(3)",
        ),
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(a):\n    return all(a)\n",
            line=5,
            call="f(np.arange(3))",
        ),
        Invalid(
            "import builtins\nfrom numba import njit\n@njit\ndef f(x):\n"
            "    return builtins.all((x > 1, x < 0))\n",
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    check = any\n    return x\n",
            line=4,
            call="f(3)",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        # Those the target Numba's registry cannot type (knowledge/data/python-*.json).
        support = python_support(ctx.numba_version)
        self._flagged = frozenset(n for n in CANDIDATES if support.unsupported(n))

    def active(self) -> bool:
        return bool(self._flagged)

    def visit_Name(self, node: ast.Name) -> None:
        self._check(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self._check(node)

    def _check(self, node: ast.Name | ast.Attribute) -> None:
        name = node.id if isinstance(node, ast.Name) else node.attr
        if name not in NAMES and not self.ctx.module.finder.may_be_imported(node):
            return  # neither the builtin itself nor an import of it: spares resolving every name
        found = self.ctx.semantic.builtin_names(node) & self._flagged
        if found:
            name = min(found).split(".", 1)[1]
            self.report(node, self.message.format(name=name))
