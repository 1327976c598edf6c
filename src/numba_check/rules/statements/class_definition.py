from __future__ import annotations

import ast

from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid


class ClassDefinition(Rule):
    """## What it does
    Flags a `class` statement inside a compiled function.

    ## Why is this bad?
    Numba cannot build classes at run time: "Use of unsupported opcode (LOAD_BUILD_CLASS)".

    ## Example
    ```python
    @njit
    def f():
        class Point:
            pass
        return 1
    ```

    ## Use instead
    Define the class at module level with `@numba.experimental.jitclass`, or use a tuple or
    a `collections.namedtuple`.
    """

    code = "NB108"
    name = "class-definition-in-compiled-function"
    severity = Severity.ERROR
    # Refused while Numba analyses the bytecode, so in object mode too (forceobj, objmode).
    object_mode = True
    message = (
        "Numba cannot define a class inside compiled code; define it at module level "
        "(with `@jitclass`) or use a namedtuple"
    )

    VALID = (
        Valid(
            "import numba\nfrom collections import namedtuple\nP = namedtuple('P', 'x y')\n"
            "@numba.njit\ndef f(n):\n    return P(n, n).x\n",
            call="f(2)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    class A:\n        pass\n    return n\n",
            line=4,
            column=11,
            call="f(2)",
        ),
    )

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        # The class's name, which `ast` keeps as a string.
        self.report(self.ctx.module.name_of(node))
