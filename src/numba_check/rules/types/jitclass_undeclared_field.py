from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.types._jitclass import FieldStoreRule

_HEAD = "from numba import float64, int64\nfrom numba.experimental import jitclass\n"


class JitclassUndeclaredField(FieldStoreRule):
    """## What it does
    Flags `self.name = ...` (or `self.name += ...`) in a method of a jitclass whose spec and
    class-body annotations declare every field, when `name` is none of them and the class
    defines no method or property of that name.

    The rule stays silent when the spec is built at run time (appended to, a dict filled
    item by item, passed through other code): then the fields are not known from the source.

    ## Why is this bad?
    A jitclass instance has exactly the fields its spec and annotations declare; Numba does
    not add one on assignment as Python does: "Cannot resolve setattr:
    (instance.jitclass.Acc#...<count:int64>).total = float64".

    ## Example
    ```python
    @jitclass([("count", int64)])
    class Acc:
        def __init__(self):
            self.count = 0
            self.total = 0.0
    ```

    ## Use instead
    ```python
    @jitclass([("count", int64), ("total", float64)])
    class Acc:
        def __init__(self):
            self.count = 0
            self.total = 0.0
    ```
    Or annotate it in the class body: `total: float64`.
    """

    code = "NB421"
    name = "jitclass-undeclared-field"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "`{field}` is not a field of the jitclass `{cls}` (it declares {declared}), and a "
        'jitclass gets no attributes on assignment; add `("{field}", <type>)` to its spec or '
        "annotate `{field}: <type>` in the class body"
    )

    VALID = (
        Valid(
            _HEAD + "@jitclass([('count', int64), ('total', float64)])\nclass C:\n"
            "    def __init__(self):\n        self.count = 0\n        self.total = 0.5\n"
            "def f():\n    return C().total\n",
            call="f()",
        ),
        Valid(
            _HEAD + "@jitclass([('x', int64)])\nclass C:\n    def __init__(self):\n"
            "        self.x = 1\n    @property\n    def y(self):\n        return self.x\n"
            "    @y.setter\n    def y(self, v):\n        self.x = v\n    def set(self):\n"
            "        self.y = 3\ndef f():\n    c = C()\n    c.set()\n    return c.x\n",
            call="f()",
        ),
        Valid(
            _HEAD + "spec = [('count', int64)]\nspec.append(('total', float64))\n"
            "@jitclass(spec)\nclass C:\n    def __init__(self):\n        self.count = 0\n"
            "        self.total = 0.5\ndef f():\n    return C().total\n",
            call="f()",
        ),
    )
    INVALID = (
        Invalid(
            _HEAD + "@jitclass([('count', int64)])\nclass C:\n    def __init__(self, count):\n"
            "        self.count = count\n        self.total = 0.0\n"
            "def f():\n    return C(1).count\n",
            line=7,
            column=9,
            call="f()",
        ),
        Invalid(
            _HEAD + "spec = {'x': int64}\n@jitclass(spec)\nclass C:\n    def __init__(self):\n"
            "        self.x = 1\n        self.y = 0\n    def bump(self):\n        self.y += 1\n"
            "def f():\n    c = C()\n    c.bump()\n    return c.x\n",
            line=8,
            count=2,
            call="f()",
        ),
        Invalid(
            _HEAD + "class C:\n    def __init__(self):\n        self.x = 1.0\n        self.n = 2\n"
            "Fast = jitclass(C, [('x', float64)])\ndef f():\n    return Fast().x\n",
            line=6,
            call="f()",
        ),
    )

    def store(self, target: ast.Attribute, value: ast.expr | None) -> None:
        fields = self.fields
        assert fields is not None
        name = target.attr
        if not fields.complete or name in fields.fields or name in fields.members:
            return
        self.report(
            target,
            self.message.format(field=name, cls=fields.node.name, declared=fields.describe()),
        )
