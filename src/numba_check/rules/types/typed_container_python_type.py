from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.semantic.infer import TYPED_DICT_EMPTY, TYPED_LIST_EMPTY

# The Numba type to write for each Python type.
NUMBA_TYPES = {
    "int": "numba.int64",
    "float": "numba.float64",
    "bool": "numba.boolean",
    "complex": "numba.complex128",
    "str": "numba.types.unicode_type",
}
_HEAD = "from numba import njit, types\nfrom numba.typed import Dict, List\n@njit\ndef f():\n"


class TypedContainerPythonType(Rule):
    """## What it does
    Flags a Python type (`int`, `float`, `bool`, `complex`, `str`) given as the item, key or
    value type of a typed container made in compiled code: `List.empty_list(int)`,
    `Dict.empty(key_type=str, value_type=float)`.

    ## Why is this bad?
    `empty_list` and `Dict.empty` take Numba types; in compiled code a Python type is a
    function to Numba, and compilation stops with "'Function' object has no attribute
    'instance_type'" (from Python, "type object 'str' has no attribute 'name'").

    ## Example
    ```python
    @njit
    def count_words(words):
        counts = Dict.empty(key_type=str, value_type=int)
        ...
    ```

    ## Use instead
    ```python
    from numba import int64, types

    @njit
    def count_words(words):
        counts = Dict.empty(key_type=types.unicode_type, value_type=int64)
        ...
    ```
    """

    code = "NB424"
    name = "typed-container-python-type"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "`{written}` is a Python type, and `{method}` takes Numba types in compiled code; "
        "write `{instead}`"
    )

    VALID = (
        Valid(
            _HEAD + "    d = Dict.empty(key_type=types.unicode_type, value_type=types.int64)\n"
            "    d['a'] = 1\n    l = List.empty_list(types.float64)\n    l.append(2.0)\n"
            "    return len(d) + len(l)\n",
            call="f()",
        ),
    )
    INVALID = (
        Invalid(
            _HEAD + "    d = Dict.empty(key_type=str, value_type=types.int64)\n    d['a'] = 1\n"
            "    return len(d)\n",
            line=5,
            column=29,
            call="f()",
        ),
        Invalid(
            _HEAD + "    l = List.empty_list(int)\n    l.append(2)\n    return len(l)\n",
            line=5,
            call="f()",
        ),
        Invalid(
            _HEAD + "    d = Dict.empty(types.int64, float)\n    d[1] = 2.0\n    return len(d)\n",
            line=5,
            call="f()",
        ),
        Invalid(
            _HEAD
            + "    l = List.empty_list(item_type=bool)\n    l.append(True)\n    return len(l)\n",
            line=5,
            call="f()",
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        sem = self.ctx.semantic
        names = sem.qualified_names(node.func)
        if names & TYPED_LIST_EMPTY:
            slots = ("item_type",)
            method = "List.empty_list"
        elif names & TYPED_DICT_EMPTY:
            slots = ("key_type", "value_type")
            method = "Dict.empty"
        else:
            return
        given = dict(zip(slots, node.args, strict=False))
        given.update((k.arg, k.value) for k in node.keywords if k.arg in slots)
        for value in given.values():
            builtin = sem.builtin(value)
            if builtin in NUMBA_TYPES:
                self.report(
                    value,
                    self.message.format(
                        written=builtin, method=method, instead=NUMBA_TYPES[builtin]
                    ),
                )
