from __future__ import annotations

import ast
from collections.abc import Iterator

from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.statements._scopes import binding_targets


def _starred(target: ast.expr) -> Iterator[ast.Starred]:
    if isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            if isinstance(element, ast.Starred):
                yield element
            else:
                yield from _starred(element)


class StarUnpackingAssignment(Rule):
    """## What it does
    Flags extended unpacking with a starred target in compiled code: `a, *rest = t`,
    `first, *_, last = t`, `for head, *tail in rows:`, and the same in a comprehension.

    Plain unpacking (`a, b = t`, `a, (b, c) = t`), `*args` in a `def`, `f(*t)` and `(*t, 1)`
    are different constructs and compile.

    ## Why is this bad?
    Numba does not implement the bytecode: "Use of unsupported opcode (UNPACK_EX) found", in
    object mode too.

    ## Example
    ```python
    @njit
    def f(t):
        first, *rest = t
        return first
    ```

    ## Use instead
    Index or slice instead (a tuple slice with constant bounds stays a tuple):
    ```python
    @njit
    def f(t):
        first, rest = t[0], t[1:]
        return first
    ```
    """

    code = "NB116"
    name = "star-unpacking-assignment"
    severity = Severity.ERROR
    # Refused while Numba analyses the bytecode, so in object mode too (forceobj, objmode).
    object_mode = True
    message = "Numba cannot unpack into a starred target (UNPACK_EX); index or slice instead"

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    t = (n, n + 1, n + 2)\n    a, b, c = t\n"
            "    return a + c\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    t = (n, n + 1, n + 2)\n"
            "    a, rest = t[0], t[1:]\n    return a + rest[1]\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    t = (n, n + 1)\n    u = (*t, 5)\n"
            "    return u[2]\n",
            call="f(3)",
        ),
        Valid("import numba\n@numba.njit\ndef f(*args):\n    return len(args)\n", call="f(3, 4)"),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    t = (n, n + 1, n + 2)\n    a, *b = t\n"
            "    return a\n",
            line=5,
            column=8,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(n):\n    t = (n, n + 1, n + 2)\n"
            "    [a, *b, c] = t\n    return a + c\n",
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    s = 0\n"
            "    for a, *b in [(n, n), (n, n)]:\n        s += a\n    return s\n",
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    t = [(n, 1, 2), (n, 3, 4)]\n"
            "    return [a for a, *b in t]\n",
            line=5,
            call="f(3)",
        ),
    )

    def _check(self, node: ast.stmt) -> None:
        for target in binding_targets(node):
            for star in _starred(target):
                self.report(star)

    def visit_Assign(self, node: ast.Assign) -> None:
        self._check(node)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self._check(node)

    visit_AsyncFor = visit_For

    def visit_comprehension(self, node: ast.comprehension) -> None:
        for star in _starred(node.target):
            self.report(star)
