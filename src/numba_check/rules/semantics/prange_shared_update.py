from __future__ import annotations

from collections.abc import Iterable, Sequence

import libcst as cst

from numba_check import matching as m
from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.semantics._infer import PRANGE

OWNED, SHARED, SCATTER = "owned", "shared", "scatter"
# Index arithmetic that maps many iterations onto one element.
MANY_TO_ONE = (cst.Modulo, cst.FloorDivide, cst.RightShift, cst.BitAnd)


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
        self._loops: list[cst.For] = []

    def visit_For(self, node: cst.For) -> None:
        if self._is_prange(node):
            if not self._loops and isinstance(node.target, cst.Name):
                _Loop(self, node).check()
            self._loops.append(node)

    def leave_For(self, node: cst.For) -> None:
        if self._loops and self._loops[-1] is node:
            self._loops.pop()

    def _is_prange(self, node: cst.For) -> bool:
        return isinstance(node.iter, cst.Call) and bool(
            self.ctx.qualified_names(node.iter.func) & PRANGE
        )


class _Loop:
    """One outermost prange loop: which names are private, which depend on the counter."""

    def __init__(self, rule: PrangeSharedUpdate, node: cst.For) -> None:
        assert isinstance(node.target, cst.Name)
        self.rule = rule
        self.node = node
        self.assigned: dict[str, list[cst.BaseExpression]] = {}
        self.private: set[str] = set()
        for stmt in _statements(node.body):
            for name, value in _bindings(stmt):
                self.private.add(name)
                if value is not None:
                    self.assigned.setdefault(name, []).append(value)
        self.counter = node.target.value
        self.dependent = {self.counter}
        # With a step, neighbouring counters belong to no iteration: `a[i - 1]` may be untouched.
        args = node.iter.args if isinstance(node.iter, cst.Call) else ()
        self.unit_step = len(args) < 3 or (
            isinstance(args[2].value, cst.Integer) and args[2].value.value == "1"
        )
        loop_bound = {
            f.target.value: f.iter
            for f in m.findall(node.body, m.For(target=m.Name()))
            if isinstance(f, cst.For) and isinstance(f.target, cst.Name)
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
            if isinstance(stmt, cst.AugAssign):
                self._update(stmt, stmt.target, stmt.value)
            elif isinstance(stmt, cst.Assign) and len(stmt.targets) == 1:
                self._update(stmt, stmt.targets[0].target, stmt.value, augmented=False)

    def _update(
        self,
        stmt: cst.CSTNode,
        target: cst.BaseExpression,
        value: cst.BaseExpression,
        augmented: bool = True,
    ) -> None:
        if not isinstance(target, cst.Subscript) or not isinstance(target.value, cst.Name):
            return
        array = target.value.value
        if array in self.private:
            return
        kind = self._index_kind(target.slice)
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
            assert isinstance(read, cst.Subscript)
            if self._shifted(target.slice, read.slice):
                self._report(stmt, array, "it reads an element another iteration writes")
                return

    def _report(self, stmt: cst.CSTNode, array: str, why: str) -> None:
        self.rule.report(stmt, self.rule.message.format(array=array, why=why))

    # -- index classification -------------------------------------------------------------------

    def _index_kind(self, elements: Iterable[cst.SubscriptElement]) -> str:
        kinds = set()
        for element in elements:
            part = element.slice
            if isinstance(part, cst.Slice):
                bounds = [b for b in (part.lower, part.upper, part.step) if b is not None]
                kinds.add(OWNED if any(self._mentions(b) for b in bounds) else SHARED)
            else:
                assert isinstance(part, cst.Index)
                kinds.add(self._expr_kind(part.value, frozenset()))
        if OWNED in kinds:
            return OWNED
        return SCATTER if SCATTER in kinds else SHARED

    def _expr_kind(self, expr: cst.BaseExpression, seen: frozenset[str]) -> str:
        if not self._mentions(expr):
            return SHARED
        if isinstance(expr, cst.Subscript):
            return SCATTER  # `h[idx[i]]`: data decides, many iterations may pick one element
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, MANY_TO_ONE):
            return SCATTER
        if (
            isinstance(expr, cst.Name)
            and expr.value not in seen
            and expr.value not in self.for_bound
        ):
            values = self.assigned.get(expr.value, ())
            if len(values) == 1:
                return self._expr_kind(values[0], seen | {expr.value})
        return OWNED  # `i`, `i + 1`, `n - 1 - i`, or unknown: never a false alarm

    def _shifted(
        self, written: Sequence[cst.SubscriptElement], read: Sequence[cst.SubscriptElement]
    ) -> bool:
        """`a[i] = ... a[i - 1] ...`: the read is the written element moved by a constant along
        the loop counter, so it is the element a neighbouring iteration writes."""
        if not self.unit_step or len(written) != len(read):
            return False
        along = [p for p, e in enumerate(written) if self._mentions(e.slice)]
        if len(along) != 1:
            return False  # `a[i, i]`, `a[2 * i]`...: which iteration writes what is unclear
        (p,) = along
        if any(self._mentions(e.slice) for q, e in enumerate(read) if q != p):
            return False
        mine, theirs = self._offset(written[p].slice), self._offset(read[p].slice)
        return mine is not None and theirs is not None and mine != theirs

    def _offset(self, part: cst.BaseSlice) -> int | None:
        """c for an index `i + c` / `i - c` / `i` on the loop counter `i`, else None."""
        if not isinstance(part, cst.Index):
            return None
        expr = part.value
        if isinstance(expr, cst.Name):
            return 0 if expr.value == self.counter else None
        if (
            isinstance(expr, cst.BinaryOperation)
            and isinstance(expr.operator, (cst.Add, cst.Subtract))
            and isinstance(expr.left, cst.Name)
            and expr.left.value == self.counter
            and isinstance(expr.right, cst.Integer)
        ):
            c = int(expr.right.evaluated_value)
            return c if isinstance(expr.operator, cst.Add) else -c
        return None

    def _mentions(self, node: cst.CSTNode) -> bool:
        """Whether `node` reads the loop counter or a name computed from it."""
        return any(n in self.dependent for n in _names(node))


def _names(node: cst.CSTNode) -> set[str]:
    names = _Names()
    m.visit(node, names)
    return names.found


class _Names(cst.CSTVisitor):
    """The variable names under a node (`x.shape` names `x` only)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: set[str] = set()

    def visit_Name(self, name: cst.Name) -> None:
        self.found.add(name.value)

    def visit_Attribute(self, attr: cst.Attribute) -> bool:
        m.visit(attr.value, self)
        return False  # `x.shape`: `shape` is not a variable


def _statements(body: cst.CSTNode) -> list[cst.CSTNode]:
    """Assignments in the loop body, nested blocks included, nested functions excluded."""
    nodes = m.walk(body, prune=(cst.FunctionDef, cst.Lambda))
    return [node for node in nodes if isinstance(node, _ASSIGNING)]


_ASSIGNING = (cst.Assign, cst.AugAssign, cst.AnnAssign, cst.For, cst.NamedExpr, cst.WithItem)


def _bindings(stmt: cst.CSTNode) -> list[tuple[str, cst.BaseExpression | None]]:
    """(name, value or None) for each local name `stmt` binds."""

    def names(target: cst.BaseExpression) -> list[str]:
        if isinstance(target, cst.Name):
            return [target.value]
        if isinstance(target, (cst.Tuple, cst.List)):
            return [n for e in target.elements for n in names(e.value)]
        if isinstance(target, cst.StarredElement):
            return names(target.value)
        return []

    if isinstance(stmt, cst.Assign):
        out: list[tuple[str, cst.BaseExpression | None]] = []
        for t in stmt.targets:
            single = isinstance(t.target, cst.Name)
            out.extend((n, stmt.value if single else None) for n in names(t.target))
        return out
    if isinstance(stmt, cst.AnnAssign):
        return [(n, stmt.value) for n in names(stmt.target)]
    if isinstance(stmt, cst.For):
        return [(n, None) for n in names(stmt.target)]
    if isinstance(stmt, cst.NamedExpr):
        return [(n, stmt.value) for n in names(stmt.target)]
    if isinstance(stmt, cst.WithItem) and stmt.asname is not None:
        return [(n, None) for n in names(stmt.asname.name)]
    return []
