from __future__ import annotations

import ast

from numba_check import matching as m
from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.semantic import types as t
from numba_check.semantic.bindings import How, TypedBinding

# Comparisons Numba never folds away for a run-time value (`is None`, `isinstance` and
# constants are pruned before typing, so the branch they guard may never be typed).
RUNTIME_COMPARISONS = (ast.Lt, ast.Gt, ast.LtE, ast.GtE, ast.Eq, ast.NotEq)


class VariableTypesCannotUnify(Rule):
    """## What it does
    Flags a variable of a compiled function that is given values of types Numba cannot
    unify where they meet: after an `if`, or at the head of a loop whose body rebinds it.
    The common cases: an integer array replaced by a float one (`a = a * 0.5`, `a = np.sqrt(a)`)
    inside a loop, a tuple that grows in a loop (`t = t + (x,)`, so `literal_unroll(t)` cannot
    work either), a list of ints replaced by a list of floats, a `numba.typed.List` replaced by
    a list comprehension or display (always a reflected list), a number replaced by a str or an
    array.

    Rebinding a name in straight-line code is fine (Numba gives each version its own type); only
    bindings that meet at a read count, and branches Numba may prune (`if x is None`, a constant
    test) are left alone.

    ## Why is this bad?
    Numba gives a variable one type where its values meet: "Cannot unify array(int64, 1d, C) and
    array(float64, 1d, C) for 'a.2'", "Cannot unify UniTuple(int64 x 1) and UniTuple(int64 x 2)".

    ## Example
    ```python
    @njit
    def smooth(n):
        a = np.arange(n)
        for _ in range(3):
            a = a * 0.5
        return a
    ```

    ## Use instead
    ```python
    @njit
    def smooth(n):
        a = np.arange(n).astype(np.float64)
        for _ in range(3):
            a = a * 0.5
        return a
    ```
    Give the variable its final type from the start, or use a new name for the new value. A
    tuple cannot grow in a loop: collect into a list or a preallocated array.
    """

    code = "NB405"
    name = "variable-types-cannot-unify"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "`{name}` is {first} (line {first_line}) and {second} (line {second_line}) where its "
        "values meet, and Numba gives a variable one type: {advice}"
    )

    VALID = (
        # Straight-line rebinding: each version has its own type.
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(n):\n"
            "    a = np.zeros(n, dtype=np.int64)\n    a = a * 0.5\n    return a.sum()\n",
            call="f(3)",
        ),
        # int and float unify to float.
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    s = 0\n    for i in range(n):\n"
            "        s += 0.5\n    return s\n",
            call="f(3)",
        ),
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(n):\n"
            "    a = np.zeros(n)\n    for i in range(3):\n        a = a * 0.5\n    return a.sum()\n",
            call="f(3)",
        ),
        # The rebound value is never read where the two meet.
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(n):\n"
            "    a = np.zeros(n, dtype=np.int64)\n    for i in range(3):\n        a = np.zeros(n)\n"
            "    return n\n",
            call="f(3)",
        ),
        # None makes an Optional.
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(n):\n    a = None\n"
            "    if n > 1:\n        a = np.zeros(3)\n    return a\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    t = (1,)\n    t = t + (n,)\n    return len(t)\n",
            call="f(3)",
        ),
        # A branch that Numba prunes for a None argument.
        Valid(
            "import numba\n@numba.njit\ndef f(n, x=None):\n    a = 1\n    if x is None:\n"
            "        a = 'x'\n    return a\n",
            call="f(3)",
        ),
        Valid(
            "import numba\nfrom numba import typed, types\n@numba.njit\ndef f(n):\n"
            "    t = typed.List.empty_list(types.int64)\n    t.append(1)\n"
            "    for i in range(n):\n        t = typed.List([v + i for v in t])\n"
            "    x = [i for i in range(n)]\n    x = [v * 2 for v in x]\n    return len(t) + len(x)\n",
            call="f(2)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(n):\n"
            "    a = np.zeros(n, dtype=np.int64)\n    for i in range(3):\n        a = a * 0.5\n"
            "    return a.sum()\n",
            line=7,
            call="f(3)",
        ),
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(n):\n    a = np.arange(10)\n"
            "    for i in range(3):\n        a = np.sqrt(a)\n    return a.sum()\n",
            line=7,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    t = ()\n    for i in range(n):\n"
            "        t = t + (i,)\n    return len(t)\n",
            line=6,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    a = [1, 2]\n    if n > 0:\n"
            "        a = [1.5]\n    return len(a)\n",
            line=6,
            call="f(1)",
        ),
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(n):\n    a = np.zeros(3)\n"
            "    for i in range(3):\n        a = np.zeros((n, n))\n    return a.sum()\n",
            line=7,
            call="f(3)",
        ),
        # A list comprehension is a reflected list, never a typed List (numba#8048).
        Invalid(
            "import numba\nfrom numba import typed, types\n@numba.njit\ndef f(n):\n"
            "    t = typed.List.empty_list(types.int64)\n    t.append(1)\n"
            "    for i in range(n):\n        t = [v + i for v in t]\n    return len(t)\n",
            line=8,
            column=9,
            call="f(2)",
        ),
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(n):\n    a = np.zeros(n)\n"
            "    if n > 2:\n        a = [v * 2 for v in a]\n    return len(a)\n",
            line=7,
            call="f(3)",
        ),
    )

    def finish(self) -> None:
        function = self.ctx.function
        assert function is not None
        sem = self.ctx.semantic
        facts = sem.function(function.node)
        scope = facts.scope
        # Only a name bound twice or more can hold values of two types: most functions have
        # none, and need no flow analysis.
        if scope is None or all(len(b) < 2 for b in scope.assignments.values()):
            return
        pruned = _prunable_spans(function.node, facts.local_names, sem)
        reported: set[tuple[int, int]] = set()
        looked_at: set[frozenset[int]] = set()  # the reads of one variable share their bindings
        for defs in facts.flow.reads.values():
            if len(defs) < 2 or defs in looked_at:
                continue
            looked_at.add(defs)
            typed = [sem.bindings.get(d) for d in defs]
            if any(b is None for b in typed):
                continue
            if pruned and any(_inside(b.node, s) for b in typed for s in pruned):  # type: ignore[union-attr]
                continue
            pair = self._conflict(typed)  # type: ignore[arg-type]
            if pair is None:
                continue
            (first, first_type), (second, second_type) = pair
            key = (id(first.node), id(second.node))
            if key in reported:
                continue
            reported.add(key)
            name = first.node.id  # type: ignore[attr-defined]
            self.report(
                second.node,
                self.message.format(
                    name=name,
                    first=_article(first_type),
                    first_line=first.node.lineno,  # type: ignore[attr-defined]
                    second=_article(second_type),
                    second_line=second.node.lineno,  # type: ignore[attr-defined]
                    advice=_advice(first_type, second_type),
                ),
            )

    def _conflict(
        self, bindings: list[TypedBinding]
    ) -> tuple[tuple[TypedBinding, t.Type], tuple[TypedBinding, t.Type]] | None:
        inference = self.ctx.semantic.inference
        if any(b.how not in _TYPED for b in bindings):
            return None
        ordered = sorted(bindings, key=lambda b: (b.node.lineno, b.node.col_offset))  # type: ignore[attr-defined]
        typed = [(b, inference.binding_type(b)) for b in ordered]
        if not all(
            t.known(kind) or isinstance(kind, (t.Array, t.Tuple, t.ListOf)) for _, kind in typed
        ):
            return None
        # Unify in order, as Numba does; at the first refusal, name the earlier value the new
        # one does not mix with.
        unified = typed[0][1]
        for k in range(1, len(typed)):
            second, second_type = typed[k]
            joined = t.unify(unified, second_type)
            if joined is t.REFUSED:
                for first, first_type in typed[:k]:
                    if t.unify(first_type, second_type) is t.REFUSED:
                        return (first, first_type), (second, second_type)
                return None
            unified = joined
        return None


_TYPED = frozenset({How.ASSIGN, How.AUGMENT, How.UNPACK, How.LOOP, How.PARAMETER})


Span = tuple[tuple[int, int], tuple[int, int]]


def _prunable_spans(function: ast.AST, local: frozenset[str], sem) -> list[Span]:  # type: ignore[no-untyped-def]
    """Where the `if` statements whose test Numba may fold before typing are written."""
    return [
        ((n.lineno, n.col_offset), (n.end_lineno, n.end_col_offset))  # type: ignore[attr-defined]
        for n in m.findall(function, m.If())
        if not _runtime_test(n.test, local, sem)  # type: ignore[attr-defined]
    ]


def _inside(node: ast.AST, span: Span) -> bool:
    start = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
    return span[0] <= start and (node.end_lineno, node.end_col_offset) <= span[1]  # type: ignore[attr-defined]


def _runtime_test(test: ast.expr, local: frozenset[str], sem) -> bool:  # type: ignore[no-untyped-def]
    """Whether `test` compares run-time values only: no `is`, no constant-only operands, and
    every name in it a local of the function that no binding makes a constant."""
    if isinstance(test, ast.BoolOp):
        return all(_runtime_test(v, local, sem) for v in test.values)
    if not isinstance(test, ast.Compare):
        return False
    if not all(isinstance(op, RUNTIME_COMPARISONS) for op in test.ops):
        return False
    names = [n for n in ast.walk(test) if isinstance(n, ast.Name)]
    if not names:
        return False
    for name in names:
        if name.id not in local:
            return False
        for binding in sem.names.bindings(name):
            typed = sem.typed(binding)
            if typed is None or (typed.how is How.ASSIGN and isinstance(typed.value, ast.Constant)):
                return False
    return True


def _article(kind: t.Type) -> str:
    text = kind.describe()
    if isinstance(kind, t.ListOf) and not t.known(kind):
        return "a typed List" if kind.typed else "a (reflected) list"
    if isinstance(kind, t.Tuple):
        return f"a tuple of {len(kind.items)}" if kind.items else "an empty tuple"
    return f"an {text}" if text[0] in "aeiou" else f"a {text}"


def _advice(first: t.Type, second: t.Type) -> str:
    if isinstance(first, t.Tuple) and isinstance(second, t.Tuple):
        return "a tuple cannot grow; collect the values in a list or a preallocated array"
    if isinstance(first, t.Array) and isinstance(second, t.Array):
        if first.dtype != second.dtype:
            return (
                f"give it its final dtype from the start (`.astype(np.{second.dtype.describe()})`)"
                " or use a new name for the new array"
            )
        return "use a new name for the array with the other number of dimensions"
    if isinstance(first, t.ListOf) and isinstance(second, t.ListOf) and first.typed:
        return (
            "build the new value as a typed List too (`List(...)`, or `append` to a new `List()`)"
        )
    if isinstance(first, t.ListOf) and isinstance(second, t.ListOf) and second.typed:
        return "build the first value as a typed List too (`List()`), or the new one as a list"
    return "use a new name for the new value, or give both values the same type"
