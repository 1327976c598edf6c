from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.calls._values import is_loop_variable, is_runtime_str, value_type

FLAGGED = frozenset({"builtins.getattr", "builtins.hasattr"})


class GetattrDynamicName(Rule):
    """## What it does
    Flags `getattr(obj, name)` and `hasattr(obj, name)` in compiled code when `name` is
    provably not a compile-time constant: a loop variable (`for name in ("x", "y")`), an
    f-string with fields, or a string built by a method call (`prefix.lower()`).

    A string literal, or a name bound once to one, compiles (since Numba 0.57). A parameter
    is never flagged: it is a constant when a compiled caller passes a literal.

    ## Why is this bad?
    Numba resolves attributes while typing, so the name must be a literal: "No implementation
    of function Function(<built-in function getattr>) found for signature: getattr(..,
    unicode_type)". A plain loop over a tuple of literals does not keep them literal (a loop
    over `literal_unroll(...)` does, and is not flagged).

    ## Example
    ```python
    @njit
    def total(p):
        t = 0.0
        for name in ("x", "y", "z"):
            t += getattr(p, name)
        return t
    ```

    ## Use instead
    ```python
    @njit
    def total(p):
        return p.x + p.y + p.z
    ```
    """

    code = "NB208"
    name = "getattr-dynamic-name"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "Numba needs a string literal as the attribute name of `{func}()`; `{name}` is "
        "computed at run time. Spell the attribute out"
    )

    _JITCLASS = (
        "import numba\nfrom numba.experimental import jitclass\n"
        "@jitclass([('a', numba.int64), ('b', numba.int64)])\nclass P:\n"
        "    def __init__(self, a):\n        self.a = a\n        self.b = a\n"
    )
    VALID = (
        Valid(_JITCLASS + "@numba.njit\ndef f(p):\n    return getattr(p, 'a')\n", call="f(P(3))"),
        Valid(
            _JITCLASS + "@numba.njit\ndef f(p):\n    name = 'b'\n    return getattr(p, name)\n",
            call="f(P(3))",
        ),
        Valid(
            _JITCLASS + "@numba.njit\ndef get(p, name):\n    return getattr(p, name)\n"
            "@numba.njit\ndef f(p):\n    return get(p, 'a')\n",
            call="f(P(3))",
        ),
        Valid(
            _JITCLASS + "@numba.njit\ndef f(p):\n    return hasattr(p, 'c')\n",
            call="f(P(3))",
        ),
        Valid(
            _JITCLASS + "from numba import literal_unroll\n@numba.njit\ndef f(p):\n    t = 0\n"
            "    for name in literal_unroll(('a', 'b')):\n        t += getattr(p, name)\n"
            "    return t\n",
            call="f(P(3))",
        ),
    )
    INVALID = (
        Invalid(
            _JITCLASS + "@numba.njit\ndef f(p):\n    t = 0\n    for name in ('a', 'b'):\n"
            "        t += getattr(p, name)\n    return t\n",
            line=12,
            column=14,
            call="f(P(3))",
        ),
        Invalid(
            _JITCLASS + "@numba.njit\ndef f(p):\n    return getattr(p, 'A'.lower())\n",
            line=10,
            call="f(P(3))",
        ),
        Invalid(
            _JITCLASS + "@numba.njit\ndef f(p, i):\n    return hasattr(p, f'a{i}')\n",
            line=10,
            call="f(P(3), 1)",
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        found = self.ctx.semantic.builtin_names(node.func) & FLAGGED
        positional = [a for a in node.args if not isinstance(a, ast.Starred)]
        if not found or len(positional) < 2:
            return
        name = positional[1]
        module = self.ctx.module
        if is_loop_variable(module, name) or is_runtime_str(value_type(module, name)):
            func = min(found).split(".", 1)[1]
            self.report(node, self.message.format(func=func, name=module.quote(name)))
