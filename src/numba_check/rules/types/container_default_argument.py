from __future__ import annotations

import ast

from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid

# Builtins that build an empty container when called with nothing.
EMPTY_BUILTINS = {"list": "list", "dict": "dict", "set": "set"}
DISPLAYS = {
    ast.List: "list",
    ast.ListComp: "list",
    ast.Dict: "dict",
    ast.DictComp: "dict",
    ast.Set: "set",
    ast.SetComp: "set",
}
FIXES = {
    "list": "a tuple (`(1.0, 2.0)`), or None and build the list in the body",
    "dict": "None, and build a `numba.typed.Dict` in the body or pass one in",
    "set": "a tuple, or None and build the set in the body",
}


class ContainerDefaultArgument(Rule):
    """## What it does
    Flags a parameter of a function Numba compiles whose default value is a Python list, dict
    or set: a display (`w=[1.0, 2.0]`, `opts={}`, `{1, 2}`), a comprehension, or `list()`,
    `dict()`, `set()`.

    A tuple, a number, a str, None or a NumPy array is a fine default.

    ## Why is this bad?
    A call that leaves the parameter out hands Numba the default object itself, which it must
    turn into a native value like a global: a list or set of values is refused when lowered
    ("NumbaNotImplementedError"), an empty list has no type ("cannot compute fingerprint of
    empty list") and a dict none at all ("Cannot determine Numba type of <class 'dict'>").

    ## Example
    ```python
    @njit
    def weighted(x, weights=[1.0, 2.0]):
        return x * weights[0]
    ```

    ## Use instead
    ```python
    @njit
    def weighted(x, weights=(1.0, 2.0)):
        return x * weights[0]
    ```
    """

    code = "NB426"
    name = "container-default-argument"
    severity = Severity.ERROR
    message = (
        "The default of `{name}` is a Python {kind}, which Numba cannot take in when a call "
        "leaves `{name}` out; use {fix}"
    )
    targets = frozenset({Target.CPU, Target.PARALLEL})

    VALID = (
        Valid(
            "from numba import njit\n@njit\ndef f(x, w=(1.0, 2.0), s='a', k=None, n=3):\n"
            "    return x * w[0] + n\n",
            call="f(3.0)",
        ),
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(x, w=np.ones(2)):\n"
            "    return x * w[0]\n",
            call="f(3.0)",
        ),
        Valid("def f(x, w=[1.0, 2.0]):\n    return x * w[0]\n", call="f(3.0)"),
        # A nested function's defaults are its own business (it is inlined, not dispatched).
        Valid(
            "from numba import njit\n@njit\ndef f(x):\n    def g(y):\n        return y + 1\n"
            "    return g(x)\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "from numba import njit\n@njit\ndef weighted(x, weights=[1.0, 2.0]):\n"
            "    return x * weights[0]\n",
            line=3,
            column=25,
            call="weighted(3.0)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(x, opts={}):\n    return x\n", line=3, call="f(1)"
        ),
        Invalid(
            "import numba\n@numba.jit(nopython=True)\ndef f(x, *, seen=set()):\n    return x\n",
            line=3,
            call="f(1)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(x, idx=[i for i in range(3)]):\n"
            "    return x + len(idx)\n",
            line=3,
            call="f(1)",
        ),
    )

    def finish(self) -> None:
        function = self.ctx.function
        assert function is not None
        args = function.node.args
        positional = [*args.posonlyargs, *args.args]
        pairs = list(
            zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
        )
        pairs += [
            (a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None
        ]
        for arg, default in pairs:
            kind = self._container(default)
            if kind is not None:
                self.report(default, self.message.format(name=arg.arg, kind=kind, fix=FIXES[kind]))

    def _container(self, value: ast.expr) -> str | None:
        for display, kind in DISPLAYS.items():
            if isinstance(value, display):
                return kind
        if isinstance(value, ast.Call) and not value.args and not value.keywords:
            return EMPTY_BUILTINS.get(self.ctx.semantic.builtin(value.func) or "")
        return None
