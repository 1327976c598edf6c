from __future__ import annotations

import ast

from numba_check import matching as m
from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.types._literals import own_bindings, references
from numba_check.semantic import types as t

# The list methods that put items into a list, and which of their arguments is the item.
ADDING = {"append": 0, "insert": 1}


class ListItemTypesCannotUnify(Rule):
    """## What it does
    Flags an `append` or `insert` (or an `extend` with a list display) in compiled code that
    puts into a local list an item whose type Numba cannot unify with the items already in it:
    a str into a list of numbers (`xs = [1, 2]; xs.append("a")`), a number or an array into a
    list of strs, an array into a list of numbers, an array of another dtype or number of
    dimensions into a list of arrays. The list is a display, an empty list or a list
    comprehension bound once to a local name; the items' types must be certain.

    Numbers of different kinds are fine (the list's items become the wider kind: `[1, 2]`
    then `append(2.5)` gives `[1.0, 2.0, 2.5]`), and so is None (the items become optional).

    ## Why is this bad?
    A Numba list (a reflected list) has one item type, the unification of everything put into
    it. A str and an int have none, so Numba refuses the call: "Invalid use of
    BoundFunction(list.append for list(int64)) with parameters (unicode_type)".

    ## Example
    ```python
    @njit
    def labels(n):
        out = [0]
        for i in range(n):
            out.append("item")
        return out
    ```

    ## Use instead
    ```python
    @njit
    def labels(n):
        out = ["start"]
        for i in range(n):
            out.append("item")
        return out
    ```
    """

    code = "NB425"
    name = "list-item-types-cannot-unify"
    severity = Severity.ERROR
    message = (
        "`{name}` holds {held} items (line {line}), and this puts a `{item}` into it; a list "
        "has one item type and Numba cannot unify these. Keep the {item} values in a list of "
        "their own, or convert them before adding them"
    )
    targets = CPU_TARGETS

    _F = "import numba\nimport numpy as np\n@numba.njit\ndef f(n):\n"
    VALID = (
        Valid(_F + "    xs = [1, 2]\n    xs.append(2.5)\n    xs.append(True)\n    return len(xs)\n",
              call="f(1)"),
        Valid(_F + "    xs = []\n    xs.append(1)\n    xs.append(None)\n    return len(xs)\n",
              call="f(1)"),
        Valid(_F + "    xs = ['a']\n    for i in range(n):\n        xs.append('b')\n    return xs\n",
              call="f(2)"),
        Valid(_F + "    xs = [np.zeros(2)]\n    xs.append(np.ones(5))\n    return len(xs)\n",
              call="f(1)"),
        # Rebound: which list gets the item is not a matter of one binding.
        Valid(_F + "    xs = [1]\n    first = len(xs)\n    xs = ['a']\n    xs.append('b')\n"
              "    return first + len(xs)\n", call="f(2)"),
        # Another list of the same name in a nested function is another list.
        Valid(_F + "    xs = [1]\n    def g():\n        xs = ['a']\n        xs.append('b')\n"
              "        return len(xs)\n    return g() + len(xs)\n", call="f(1)"),
        # An item of unknown type says nothing.
        Valid(_F + "    xs = [1.0]\n    xs.append(n)\n    return len(xs)\n", call="f(2)"),
        Valid(_F + "    xs = [i for i in range(n)]\n    xs.extend([4, 5])\n    return xs\n",
              call="f(2)"),
    )  # fmt: skip
    INVALID = (
        Invalid(
            _F + "    x = [1, 2]\n    for i in range(n):\n        x.append('a')\n    return x\n",
            line=7,
            column=9,
            call="f(2)",
        ),
        Invalid(
            _F + "    x = []\n    x.append(1.5)\n    x.append('a')\n    return x\n",
            line=7,
            call="f(2)",
        ),
        Invalid(
            _F + "    names = ['a', 'b']\n    names.insert(0, 3)\n    return names\n",
            line=6,
            call="f(2)",
        ),
        Invalid(
            _F + "    x = [1.0]\n    x.append(np.zeros(3))\n    return len(x)\n",
            line=6,
            call="f(2)",
        ),
        Invalid(
            _F + "    xs = [np.zeros(2)]\n    xs.append(np.zeros((2, 2)))\n    return len(xs)\n",
            line=6,
            call="f(2)",
        ),
        Invalid(
            _F + "    xs = [str(i) for i in range(n)]\n    xs.extend([1, 2])\n    return xs\n",
            line=6,
            call="f(2)",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._lists: list[tuple[ast.Name, ast.expr]] = []

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
            return
        value = node.value
        if isinstance(value, (ast.List, ast.ListComp)) or (
            isinstance(value, ast.Call)
            and not value.args
            and not value.keywords
            and self.ctx.semantic.builtin(value.func) == "list"
        ):
            self._lists.append((node.targets[0], value))

    def finish(self) -> None:
        if not self._lists:
            return
        function = self.ctx.function
        assert function is not None
        parent = m.parents(function.node)
        for target, value in self._lists:
            bindings = own_bindings(self.ctx.module, target, function.node)
            if bindings is None or len(bindings) != 1 or bindings[0].node is not target:
                continue  # rebound, or shared with another scope
            held = self._initial(value)
            if held is t.UNKNOWN:
                continue
            for access in references(self.ctx.module, bindings[0], function.node):
                for call, item in self._added(access, parent):
                    kind = t.unliteral(self.ctx.semantic.type_of(item))
                    if not _certain(kind):
                        continue
                    if held is None:
                        held = kind
                        continue
                    joined = t.unify(held, kind)
                    if joined is t.REFUSED:
                        self.report(
                            call,
                            self.message.format(
                                name=target.id,
                                held=t.short_name(held),
                                line=target.lineno,
                                item=t.short_name(kind),
                            ),
                        )
                        return
                    held = joined if _certain(joined) else t.UNKNOWN
                    if held is t.UNKNOWN:
                        break

    def _initial(self, value: ast.expr) -> t.Type | None:
        """The item type of the new list: None for an empty one, UNKNOWN where uncertain."""
        if isinstance(value, ast.Call) or (isinstance(value, ast.List) and not value.elts):
            return None
        found = self.ctx.semantic.type_of(value)
        if isinstance(found, t.ListOf) and not found.typed and found.item is not None:
            item = t.unliteral(found.item)
            return item if _certain(item) else t.UNKNOWN
        return t.UNKNOWN

    def _added(
        self, access: ast.Name, parent: dict[ast.AST, ast.AST]
    ) -> list[tuple[ast.Call, ast.expr]]:
        """The items `access.append(x)`, `.insert(i, x)` or `.extend([...])` puts in."""
        up = parent.get(access)
        if not isinstance(up, ast.Attribute) or up.value is not access:
            return []
        call = parent.get(up)
        if not isinstance(call, ast.Call) or call.func is not up or call.keywords:
            return []
        if any(isinstance(a, ast.Starred) for a in call.args):
            return []
        if up.attr in ADDING and len(call.args) == ADDING[up.attr] + 1:
            return [(call, call.args[ADDING[up.attr]])]
        if up.attr == "extend" and len(call.args) == 1 and isinstance(call.args[0], ast.List):
            return [(call, e) for e in call.args[0].elts]
        return []


def _certain(kind: t.Type) -> bool:
    """Types whose unification the lattice answers for list items: numbers, str, None,
    arrays with known dtype and dimensions, tuples of those."""
    kind = t.unliteral(kind)
    if isinstance(kind, (t.Scalar, t.Str, t.NoneType)):
        return not (isinstance(kind, t.Scalar) and kind.kind == "other")
    if isinstance(kind, t.Optional):
        return _certain(kind.type)
    if isinstance(kind, t.Array):
        return t.known(kind)
    if isinstance(kind, t.Tuple):
        return kind.name is None and all(_certain(i) for i in kind.items)
    return False
