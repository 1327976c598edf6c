from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.semantic import types as t


class YieldTypesDiffer(Rule):
    """## What it does
    Flags a compiled generator that yields values Numba cannot give one type: `yield None` (or a
    bare `yield`) beside `yield 1`, or a number beside a str.

    ## Why is this bad?
    A compiled generator has one yield type. Unlike a function's returns, its yields do not
    become an Optional: "Can't unify yield type from the following types: int64, none".

    ## Example
    ```python
    @njit
    def evens(n):
        for i in range(n):
            if i % 2 == 0:
                yield i
            else:
                yield None
    ```

    ## Use instead
    ```python
    @njit
    def evens(n):
        for i in range(n):
            if i % 2 == 0:
                yield i
    ```
    Skip the item, or yield a value of the same type that stands for "nothing" (`-1`).
    """

    code = "NB415"
    name = "yield-types-differ"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "this yields {second} where the generator also yields {first} (line {line}); a compiled "
        "generator yields one type: skip the item, or yield a stand-in of the same type"
    )

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef g(n):\n    yield 1\n    yield n\n"
            "def f(n):\n    return list(g(n))\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef g(n):\n    if n > 5:\n        return\n    yield n\n"
            "def f(n):\n    return list(g(n))\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef g(n):\n    yield 1\n    yield None\n"
            "def f(n):\n    return list(g(n))\n",
            line=5,
            column=5,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef g(n):\n    yield 1.5\n    yield\n"
            "def f(n):\n    return list(g(n))\n",
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef g(n):\n    yield 1\n    yield 'a'\n"
            "def f(n):\n    return list(g(n))\n",
            line=5,
            call="f(3)",
        ),
    )

    def finish(self) -> None:
        function = self.ctx.function
        assert function is not None
        sem = self.ctx.semantic
        typed: list[tuple[ast.AST, t.Type]] = []
        for node in sem.function(function.node).yields:
            if isinstance(node, ast.YieldFrom):
                return
            typed.append((node, t.NONE if node.value is None else sem.type_of(node.value)))
        for i, (first, first_type) in enumerate(typed):
            for second, second_type in typed[i + 1 :]:
                if _conflict(first_type, second_type):
                    self.report(
                        second,
                        self.message.format(
                            first=_article(first_type),
                            second=_article(second_type),
                            line=first.lineno,  # type: ignore[attr-defined]
                        ),
                    )
                    return


def _conflict(a: t.Type, b: t.Type) -> bool:
    a, b = t.unliteral(a), t.unliteral(b)
    simple = (t.Scalar, t.Str, t.NoneType)
    if not (isinstance(a, simple) and isinstance(b, simple)):
        return False
    if isinstance(a, t.NoneType) != isinstance(b, t.NoneType):
        return True
    return t.unify(a, b) is t.REFUSED


def _article(kind: t.Type) -> str:
    if isinstance(kind, t.NoneType):
        return "None"
    text = kind.describe()
    return f"an {text}" if text[0] in "aeiou" else f"a {text}"
