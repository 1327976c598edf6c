from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.types._jitclass import FieldStoreRule
from numba_check.semantic import types as t
from numba_check.semantic.infer import TYPED_DICT, TYPED_LIST

_HEAD = (
    "from numba import float64, int64, types\nfrom numba.experimental import jitclass\n"
    "from numba.typed import Dict, List\n"
)
# Empty containers written without an element type: `[]`, `{}` and these called bare.
_BUILTINS = frozenset({"list", "dict", "set"})


class JitclassFieldEmptyContainer(FieldStoreRule):
    """## What it does
    Flags an empty container without an element type assigned straight to a field of a
    jitclass: `self.items = []`, `self.table = {}`, `list()`, `dict()`, `set()`, or an untyped
    `numba.typed.List()` / `numba.typed.Dict()`, whatever the field's declared type.

    ## Why is this bad?
    Numba types the value before it stores it, and an empty container has no element type;
    the field's declared type does not give it one, and neither do the appends that follow.
    Compilation stops with "Cannot infer the type of variable ..., have imprecise type:
    list(undefined)" (`ListType[undefined]`, `DictType[undefined,undefined]`, `set(undefined)`).

    ## Example
    ```python
    @jitclass([("items", types.ListType(int64))])
    class Bag:
        def __init__(self):
            self.items = List()
            self.items.append(1)
    ```

    ## Use instead
    ```python
    @jitclass([("items", types.ListType(int64))])
    class Bag:
        def __init__(self):
            self.items = List.empty_list(int64)
            self.items.append(1)
    ```
    `Dict.empty(key_type, value_type)` for a typed Dict field. Filling a local first and then
    assigning it (`items = List(); items.append(1); self.items = items`) compiles too.
    """

    code = "NB420"
    name = "jitclass-field-empty-container"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "an empty `{written}` assigned straight to the jitclass field `self.{field}` has no "
        "element type for Numba to infer, whatever is added later; write {instead}"
    )

    VALID = (
        Valid(
            _HEAD + "@jitclass([('items', types.ListType(int64))])\nclass C:\n"
            "    def __init__(self):\n        self.items = List.empty_list(int64)\n"
            "        self.items.append(1)\ndef f():\n    return C().items[0]\n",
            call="f()",
        ),
        Valid(
            _HEAD + "@jitclass([('items', types.ListType(int64))])\nclass C:\n"
            "    def __init__(self):\n        items = List()\n        items.append(1)\n"
            "        self.items = items\ndef f():\n    return C().items[0]\n",
            call="f()",
        ),
        Valid(
            _HEAD + "@jitclass([('d', types.DictType(int64, float64))])\nclass C:\n"
            "    def __init__(self):\n        self.d = Dict.empty(int64, float64)\n"
            "        self.d[1] = 2.0\ndef f():\n    return C().d[1]\n",
            call="f()",
        ),
        Valid(
            _HEAD + "@jitclass([('items', types.List(int64, reflected=True))])\nclass C:\n"
            "    def __init__(self):\n        self.items = [0]\n        self.items.pop()\n"
            "def f():\n    return len(C().items)\n",
            call="f()",
        ),
    )
    INVALID = (
        Invalid(
            _HEAD + "@jitclass([('items', types.ListType(int64))])\nclass C:\n"
            "    def __init__(self):\n        self.items = List()\n        self.items.append(1)\n"
            "def f():\n    return C().items[0]\n",
            line=7,
            column=22,
            call="f()",
        ),
        Invalid(
            _HEAD + "@jitclass([('items', types.List(int64, reflected=True))])\nclass C:\n"
            "    def __init__(self):\n        self.items = []\n        self.items.append(1)\n"
            "def f():\n    return len(C().items)\n",
            line=7,
            call="f()",
        ),
        Invalid(
            _HEAD + "@jitclass([('d', types.DictType(int64, float64))])\nclass C:\n"
            "    def __init__(self):\n        self.d = {}\n        self.d[1] = 2.0\n"
            "def f():\n    return C().d[1]\n",
            line=7,
            call="f()",
        ),
        Invalid(
            _HEAD + "@jitclass({'d': types.DictType(int64, int64)})\nclass C:\n"
            "    def __init__(self):\n        self.d = dict()\n        self.d[1] = 2\n"
            "def f():\n    return C().d[1]\n",
            line=7,
            call="f()",
        ),
        Invalid(
            _HEAD + "@jitclass([('n', int64), ('seen', types.Set(int64, reflected=True))])\n"
            "class C:\n    def __init__(self, n):\n        self.n = n\n"
            "    def reset(self):\n        self.seen = set()\n        self.seen.add(self.n)\n"
            "def f():\n    c = C(2)\n    c.reset()\n    return len(c.seen)\n",
            line=9,
            call="f()",
        ),
    )

    def store(self, target: ast.Attribute, value: ast.expr | None) -> None:
        assert self.fields is not None
        if value is None:
            return
        written = self._empty(value)
        if written is None:
            return
        field = self.fields.fields.get(target.attr)
        declared = field.type if field is not None else t.UNKNOWN
        self.report(
            value,
            self.message.format(
                written=written,
                field=target.attr,
                instead=_instead(declared),
            ),
        )

    def _empty(self, value: ast.expr) -> str | None:
        sem = self.ctx.semantic
        if isinstance(value, ast.List) and not value.elts:
            return "[]"
        if isinstance(value, ast.Dict) and not value.keys:
            return "{}"
        if not isinstance(value, ast.Call) or value.args or value.keywords:
            return None
        builtin = sem.builtin(value.func)
        if builtin in _BUILTINS:
            return f"{builtin}()"
        names = sem.qualified_names(value.func)
        if names & TYPED_LIST:
            return "numba.typed.List()"
        if names & TYPED_DICT:
            return "numba.typed.Dict()"
        return None


def _instead(declared: t.Type) -> str:
    """The constructor with the element types the field declares, where the source says them."""
    if isinstance(declared, t.ListOf) and declared.typed and t.known(declared.item):
        return f"`numba.typed.List.empty_list({declared.item.describe()})`"  # type: ignore[union-attr]
    if isinstance(declared, t.DictOf) and declared.typed and t.known(declared):
        key, value = declared.key.describe(), declared.value.describe()  # type: ignore[union-attr]
        return f"`numba.typed.Dict.empty({key}, {value})`"
    return (
        "`numba.typed.List.empty_list(T)` or `numba.typed.Dict.empty(K, V)` with the element "
        "types, or fill a local container first and assign that"
    )
