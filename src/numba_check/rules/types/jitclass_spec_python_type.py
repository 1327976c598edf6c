from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, ModuleRule, Valid
from numba_check.semantic.bindings import How
from numba_check.semantic.infer import SCALAR_NAMES
from numba_check.semantic.model import JITCLASS

PYTHON_TYPES = {
    "builtins.int": "numba.int64",
    "builtins.float": "numba.float64",
    "builtins.bool": "numba.boolean",
    "builtins.complex": "numba.complex128",
}


class JitclassSpecPythonType(ModuleRule):
    """## What it does
    Flags a `@jitclass` spec that gives a field a Python or NumPy type where Numba needs one of
    its own: `[("x", int)]`, `{"x": float}`, `[("x", np.float64)]`, in the decorator or in the
    module-level list it names.

    ## Why is this bad?
    `jitclass` refuses the spec when the class is decorated: "spec values should be Numba type
    instances, got <class 'int'>".

    ## Example
    ```python
    @jitclass([("count", int), ("total", float)])
    class Counter:
        ...
    ```

    ## Use instead
    ```python
    from numba import float64, int64

    @jitclass([("count", int64), ("total", float64)])
    class Counter:
        ...
    ```
    Or annotate the fields in the class body (`count: int`), which jitclass does translate.
    """

    code = "NB414"
    name = "jitclass-spec-python-type"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = "a jitclass spec takes Numba types, and `{written}` is {what}; write `{instead}`"

    VALID = (
        Valid(
            "import numba\nfrom numba.experimental import jitclass\n"
            "@jitclass([('x', numba.int64)])\nclass C:\n    def __init__(self, x):\n"
            "        self.x = x\ndef f():\n    return C(3).x\n",
            call="f()",
        ),
        Valid(
            "from numba.experimental import jitclass\n@jitclass\nclass C:\n    x: int\n"
            "    def __init__(self, x):\n        self.x = x\ndef f():\n    return C(3).x\n",
            call="f()",
        ),
    )
    INVALID = (
        Invalid(
            "from numba.experimental import jitclass\n@jitclass([('x', int)])\nclass C:\n"
            "    def __init__(self, x):\n        self.x = x\ndef f():\n    return C(3).x\n",
            line=2,
            column=18,
            call="f()",
        ),
        Invalid(
            "import numba\nfrom numba.experimental import jitclass\n"
            "spec = [('x', int), ('y', numba.float64)]\n@jitclass(spec)\nclass C:\n"
            "    def __init__(self, x):\n        self.x = x\n        self.y = 1.0\n"
            "def f():\n    return C(3).x\n",
            line=3,
            column=15,
            call="f()",
        ),
        Invalid(
            "import numpy as np\nfrom numba.experimental import jitclass\n"
            "@jitclass({'x': np.float64})\nclass C:\n    def __init__(self, x):\n"
            "        self.x = x\ndef f():\n    return C(3.0).x\n",
            line=3,
            call="f()",
        ),
    )

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        sem = self.ctx.semantic
        for deco in node.decorator_list:
            if not isinstance(deco, ast.Call) or not sem.qualified_names(deco.func) & JITCLASS:
                continue
            spec = deco.args[0] if deco.args else None
            for keyword in deco.keywords:
                if keyword.arg == "spec":
                    spec = keyword.value
            if isinstance(spec, ast.Name):
                spec = self._module_value(spec)
            for value in _spec_types(spec):
                self._check(value)

    def _module_value(self, name: ast.Name) -> ast.expr | None:
        sem = self.ctx.semantic
        bindings = sem.names.bindings(name)
        if len(bindings) != 1 or bindings[0].scope.kind != "module":
            return None
        typed = sem.typed(bindings[0])
        if typed is None or typed.how is not How.ASSIGN:
            return None
        return typed.value

    def _check(self, value: ast.expr) -> None:
        sem = self.ctx.semantic
        for qualified in sem.builtin_names(value):
            if qualified in PYTHON_TYPES:
                written = qualified.removeprefix("builtins.")
                self.report(
                    value,
                    self.message.format(
                        written=written, what="a Python type", instead=PYTHON_TYPES[qualified]
                    ),
                )
                return
        for qualified in sem.qualified_names(value):
            if qualified.startswith("numpy.") and qualified[6:] in SCALAR_NAMES:
                scalar = SCALAR_NAMES[qualified[6:]]
                self.report(
                    value,
                    self.message.format(
                        written=sem.module.code_for(value),
                        what="a NumPy scalar type",
                        instead=f"numba.{scalar}",
                    ),
                )
                return


def _spec_types(spec: ast.expr | None) -> list[ast.expr]:
    """The type expressions of a spec written as a display: `[("x", T), ...]` or `{"x": T}`."""
    if isinstance(spec, (ast.List, ast.Tuple)):
        return [
            e.elts[1]
            for e in spec.elts
            if isinstance(e, (ast.Tuple, ast.List)) and len(e.elts) == 2
        ]
    if isinstance(spec, ast.Dict):
        return [v for k, v in zip(spec.keys, spec.values, strict=True) if k is not None]
    return []
