from __future__ import annotations

import ast
from collections.abc import Sequence

from numba_check import matching as m
from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.semantics._infer import (
    PRANGE,
    arguments,
    is_int_literal,
)
from numba_check.rules.statements._scopes import target_names

OWNED, SHARED, SCATTER = "owned", "shared", "scatter"
# Index arithmetic that maps many iterations onto one element.
MANY_TO_ONE = (ast.Mod, ast.FloorDiv, ast.RShift, ast.BitAnd)


class PrangeSharedUpdate(Rule):
    """## What it does
    Flags, inside `for i in prange(...)` of a `parallel=True` function, updates of array
    elements that several iterations share:
    - `y[:] += x[i]`, `y[0] += x[i]`, `y[i % 4] += x[i]`, `h[idx[i]] += 1`: an in-place
      update whose index does not single out the iteration's own element;
    - `a[i] = a[i - 1] + 1`: a write that reads an element another iteration writes
      (a loop-carried dependency).

    A scalar `acc += ...` and a whole-array `y += ...` are reductions Numba recognises and
    are not flagged, nor are writes to `y[i]` (or `y[i, j]`) indexed by the loop variable.

    ## Why is this bad?
    Numba runs the iterations on several threads without synchronisation and does not detect
    these races: updates get lost (`y[:] += 1` over 4 million iterations gave 2.6 million)
    and loop-carried reads see elements not written yet (`a[i] = a[i - 1] + 1` gave
    `n/2 - 1` where Python gives `n - 1`). The result changes from run to run.

    ## Example
    ```python
    @njit(parallel=True)
    def histogram(idx, nbins):
        h = np.zeros(nbins, dtype=np.int64)
        for i in prange(idx.shape[0]):
            h[idx[i]] += 1
        return h
    ```

    ## Use instead
    Give each iteration its own output, or reduce into a scalar or a whole array:
    ```python
    @njit(parallel=True)
    def histogram(idx, nbins):
        h = np.zeros(nbins, dtype=np.int64)
        for b in prange(nbins):
            h[b] = np.sum(idx == b)
        return h
    ```
    Loop-carried computations (prefix sums) belong in a plain `range` loop.
    """

    code = "NB510"
    name = "prange-shared-update"
    severity = Severity.WARNING
    message = (
        "Iterations of this prange loop update `{array}[...]` elements that other iterations "
        "share ({why}); Numba runs them on threads without synchronisation, so updates race"
    )
    targets = frozenset({Target.PARALLEL})

    VALID = (
        Valid(
            "import numba\nimport numpy as np\n@numba.njit(parallel=True)\ndef f(x):\n"
            "    acc = 0.0\n    for i in numba.prange(x.shape[0]):\n        acc += x[i]\n"
            "    return acc\n",
            call="f(np.arange(100.0))",
        ),
        Valid(
            "import numba\nimport numpy as np\n@numba.njit(parallel=True)\ndef f(x):\n"
            "    y = np.zeros(4)\n    for i in numba.prange(x.shape[0]):\n        y += x[i]\n"
            "    return y\n",
            call="f(np.arange(100.0))",
        ),
        Valid(
            "import numba\nimport numpy as np\n@numba.njit(parallel=True)\ndef f(x):\n"
            "    y = np.zeros_like(x)\n    for i in numba.prange(x.shape[0]):\n"
            "        y[i] += x[i] * 2\n    return y\n",
            call="f(np.arange(100.0))",
        ),
        Valid(
            "import numba\nimport numpy as np\n@numba.njit(parallel=True)\ndef f(a):\n"
            "    for i in numba.prange(a.shape[0]):\n        for j in range(1, a.shape[1]):\n"
            "            a[i, j] = a[i, j - 1] + 1\n    return a\n",
            call="f(np.zeros((8, 5)))",
        ),
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(a):\n"
            "    for i in numba.prange(1, a.shape[0]):\n        a[i] = a[i - 1] + 1\n    return a\n",
            call="f(np.zeros(100))",
        ),
        Valid(
            "import numba\nimport numpy as np\n@numba.njit(parallel=True)\ndef f(a):\n"
            "    out = np.zeros(2 * a.shape[0])\n    for i in numba.prange(a.shape[0]):\n"
            "        k = 2 * i\n        out[k] += a[i]\n        out[k + 1] = out[k] * 2\n"
            "    return out\n",
            call="f(np.arange(100.0))",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit(parallel=True)\ndef f(w, n):\n"
            "    a = np.zeros(n)\n    for i in numba.prange(1, n):\n"
            "        a[i] = a[i - 1] + 1 + np.count_nonzero(w > i)\n    return a\n",
            line=7,
            column=9,
            call="f(np.ones(2_000_000), 8)",
        ),
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit(parallel=True)\ndef f(x):\n"
            "    y = np.zeros(4)\n    for i in numba.prange(x.shape[0]):\n        y[:] += x[i]\n"
            "    return y\n",
            line=7,
        ),
        Invalid(
            "from numba import njit, prange\nimport numpy as np\n@njit(parallel=True)\n"
            "def f(x):\n    y = np.zeros(4)\n    for i in prange(x.shape[0]):\n"
            "        y[i % 4] += x[i]\n    return y\n",
            line=7,
        ),
        Invalid(
            "import numba as nb\nimport numpy as np\n@nb.njit(parallel=True)\ndef f(idx):\n"
            "    h = np.zeros(3, dtype=np.int64)\n    for i in nb.prange(idx.shape[0]):\n"
            "        k = idx[i]\n        h[k] += 1\n    return h\n",
            line=8,
        ),
        Invalid(
            "import numba\n@numba.njit(parallel=True)\ndef f(a):\n"
            "    for i in numba.prange(1, a.shape[0]):\n        a[i] += a[i - 1]\n    return a\n",
            line=5,
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._loops: list[ast.For | ast.AsyncFor] = []

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        if self._is_prange(node):
            if not self._loops and isinstance(node.target, ast.Name):
                _Loop(self, node).check()
            self._loops.append(node)

    def leave_For(self, node: ast.For | ast.AsyncFor) -> None:
        if self._loops and self._loops[-1] is node:
            self._loops.pop()

    visit_AsyncFor = visit_For
    leave_AsyncFor = leave_For

    def _is_prange(self, node: ast.For | ast.AsyncFor) -> bool:
        return isinstance(node.iter, ast.Call) and bool(
            self.ctx.qualified_names(node.iter.func) & PRANGE
        )


# An index part: an expression, or a `Slice` (`a[i:j]`).
Part = ast.expr


class _Loop:
    """One outermost prange loop: which names are private, which depend on the counter."""

    def __init__(self, rule: PrangeSharedUpdate, node: ast.For | ast.AsyncFor) -> None:
        assert isinstance(node.target, ast.Name)
        self.rule = rule
        self.node = node
        self.assigned: dict[str, list[ast.expr]] = {}
        self.private: set[str] = set()
        for stmt in _statements(node.body):
            for name, value in _bindings(stmt):
                self.private.add(name)
                if value is not None:
                    self.assigned.setdefault(name, []).append(value)
        self.counter = node.target.id
        self.dependent = {self.counter}
        # With a step, neighbouring counters belong to no iteration: `a[i - 1]` may be untouched.
        args = arguments(node.iter) if isinstance(node.iter, ast.Call) else []
        self.unit_step = len(args) < 3 or (
            is_int_literal(args[2]) and rule.ctx.module.code_for(args[2]) == "1"
        )
        loop_bound = {
            f.target.id: f.iter
            for stmt in node.body
            for f in m.findall(stmt, m.For(target=m.Name()) | m.AsyncFor(target=m.Name()))
            if isinstance(f, (ast.For, ast.AsyncFor)) and isinstance(f.target, ast.Name)
        }
        changed = True
        while changed:
            changed = False
            for name, values in [
                *self.assigned.items(),
                *((k, [v]) for k, v in loop_bound.items()),
            ]:
                if name not in self.dependent and any(self._mentions(v) for v in values):
                    self.dependent.add(name)
                    changed = True
        self.for_bound = set(loop_bound)

    def check(self) -> None:
        for stmt in _statements(self.node.body):
            if isinstance(stmt, ast.AugAssign):
                self._update(stmt, stmt.target, stmt.value)
            elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                self._update(stmt, stmt.targets[0], stmt.value, augmented=False)

    def _update(
        self,
        stmt: ast.AST,
        target: ast.expr,
        value: ast.expr,
        augmented: bool = True,
    ) -> None:
        if not isinstance(target, ast.Subscript) or not isinstance(target.value, ast.Name):
            return
        array = target.value.id
        if array in self.private:
            return
        written = self._parts(target)
        kind = self._index_kind(written)
        if augmented and kind != OWNED:
            why = (
                "the same elements in every iteration"
                if kind == SHARED
                else ("an index many iterations can map to")
            )
            self._report(stmt, array, why)
            return
        if kind != OWNED:
            return
        for read in m.findall(value, m.Subscript(value=m.Name(array))):
            assert isinstance(read, ast.Subscript)
            if self._shifted(written, self._parts(read)):
                self._report(stmt, array, "it reads an element another iteration writes")
                return

    def _report(self, stmt: ast.AST, array: str, why: str) -> None:
        self.rule.report(stmt, self.rule.message.format(array=array, why=why))

    def _parts(self, subscript: ast.Subscript) -> list[Part]:
        """The comma-separated parts of a subscript: two for `a[i, j]`, one for `a[(i, j)]`,
        as this rule always told them apart (`ast` makes both a tuple)."""
        index = subscript.slice
        if isinstance(index, ast.Tuple) and not self.rule.ctx.module.parenthesized(index):
            return [e.value if isinstance(e, ast.Starred) else e for e in index.elts]
        return [index]

    # -- index classification -------------------------------------------------------------------

    def _index_kind(self, parts: Sequence[Part]) -> str:
        kinds = set()
        for part in parts:
            if isinstance(part, ast.Slice):
                bounds = [b for b in (part.lower, part.upper, part.step) if b is not None]
                kinds.add(OWNED if any(self._mentions(b) for b in bounds) else SHARED)
            else:
                kinds.add(self._expr_kind(part, frozenset()))
        if OWNED in kinds:
            return OWNED
        return SCATTER if SCATTER in kinds else SHARED

    def _expr_kind(self, expr: ast.expr, seen: frozenset[str]) -> str:
        if not self._mentions(expr):
            return SHARED
        if isinstance(expr, ast.Subscript):
            return SCATTER  # `h[idx[i]]`: data decides, many iterations may pick one element
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, MANY_TO_ONE):
            return SCATTER
        if isinstance(expr, ast.Name) and expr.id not in seen and expr.id not in self.for_bound:
            values = self.assigned.get(expr.id, ())
            if len(values) == 1:
                return self._expr_kind(values[0], seen | {expr.id})
        return OWNED  # `i`, `i + 1`, `n - 1 - i`, or unknown: never a false alarm

    def _shifted(self, written: Sequence[Part], read: Sequence[Part]) -> bool:
        """`a[i] = ... a[i - 1] ...`: the read is the written element moved by a constant along
        the loop counter, so it is the element a neighbouring iteration writes."""
        if not self.unit_step or len(written) != len(read):
            return False
        along = [p for p, e in enumerate(written) if self._mentions(e)]
        if len(along) != 1:
            return False  # `a[i, i]`, `a[2 * i]`...: which iteration writes what is unclear
        (p,) = along
        if any(self._mentions(e) for q, e in enumerate(read) if q != p):
            return False
        mine, theirs = self._offset(written[p]), self._offset(read[p])
        return mine is not None and theirs is not None and mine != theirs

    def _offset(self, part: Part) -> int | None:
        """c for an index `i + c` / `i - c` / `i` on the loop counter `i`, else None."""
        if isinstance(part, ast.Slice):
            return None
        expr = part
        if isinstance(expr, ast.Name):
            return 0 if expr.id == self.counter else None
        if (
            isinstance(expr, ast.BinOp)
            and isinstance(expr.op, (ast.Add, ast.Sub))
            and isinstance(expr.left, ast.Name)
            and expr.left.id == self.counter
            and is_int_literal(expr.right)
        ):
            c = expr.right.value  # type: ignore[attr-defined]
            return c if isinstance(expr.op, ast.Add) else -c
        return None

    def _mentions(self, node: ast.AST) -> bool:
        """Whether `node` reads the loop counter or a name computed from it."""
        return any(n in self.dependent for n in _names(node))


def _names(node: ast.AST) -> set[str]:
    names = _Names()
    m.visit(node, names)
    return names.found


class _Names(m.Visitor):
    """The variable names under a node (`x.shape` names `x` only). Keyword argument names
    and lambda parameters count too, as they always did here."""

    def __init__(self) -> None:
        self.found: set[str] = set()

    def visit_Name(self, name: ast.Name) -> None:
        self.found.add(name.id)

    def visit_keyword(self, node: ast.keyword) -> None:
        if node.arg is not None:
            self.found.add(node.arg)

    def visit_arg(self, node: ast.arg) -> None:
        self.found.add(node.arg)

    def visit_Attribute(self, attr: ast.Attribute) -> bool:
        m.visit(attr.value, self)
        return False  # `x.shape`: `shape` is not a variable


def _statements(body: list[ast.stmt]) -> list[ast.AST]:
    """Assignments in the loop body, nested blocks included, nested functions excluded."""
    prune = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
    return [
        node for stmt in body for node in m.walk(stmt, prune=prune) if isinstance(node, _ASSIGNING)
    ]


_ASSIGNING = (
    ast.Assign,
    ast.AugAssign,
    ast.AnnAssign,
    ast.For,
    ast.AsyncFor,
    ast.NamedExpr,
    ast.withitem,
)


def _bound(target: ast.expr) -> list[str]:
    return [n.id for n in target_names(target)]


def _bindings(stmt: ast.AST) -> list[tuple[str, ast.expr | None]]:
    """(name, value or None) for each local name `stmt` binds."""
    if isinstance(stmt, ast.Assign):
        out: list[tuple[str, ast.expr | None]] = []
        for t in stmt.targets:
            single = isinstance(t, ast.Name)
            out.extend((n, stmt.value if single else None) for n in _bound(t))
        return out
    if isinstance(stmt, ast.AnnAssign):
        return [(n, stmt.value) for n in _bound(stmt.target)]
    if isinstance(stmt, (ast.For, ast.AsyncFor)):
        return [(n, None) for n in _bound(stmt.target)]
    if isinstance(stmt, ast.NamedExpr):
        return [(n, stmt.value) for n in _bound(stmt.target)]
    if isinstance(stmt, ast.withitem) and stmt.optional_vars is not None:
        return [(n, None) for n in _bound(stmt.optional_vars)]
    return []
