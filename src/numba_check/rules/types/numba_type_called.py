from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid

TYPE_CLASSES = frozenset(
    f"{module}.{cls}"
    for module in ("numba", "numba.types", "numba.core.types", "numba.core.types.containers")
    for cls in ("Tuple", "UniTuple")
)


class NumbaTypeCalled(Rule):
    """## What it does
    Flags `types.Tuple(...)` and `types.UniTuple(...)` called inside compiled code.

    ## Why is this bad?
    These build type objects, which exist only for the interpreter (signatures, jitclass
    specs, typed containers): "No type info available for <class
    'numba.core.types.containers.Tuple'> as a callable".

    ## Example
    ```python
    @njit
    def pair():
        kind = types.UniTuple(types.int64, 2)
        return (1, 2)
    ```

    ## Use instead
    ```python
    PAIR = types.UniTuple(types.int64, 2)  # at module level, for a signature or a spec

    @njit
    def pair():
        return (1, 2)
    ```
    """

    code = "NB413"
    name = "numba-type-called"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "`{name}(...)` builds a type object, which compiled code cannot do; build it at module "
        "level (for a signature, spec or typed container) and write the tuple itself here"
    )

    VALID = (
        Valid(
            "import numba\nfrom numba import types\n@numba.njit\ndef f(x):\n    return types.int64(x)\n",
            call="f(2.5)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\nfrom numba import types\n@numba.njit\ndef f():\n"
            "    t = types.Tuple((types.int64, types.int64))\n    return 1\n",
            line=5,
            column=9,
            call="f()",
        ),
        Invalid(
            "import numba\nfrom numba import types\n@numba.njit\ndef f():\n"
            "    t = types.UniTuple(types.int64, 2)\n    return 1\n",
            line=5,
            call="f()",
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        found = self.ctx.qualified_names(node.func) & TYPE_CLASSES
        if found:
            self.report(node, self.message.format(name=f"types.{min(found).rsplit('.', 1)[1]}"))
