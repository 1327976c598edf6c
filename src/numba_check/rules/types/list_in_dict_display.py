from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.semantic import types as t


class ListInDictDisplay(Rule):
    """## What it does
    Flags a dict display or dict comprehension in compiled code whose values are written as
    list displays of one element type: `{"a": [1, 2], "b": [3]}`, `{i: [i] for i in range(n)}`.

    A display whose values have different types (`{"a": [1, "x"], "b": 2}`) is a literal
    str-key dict, which may hold lists, and is left alone.

    ## Why is this bad?
    Numba refuses a reflected list as the value of a dict it builds from a display:
    "list(int64)<iv=None> as value is forbidden".

    ## Example
    ```python
    @njit
    def groups():
        d = {"a": [1, 2], "b": [3]}
        return len(d["a"])
    ```

    ## Use instead
    ```python
    @njit
    def groups():
        d = {"a": np.array([1, 2]), "b": np.array([3])}
        return len(d["a"])
    ```
    Use arrays or tuples as the values, or a `numba.typed.Dict` of `numba.typed.List`s.
    """

    code = "NB406"
    name = "list-in-dict-display"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "Numba refuses a list display as a value of a dict it builds; use an array "
        "(`np.array([...])`), a tuple, or a typed Dict of typed Lists"
    )

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f():\n    d = {'a': (1, 2), 'b': (3, 4)}\n"
            "    return d['a'][0]\n",
            call="f()",
        ),
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f():\n"
            "    d = {'a': np.array([1, 2]), 'b': np.array([3])}\n    return d['a'].size\n",
            call="f()",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f():\n    d = {'a': 1}\n    return [d['a']]\n",
            call="f()",
        ),
        # A literal str-key dict (its values do not unify), as in Numba's own tests.
        Valid(
            "import numba\n@numba.njit\ndef f():\n    z = {'A': [1, 'B'], 'C': 2}\n"
            "    return z['C']\n",
            call="f()",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f():\n    d = {'a': [1, 2], 'b': [3]}\n"
            "    return len(d['a'])\n",
            line=4,
            column=15,
            call="f()",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f():\n    d = {i: [i] for i in range(3)}\n"
            "    return len(d)\n",
            line=4,
            call="f()",
        ),
    )

    def visit_Dict(self, node: ast.Dict) -> None:
        # Only a dict Numba types as one DictType: values of one type. Values that do not
        # unify make a literal str-key dict, whose values may be lists.
        if not node.values or not all(isinstance(v, ast.List) for v in node.values):
            return
        if any(k is None for k in node.keys):
            return
        inference = self.ctx.semantic.inference
        value = inference.items(node.values)
        if (
            isinstance(value, t.ListOf)
            and value.item is not None
            and t.known(value.item)
            and t.known(inference.items(node.keys))  # type: ignore[arg-type]
        ):
            self.report(node.values[0])

    def visit_DictComp(self, node: ast.DictComp) -> None:
        if isinstance(node.value, ast.List):
            self.report(node.value)
