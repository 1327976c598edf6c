from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.types._jitclass import FieldStoreRule
from numba_check.semantic import types as t

_HEAD = (
    "from numba import float64, int64, types\nfrom numba.experimental import jitclass\n"
    "from numba.typed import List\nimport numpy as np\n"
)


class JitclassFieldReflectedList(FieldStoreRule):
    """## What it does
    Flags a Python list (a list display, a list comprehension, `list(...)`, or a name bound to
    one) assigned to a jitclass field declared as a typed List or an array:
    `self.items = [1, 2]` with `("items", types.ListType(int64))` in the spec, or `items:
    List[int64]` annotated in the class body (which jitclass makes a `ListType`).

    Empty displays (`self.items = []`) are NB420's.

    ## Why is this bad?
    A list built in compiled code is a reflected list, another type than the typed List the
    field holds, and Numba cannot convert one into the other: "Cannot cast list(int64) to
    ListType[int64]" (or "to array(float64, 1d, A)" for an array field).

    ## Example
    ```python
    @jitclass([("items", types.ListType(int64))])
    class Bag:
        def __init__(self):
            self.items = [1, 2]
    ```

    ## Use instead
    ```python
    from numba.typed import List

    @jitclass([("items", types.ListType(int64))])
    class Bag:
        def __init__(self):
            self.items = List([1, 2])
    ```
    Or build it empty with its type, `List.empty_list(int64)`, and append. For an array field,
    make an array (`np.array([1.0, 2.0])`, `np.zeros(n)`).
    """

    code = "NB419"
    name = "jitclass-field-reflected-list"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "`self.{field}` is declared `{declared}`, and a Python list cannot be converted to it; "
        "{instead}"
    )

    VALID = (
        Valid(
            _HEAD + "@jitclass([('items', types.ListType(int64))])\nclass C:\n"
            "    def __init__(self):\n        self.items = List([1, 2])\n"
            "def f():\n    return len(C().items)\n",
            call="f()",
        ),
        Valid(
            _HEAD + "@jitclass([('items', types.ListType(int64))])\nclass C:\n"
            "    def __init__(self):\n        self.items = List.empty_list(int64)\n"
            "        self.items.append(3)\ndef f():\n    return C().items[0]\n",
            call="f()",
        ),
        Valid(
            _HEAD + "@jitclass([('items', types.List(int64, reflected=True))])\nclass C:\n"
            "    def __init__(self):\n        self.items = [1, 2]\n"
            "def f():\n    return len(C().items)\n",
            call="f()",
        ),
        Valid(
            _HEAD + "@jitclass([('a', float64[:])])\nclass C:\n    def __init__(self, n):\n"
            "        self.a = np.zeros(n)\ndef f():\n    return C(3).a.sum()\n",
            call="f()",
        ),
        Valid(
            _HEAD + "@jitclass([('d', types.DictType(int64, int64))])\nclass C:\n"
            "    def __init__(self):\n        self.d = {1: 2}\ndef f():\n    return C().d[1]\n",
            call="f()",
        ),
    )
    INVALID = (
        Invalid(
            _HEAD + "@jitclass([('items', types.ListType(int64))])\nclass C:\n"
            "    def __init__(self):\n        self.items = [1, 2]\n"
            "def f():\n    return len(C().items)\n",
            line=8,
            column=22,
            call="f()",
        ),
        Invalid(
            _HEAD + "@jitclass([('items', types.ListType(int64))])\nclass C:\n"
            "    def __init__(self, n):\n        self.items = [i * 2 for i in range(n)]\n"
            "def f():\n    return len(C(3).items)\n",
            line=8,
            call="f()",
        ),
        Invalid(
            "from numba import int64\nfrom numba.experimental import jitclass\n"
            "from numba.types import ListType\nspec = {'items': ListType(int64)}\n"
            "@jitclass(spec)\nclass C:\n    def __init__(self, n):\n"
            "        xs = list(range(n))\n        self.items = xs\n"
            "def f():\n    return len(C(3).items)\n",
            line=9,
            call="f()",
        ),
        Invalid(
            _HEAD + "@jitclass([('a', float64[:])])\nclass C:\n    def __init__(self):\n"
            "        self.a = [1.0, 2.0]\ndef f():\n    return C().a[0]\n",
            line=8,
            call="f()",
        ),
    )

    def store(self, target: ast.Attribute, value: ast.expr | None) -> None:
        assert self.fields is not None
        field = self.fields.fields.get(target.attr)
        if value is None or field is None:
            return
        declared = field.type
        if not (isinstance(declared, t.ListOf) and declared.typed) and not isinstance(
            declared, t.Array
        ):
            return
        given = self.ctx.semantic.type_of(value)
        if isinstance(value, ast.List) and value.elts and not isinstance(given, t.ListOf):
            # A display whose items the layer cannot type is still a Python list (reflected,
            # or a literal list where its items differ): neither converts.
            given = t.ListOf(t.UNKNOWN)
        if not isinstance(given, t.ListOf) or given.typed or given.item is None:
            return
        if isinstance(declared, t.Array):
            instead = "make it an array (`np.array(...)`, `np.zeros(n)`)"
        else:
            item = "T" if not t.known(declared.item) else declared.item.describe()  # type: ignore[union-attr]
            instead = (
                f"wrap it in `numba.typed.List(...)`, or start from "
                f"`numba.typed.List.empty_list({item})` and append"
            )
        self.report(
            value,
            self.message.format(
                field=target.attr,
                declared=self.ctx.semantic.module.code_for(field.written),
                instead=instead,
            ),
        )
