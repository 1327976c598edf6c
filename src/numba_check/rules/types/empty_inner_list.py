from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.semantic import types as t


class EmptyInnerList(Rule):
    """## What it does
    Flags a list display in compiled code whose items are lists Numba cannot give one element
    type: an empty inner list (`[[]]`, `[[1, 2], []]`, `[[] for _ in range(n)]`), or inner
    lists of numbers of different kinds (`[[1, 2], [1.5]]`: a list of ints beside a list of
    floats).

    ## Why is this bad?
    Numba types a list by its elements when it builds it. An empty inner list has none
    ("Cannot infer the type of variable 'x', have imprecise type:
    list(list(undefined))"), even if something is appended to it later; inner lists of
    int64 and float64 do not unify, and the compiler fails on them.

    ## Example
    ```python
    @njit
    def buckets(n):
        out = [[] for _ in range(n)]
        out[0].append(1.0)
        return out
    ```

    ## Use instead
    ```python
    from numba import types
    from numba.typed import List

    @njit
    def buckets(n):
        out = List()
        for _ in range(n):
            out.append(List.empty_list(types.float64))
        out[0].append(1.0)
        return out
    ```
    For inner lists of numbers, write every number the same way (`[[1.0, 2.0], [1.5]]`).
    """

    code = "NB407"
    name = "empty-inner-list"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "Numba cannot type an empty inner list; build the outer list as a `numba.typed.List` "
        "of `List.empty_list(<item type>)`, or give each inner list its first item"
    )
    mixed_message = (
        "Numba cannot put a list of {first} and a list of {second} in one list; write every "
        "number of the inner lists as a {top} (`1.0`, not `1`)"
    )

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f():\n    x = [[1]]\n    x[0].append(1)\n    return len(x[0])\n",
            call="f()",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f():\n    x = [[1, 2.5], [1.5]]\n    return len(x)\n",
            call="f()",
        ),
        Valid(
            "import numba\nfrom numba import types\nfrom numba.typed import List\n@numba.njit\n"
            "def f(n):\n    out = List()\n    for _ in range(n):\n"
            "        out.append(List.empty_list(types.float64))\n    out[0].append(1.0)\n"
            "    return len(out)\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f():\n    x = [[]]\n    x[0].append(1)\n    return len(x)\n",
            line=4,
            column=10,
            call="f()",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    x = [[] for _ in range(n)]\n    return len(x)\n",
            line=4,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f():\n    x = [[1, 2], []]\n    return len(x)\n",
            line=4,
            column=18,
            call="f()",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f():\n    x = [[1, 2], [1.5]]\n    return len(x)\n",
            line=4,
            call="f()",
        ),
    )

    def visit_List(self, node: ast.List) -> None:
        inner = [e for e in node.elts if isinstance(e, ast.List)]
        if not inner:
            return
        for elt in inner:
            if not elt.elts:
                self.report(elt)
                return
        if len(inner) != len(node.elts):
            return
        kinds = [self.ctx.semantic.inference.items(e.elts) for e in inner]
        scalars = [k for k in kinds if isinstance(k, t.Scalar)]
        if len(scalars) != len(kinds) or len({k.kind for k in scalars}) < 2:
            return
        if not all(k in (t.INT64, t.FLOAT64, t.COMPLEX128) for k in scalars):
            return
        first = scalars[0]
        second = next(k for k in scalars if k != first)
        top = t.unify(first, second)
        self.report(
            node,
            self.mixed_message.format(
                first=first.describe(), second=second.describe(), top=top.describe()
            ),
        )

    def visit_ListComp(self, node: ast.ListComp) -> None:
        if isinstance(node.elt, ast.List) and not node.elt.elts:
            self.report(node.elt)
