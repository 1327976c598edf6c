from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, ModuleRule, Valid
from numba_check.semantic.infer import TYPED_DICT, TYPED_LIST

_INSTEAD = {"List": "types.ListType({args})", "Dict": "types.DictType({args})"}


class TypedContainerClassAsType(ModuleRule):
    """## What it does
    Flags `numba.typed.List[T]` or `numba.typed.Dict[K, V]` written as the type of a jitclass
    field: an annotation in the class body (`items: List[int64]` with `List` imported from
    `numba.typed`) or a value of the spec.

    ## Why is this bad?
    `numba.typed.List` and `numba.typed.Dict` are the container classes, and subscripting
    them gives a Python generic alias, not a Numba type: jitclass refuses the class, "Cannot
    infer Numba type of Python type numba.typed.typedlist.List[int64]" (for a spec value,
    "spec values should be Numba type instances").

    ## Example
    ```python
    from numba.typed import List

    @jitclass
    class Bag:
        items: List[int64]
        ...
    ```

    ## Use instead
    ```python
    from numba import types

    @jitclass
    class Bag:
        items: types.ListType(int64)
        ...
    ```
    `typing.List[int64]` (or `list[int64]`) as an annotation gives the same typed List.
    """

    code = "NB423"
    name = "typed-container-class-as-type"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "`{written}` subscripts the container class `numba.typed.{kind}`, which is no Numba "
        "type; declare the field as `{instead}`"
    )

    VALID = (
        Valid(
            "from numba import int64, types\nfrom numba.experimental import jitclass\n"
            "from numba.typed import List\n@jitclass([('items', types.ListType(int64))])\n"
            "class C:\n    def __init__(self):\n        self.items = List.empty_list(int64)\n"
            "def f():\n    return len(C().items)\n",
            call="f()",
        ),
    )
    INVALID = (
        Invalid(
            "from numba import int64\nfrom numba.experimental import jitclass\n"
            "from numba.typed import List\n@jitclass([('items', List[int64])])\n"
            "class C:\n    def __init__(self):\n        self.items = List.empty_list(int64)\n"
            "def f():\n    return len(C().items)\n",
            line=4,
            column=22,
            call="f()",
        ),
        Invalid(
            "import numba as nb\nfrom numba.experimental import jitclass\n"
            "from numba.typed import Dict\nspec = {'data': Dict[nb.int64, nb.float64]}\n"
            "@jitclass(spec)\nclass C:\n    def __init__(self):\n"
            "        self.data = Dict.empty(nb.int64, nb.float64)\n"
            "def f():\n    return len(C().data)\n",
            line=4,
            call="f()",
        ),
    )

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        fields = self.ctx.semantic.jitclass_decorated(node)
        if fields is None:
            return
        sem = self.ctx.semantic
        for field in fields.fields.values():
            written = field.written
            if not isinstance(written, ast.Subscript):
                continue
            names = sem.qualified_names(written.value)
            kind = "List" if names & TYPED_LIST else "Dict" if names & TYPED_DICT else None
            if kind is None:
                continue
            args = sem.module.code_for(written.slice)
            if isinstance(written.slice, ast.Tuple):
                args = ", ".join(sem.module.code_for(e) for e in written.slice.elts)
            self.report(
                written,
                self.message.format(
                    written=sem.module.code_for(written),
                    kind=kind,
                    instead=_INSTEAD[kind].format(args=args),
                ),
            )
