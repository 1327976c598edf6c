from __future__ import annotations

import ast

from numba_check import matching as m
from numba_check.model import Severity
from numba_check.module_context import ModuleContext
from numba_check.rules.base import Invalid, Rule, Valid


class UntypedGlobalFunction(Rule):
    """## What it does
    Flags a call from compiled code to a function or class defined in the same module that
    Numba does not compile: a plain `def` with no Numba decorator, a function compiled only
    under another name (`fast = njit(slow)`, then calling `slow`), or a plain class.

    Helpers whose definition numba-check cannot see (imported ones, or ones rebound by other
    decorators) are never flagged, nor are helpers that plain Python code passes to a call
    (`register(helper)`): that call may give them a Numba implementation with `@overload`.

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
            # numba/np/random/generator_core.py: a helper that calls @overload on its argument.
            "import numba\nfrom numba.extending import overload\ndef register(func):\n"
            "    @overload(func)\n    def ol(x):\n        def impl(x):\n            return x + 1\n"
            "        return impl\ndef helper(x):\n    return x + 1\nregister(helper)\n"
            "@numba.njit\ndef f(x):\n    return helper(x)\n",
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
            # Handed to a call only inside compiled code: nothing registers it.
            "import numba\ndef helper(x):\n    return x + 1\n@numba.njit\ndef apply(g, x):\n"
            "    return x\n@numba.njit\ndef f(x):\n    apply(helper, x)\n    return helper(x)\n",
            line=10,
            column=12,
            call="f(1)",
        ),
        Invalid(
            "import numba\nclass A:\n    pass\n@numba.njit\ndef f(x):\n    a = A()\n    return x\n",
            line=6,
            call="f(1)",
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not m.matches(func, m.Name()):
            return
        assert isinstance(func, ast.Name)
        if not self.ctx.module.refers_to_module_level(func):
            return
        module = self.ctx.module
        if module.jit_callable(func.id) is False and not _handed_to_python(module, func.id):
            kind = module.binding_kind(func.id)
            self.report(node, self.message.format(name=func.id, kind=kind))


def _handed_to_python(module: ModuleContext, name: str) -> bool:
    """Whether code outside compiled functions passes the module-level `name` to a call that is
    not a Numba compiler: numba's own `_generate_next_binding(next_uint32, ...)` overloads its
    argument, and any such call may. Rare enough to look for only when about to report."""
    finder = _HandedToPython(module, name)
    m.visit(module.module, finder)
    return finder.found


class _HandedToPython(m.Visitor):
    """Whether a call outside compiled code hands `name` to something other than a compiler."""

    def __init__(self, module: ModuleContext, name: str) -> None:
        self.module = module
        self.name = name
        self.found = False

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        # Compiled code cannot register anything; it is where the call being checked is.
        return id(node) not in self.module.compiled_nodes

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> bool:
        finder = self.module.finder
        func = node.func
        compiling = finder.entry_kind(func) or (
            isinstance(func, ast.Call) and finder.entry_kind(func.func)
        )
        if not compiling:
            # Every argument: positional, keyword, `*x` and `**x`.
            values = [a.value if isinstance(a, ast.Starred) else a for a in node.args]
            values += [k.value for k in node.keywords]
            for value in values:
                if (
                    isinstance(value, ast.Name)
                    and value.id == self.name
                    and self.module.refers_to_module_level(value)
                ):
                    self.found = True
        return not self.found
