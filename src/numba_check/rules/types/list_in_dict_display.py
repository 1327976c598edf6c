from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid


class ListInDictDisplay(Rule):
    """## What it does
    Flags a dict display or dict comprehension in compiled code whose values are written as
    list displays: `{"a": [1, 2], "b": [3]}`, `{i: [i] for i in range(n)}`.

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
        Valid("import numba\n@numba.njit\ndef f():\n    d = {'a': 1}\n    return [d['a']]\n", call="f()"),
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
        for value in node.values:
            if isinstance(value, ast.List):
                self.report(value)
                return

    def visit_DictComp(self, node: ast.DictComp) -> None:
        if isinstance(node.value, ast.List):
            self.report(node.value)
