from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid

TYPE_CLASSES = frozenset(
    f"{module}.{cls}"
    for module in ("numba", "numba.types", "numba.core.types", "numba.core.types.containers")
    for cls in ("Tuple", "UniTuple", "ListType", "DictType")
)


class NumbaTypeCalled(Rule):
    """## What it does
    Flags `types.Tuple(...)`, `types.UniTuple(...)`, `types.ListType(...)` and
    `types.DictType(...)` called inside compiled code, as in
    `List.empty_list(types.DictType(k, v))` in a jitclass method.

    ## Why is this bad?
    These build type objects, which exist only for the interpreter (signatures, jitclass
    specs, typed containers): "No type info available for <class
    'numba.core.types.containers.Tuple'> as a callable" (for `ListType` and `DictType`, "too
    many positional arguments").

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
        Valid(
            "from numba import typed, types\nfrom numba.experimental import jitclass\n"
            "item = types.DictType(types.float32, types.float32)\n"
            "@jitclass({'d': types.ListType(item)})\nclass C:\n    def __init__(self):\n"
            "        self.d = typed.List.empty_list(item)\ndef f():\n    return len(C().d)\n",
            call="f()",
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
        Invalid(
            "from numba import typed, types\nfrom numba.experimental import jitclass\n"
            "@jitclass({'d': types.ListType(types.DictType(types.float32, types.float32))})\n"
            "class C:\n    def __init__(self):\n"
            "        self.d = typed.List.empty_list(types.DictType(types.float32, types.float32))\n"
            "def f():\n    return len(C().d)\n",
            line=6,
            column=40,
            call="f()",
        ),
        Invalid(
            "import numba\nfrom numba import types\nfrom numba.typed import Dict\n@numba.njit\n"
            "def f():\n    d = Dict.empty(types.int64, types.ListType(types.int64))\n"
            "    return len(d)\n",
            line=6,
            call="f()",
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        found = self.ctx.qualified_names(node.func) & TYPE_CLASSES
        if found:
            self.report(node, self.message.format(name=f"types.{min(found).rsplit('.', 1)[1]}"))
