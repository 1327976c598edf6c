from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid


class UntypedGlobalFunction(Rule):
    """## What it does
    Flags a call from compiled code to a function or class defined in the same module that
    Numba does not compile: a plain `def` with no Numba decorator, a function compiled only
    under another name (`fast = njit(slow)`, then calling `slow`), or a plain class.

    Helpers whose definition numba-check cannot see (imported ones, or ones rebound by other
    decorators) are never flagged.

    ## Why is this bad?
    Compiled code can only call compiled code. Numba stops with "Untyped global name
    'helper': Cannot determine Numba type of <class 'function'>". Since Numba 0.59 there is
    no object-mode fall-back.

    ## Example
    ```python
    def norm(x):
        return x / x.sum()

    @njit
    def score(x):
        return norm(x).max()
    ```

    ## Use instead
    ```python
    @njit
    def norm(x):
        return x / x.sum()
    ```
    (`@numba.extending.register_jitable` keeps `norm` callable from Python too.)
    """

    code = "NB202"
    name = "untyped-global-function"
    severity = Severity.ERROR
    message = (
        "`{name}` is a plain Python {kind}, which compiled code cannot call "
        '("Untyped global name"); decorate it with `@njit` or `@register_jitable`'
    )

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef helper(x):\n    return x + 1\n@numba.njit\n"
            "def f(x):\n    return helper(x)\n",
            call="f(1)",
        ),
        Valid(
            "import numba\ndef helper(x):\n    return x + 1\nhelper = numba.njit(helper)\n"
            "@numba.njit\ndef f(x):\n    return helper(x)\n",
            call="f(1)",
        ),
        Valid(
            "import numba\nfrom numba.extending import register_jitable\n@register_jitable\n"
            "def helper(x):\n    return x + 1\n@numba.njit\ndef f(x):\n    return helper(x)\n",
            call="f(1)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    def helper(y):\n        return y + 1\n"
            "    return helper(x)\n",
            call="f(1)",
        ),
        Valid(
            "import numba\nfrom mylib import helper\n@numba.njit\ndef f(x):\n    return helper(x)\n"
        ),
        Valid(
            "import numba\nfrom numba.extending import overload\ndef helper(x):\n    return x\n"
            "@overload(helper)\ndef ol_helper(x):\n    def impl(x):\n        return x\n"
            "    return impl\n@numba.njit\ndef f(x):\n    return helper(x)\n",
            call="f(1)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x, helper):\n    return helper(x)\ndef helper(y):\n"
            "    return y\n"
        ),
    )
    INVALID = (
        Invalid(
            "import numba\ndef helper(x):\n    return x + 1\n@numba.njit\ndef f(x):\n"
            "    return helper(x)\n",
            line=6,
            column=12,
            call="f(1)",
        ),
        Invalid(
            "import numba\ndef slow(x):\n    return x + 1\nfast = numba.njit(slow)\n@numba.njit\n"
            "def f(x):\n    return slow(x)\n",
            line=7,
            call="f(1)",
        ),
        Invalid(
            "import numba\nclass A:\n    pass\n@numba.njit\ndef f(x):\n    a = A()\n    return x\n",
            line=6,
            call="f(1)",
        ),
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not m.matches(func, m.Name()):
            return
        assert isinstance(func, cst.Name)
        if not self.ctx.module.refers_to_module_level(func):
            return
        if self.ctx.module.jit_callable(func.value) is False:
            kind = self.ctx.module.binding_kind(func.value)
            self.report(node, self.message.format(name=func.value, kind=kind))
