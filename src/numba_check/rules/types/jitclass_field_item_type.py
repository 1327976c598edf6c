from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.types._jitclass import FieldStoreRule
from numba_check.semantic import types as t

_HEAD = (
    "from numba import float64, int32, int64, types\nfrom numba.experimental import jitclass\n"
    "from numba.typed import List\n"
)


class JitclassFieldItemType(FieldStoreRule):
    """## What it does
    Flags a typed List assigned to a jitclass field declared as a typed List of another item
    type: `self.items = List([1, 2])` (a `ListType[int64]`) for a field declared
    `types.ListType(float64)`, or `List(List(...))` (which copies the inner list's items, not
    the list) for a `ListType(ListType(int32))` field.

    Only numbers, strings and typed Lists of them are compared; arrays (whose layout the source
    does not always say) are left alone.

    ## Why is this bad?
    Typed Lists do not convert between item types, even where the items would: "Cannot cast
    ListType[int64] to ListType[float64]".

    ## Example
    ```python
    @jitclass([("weights", types.ListType(float64))])
    class Model:
        def __init__(self):
            self.weights = List([1, 2])
    ```

    ## Use instead
    ```python
    @jitclass([("weights", types.ListType(float64))])
    class Model:
        def __init__(self):
            self.weights = List([1.0, 2.0])
    ```
    """

    code = "NB422"
    name = "jitclass-field-item-type"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "`self.{field}` is declared `{declared}` and this is a `{given}`; typed Lists do not "
        "convert between item types: build it with items of the declared type"
    )

    VALID = (
        Valid(
            _HEAD + "@jitclass([('items', types.ListType(float64))])\nclass C:\n"
            "    def __init__(self):\n        self.items = List([1.0, 2.0])\n"
            "def f():\n    return C().items[1]\n",
            call="f()",
        ),
        Valid(
            _HEAD + "@jitclass([('items', types.ListType(types.ListType(int64)))])\nclass C:\n"
            "    def __init__(self):\n        self.items = List([List([1])])\n"
            "def f():\n    return C().items[0][0]\n",
            call="f()",
        ),
    )
    INVALID = (
        Invalid(
            _HEAD + "@jitclass([('items', types.ListType(float64))])\nclass C:\n"
            "    def __init__(self):\n        self.items = List([1, 2])\n"
            "def f():\n    return C().items[1]\n",
            line=7,
            column=22,
            call="f()",
        ),
        Invalid(
            _HEAD + "@jitclass([('items', types.ListType(int32))])\nclass C:\n"
            "    def __init__(self):\n        self.items = List([1, 2])\n"
            "def f():\n    return C().items[1]\n",
            line=7,
            call="f()",
        ),
        Invalid(
            _HEAD + "@jitclass([('baz', types.ListType(types.ListType(int32)))])\nclass C:\n"
            "    def __init__(self):\n"
            "        self.baz = List(List([types.int32(x) for x in range(2)]))\n"
            "def f():\n    return len(C().baz)\n",
            line=7,
            call="f()",
        ),
    )

    def store(self, target: ast.Attribute, value: ast.expr | None) -> None:
        assert self.fields is not None
        field = self.fields.fields.get(target.attr)
        if value is None or field is None:
            return
        declared = field.type
        if not (isinstance(declared, t.ListOf) and declared.typed and _plain(declared)):
            return
        given = self.ctx.semantic.type_of(value)
        if not (isinstance(given, t.ListOf) and given.typed and _plain(given)):
            return
        if given == declared:
            return
        self.report(
            value,
            self.message.format(
                field=target.attr, declared=declared.describe(), given=given.describe()
            ),
        )


def _plain(found: t.Type | None) -> bool:
    """Whether `found` is known and made only of numbers, strings and typed Lists of them:
    types whose Numba spelling the source gives in full (an array's layout it may not)."""
    if isinstance(found, (t.Scalar, t.Str)):
        return True
    if isinstance(found, t.ListOf):
        return found.typed and found.item is not None and _plain(found.item)
    return False
