from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.entry_points import EntryKind
from numba_check.model import Severity
from numba_check.rules.base import Invalid, ModuleRule, Valid
from numba_check.semantic import types as t
from numba_check.semantic.bindings import How


class FloatArgumentTruncated(ModuleRule):
    """## What it does
    Flags a call, from Python, of a function compiled with one explicit signature, that passes a
    float where the signature declares an integer parameter: `f(2.5)` for `@njit("int64(int64)")`.

    ## Why is this bad?
    The dispatcher converts the argument to the declared type without a word, so `f(2.5)` runs
    as `f(2)`: the result differs from Python's.

    ## Example
    ```python
    @njit("int64(int64)")
    def double(x):
        return 2 * x

    double(2.5)  # 4, where Python gives 5.0
    ```

    ## Use instead
    ```python
    @njit(["int64(int64)", "float64(float64)"])
    def double(x):
        return 2 * x
    ```
    Declare the float signature too (or none, and let Numba compile one per argument type), or
    convert the argument yourself where truncation is meant: `double(int(x))`.
    """

    code = "NB418"
    name = "float-argument-truncated"
    severity = Severity.WARNING
    targets = CPU_TARGETS
    message = (
        "`{function}` is compiled only for {declared} here, so this float is truncated to an "
        "integer; declare a float signature too, or pass `int(...)` where truncation is meant"
    )

    VALID = (
        Valid(
            "import numba\n@numba.njit('int64(int64)')\ndef f(a):\n    return a * 2\n"
            "def g():\n    return f(2)\n",
            call="g()",
        ),
        Valid(
            "import numba\n@numba.njit(['int64(int64)', 'float64(float64)'])\ndef f(a):\n"
            "    return a * 2\ndef g():\n    return f(2.5)\n",
            call="g()",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit('int64(int64)')\ndef f(a):\n    return a * 2\n"
            "def g():\n    return f(2.5)\n",
            line=6,
            column=14,
            call="g()",
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        if not isinstance(node.func, ast.Name) or not node.args:
            return
        sem = self.ctx.semantic
        if id(_enclosing_function(self, node)) in self.ctx.module.compiled_nodes:
            return  # a call between compiled functions is typed by Numba: not this rule's case
        bindings = sem.names.bindings(node.func)
        if len(bindings) != 1:
            return
        typed = sem.typed(bindings[0])
        if typed is None or typed.how is not How.DEF:
            return
        compiled = sem.compiled_for(typed.node)
        if compiled is None or compiled.entry not in (EntryKind.JIT, EntryKind.NJIT):
            return
        signatures = sem.signatures(compiled)
        if not signatures or len(signatures) != 1:
            return
        params = signatures[0].params
        for arg, declared in zip(node.args, params, strict=False):
            if isinstance(arg, ast.Starred):
                return
            if not (isinstance(declared, t.Scalar) and declared.kind in ("int", "uint")):
                continue
            if isinstance(arg, ast.Constant) and type(arg.value) is float:
                self.report(
                    arg,
                    self.message.format(function=node.func.id, declared=declared.describe()),
                )
                return


def _enclosing_function(rule: ModuleRule, node: ast.AST) -> ast.AST | None:
    scope = rule.ctx.semantic.names.scope_of(node)
    while scope is not None and scope.kind not in ("function", "module"):
        scope = scope.parent
    return scope.node if scope is not None else None
