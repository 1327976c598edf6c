from __future__ import annotations

import ast

from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.statements._scopes import deleted


class DelAttribute(Rule):
    """## What it does
    Flags `del obj.attr` in nopython-compiled code.

    ## Why is this bad?
    Nopython mode has no attribute deletion: deleting a `jitclass` field fails with
    "Unsupported constraint encountered: del (obj).attr".

    ## Example
    ```python
    @njit
    def reset(state):
        del state.cache
    ```

    ## Use instead
    Give the field a neutral value instead:
    ```python
    @njit
    def reset(state):
        state.cache = 0
    ```
    """

    code = "NB114"
    name = "del-attribute"
    severity = Severity.ERROR
    message = "Numba cannot delete the attribute `{name}`; assign it a neutral value instead"

    VALID = (
        Valid(
            "import numba\nfrom numba.experimental import jitclass\n"
            "@jitclass([('x', numba.int64)])\nclass C:\n    def __init__(self):\n"
            "        self.x = 1\n@numba.njit\ndef f(c):\n    c.x = 0\n    return c.x\n",
            call="f(C())",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\nfrom numba.experimental import jitclass\n"
            "@jitclass([('x', numba.int64)])\nclass C:\n    def __init__(self):\n"
            "        self.x = 1\n@numba.njit\ndef f(c):\n    del c.x\n    return 1\n",
            line=9,
            column=9,
            call="f(C())",
        ),
    )

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in deleted(self.ctx.module, node):
            if isinstance(target, ast.Attribute):
                self.report(target, self.message.format(name=target.attr))
