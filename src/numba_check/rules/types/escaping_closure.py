from __future__ import annotations

import ast

from numba_check import matching as m
from numba_check.compiled import CPU_TARGETS
from numba_check.entry_points import EntryKind
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.semantic.bindings import How


class EscapingClosure(Rule):
    """## What it does
    Flags a function or lambda nested in compiled code that reads a variable of the enclosing
    function set at run time (a parameter, a computed local) and escapes: it is returned,
    passed to a call (`h(g, x)`, `sorted(xs, key=g)`), or never called at all.

    A nested function that is only called where it is defined, or that captures nothing, is fine.

    ## Why is this bad?
    Numba inlines a closure where it is called; one that escapes would need its captured values
    stored with it, which Numba cannot do: "Cannot capture the non-constant value associated
    with variable 'n' in a function that may escape".

    ## Example
    ```python
    @njit
    def apply_scaled(xs, scale):
        def scaled(x):
            return x * scale
        return apply(scaled, xs)
    ```

    ## Use instead
    ```python
    @njit
    def scaled(x, scale):
        return x * scale

    @njit
    def apply_scaled(xs, scale):
        return apply(scaled, xs, scale)
    ```
    Pass the captured value as an argument, or call the nested function where it is defined.
    """

    code = "NB411"
    name = "escaping-closure"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "`{function}` captures `{captured}` and is {how}; Numba cannot let a closure over a "
        "run-time value escape: pass `{captured}` to it as an argument instead"
    )

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    def g(x):\n        return x * n\n    return g(2)\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef h(fn, x):\n    return fn(x)\n@numba.njit\ndef f(n):\n"
            "    def g(x):\n        return x * 2\n    return h(g, n)\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    g = lambda x: x * n\n    return g(2)\n",
            call="f(3)",
        ),
        # A constant captured, and the function never called: Numba drops it.
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    k = 2\n    def g(x):\n        return x * k\n"
            "    return n\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(a, b):\n    def g(b):\n        return a + b\n"
            "    return 1\n",
            line=4,
            column=9,
            call="f(1, 2)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    g = lambda x: x * n\n    return n\n",
            line=4,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    def g(x):\n        return x * n\n    return g\n",
            line=6,
            column=12,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    return lambda x: x * n\n",
            line=4,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef h(fn, x):\n    return fn(x)\n@numba.njit\ndef f(n):\n"
            "    def g(x):\n        return x * n\n    return h(g, 1)\n",
            line=9,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    k = n + 1\n    def g(x):\n        return x * k\n"
            "    return sorted([3, 1, 2], key=g)\n",
            line=7,
            call="f(3)",
        ),
    )

    def finish(self) -> None:
        function = self.ctx.function
        assert function is not None
        if function.entry is EntryKind.REGISTER_JITABLE:
            # Often a typing-time helper that Python calls and Numba never compiles
            # (`min_max_impl` in numba/cpython/builtins.py returns its `impl`).
            return
        sem = self.ctx.semantic
        facts = sem.function(function.node)
        closures: dict[int, tuple[str, str]] = {}  # id of the nested node -> (its name, captured)
        for nested in facts.nested:
            if isinstance(nested, ast.ClassDef):
                continue
            captured = sorted(n for n in facts.captures(nested) if self._runtime(n, facts))
            if captured:
                name = "lambda" if isinstance(nested, ast.Lambda) else nested.name
                closures[id(nested)] = (name, captured[0])
        if not closures:
            return
        self._escaped: set[int] = set()
        for ret in facts.returns:
            if ret.value is not None:
                self._escapes(ret.value, closures, "returned")
        used: set[int] = set()  # closures whose name is read somewhere
        for node in m.findall(function.node, m.Call() | m.Name()):
            if isinstance(node, ast.Call):
                for arg in (*node.args, *(k.value for k in node.keywords)):
                    self._escapes(arg, closures, "passed to a call")
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                found = self._closure_node(node, closures)
                if found is not None:
                    used.add(found)
        # One that is never used is not inlined anywhere either, and is refused the same way.
        for nested in facts.nested:
            if id(nested) in closures and id(nested) not in used | self._escaped:
                name, captured = closures[id(nested)]
                where = (
                    self.ctx.module.name_of(nested)
                    if not isinstance(nested, ast.Lambda)
                    else nested
                )
                self.report(
                    where, self.message.format(function=name, captured=captured, how="never called")
                )

    def _runtime(self, name: str, facts) -> bool:  # type: ignore[no-untyped-def]
        """Whether the enclosing function binds `name` to a value known only at run time."""
        scope = facts.scope
        sem = self.ctx.semantic
        for binding in scope.assignments.get(name, ()):
            typed = sem.typed(binding)
            if typed is None:
                continue
            if typed.how is How.PARAMETER:
                return True
            if typed.how in (How.ASSIGN, How.AUGMENT, How.LOOP) and not isinstance(
                typed.value, ast.Constant
            ):
                return True
        return False

    def _escapes(self, value: ast.expr, closures: dict[int, tuple[str, str]], how: str) -> None:
        found = id(value) if id(value) in closures else None  # a lambda written in place
        if found is None and isinstance(value, ast.Name):
            found = self._closure_node(value, closures)
        if found is not None:
            self._escaped.add(found)
            name, captured = closures[found]
            self.report(value, self.message.format(function=name, captured=captured, how=how))

    def _closure_node(self, value: ast.Name, closures: dict[int, tuple[str, str]]) -> int | None:
        """The id of the closure every binding of `value` binds it to, if any."""
        sem = self.ctx.semantic
        bindings = sem.names.bindings(value)
        found = None
        for binding in bindings:
            typed = sem.typed(binding)
            if typed is None:
                return None
            node = (
                typed.node
                if typed.how is How.DEF
                else typed.value
                if typed.how is How.ASSIGN
                else None
            )
            if node is None or id(node) not in closures:
                return None
            found = id(node)
        return found
