from __future__ import annotations

from collections.abc import Iterable, Sequence

import libcst as cst

from numba_check import matching as m
from numba_check.compiled import CUDA_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.cuda._facts import GRID, FunctionNames

THREAD_IDX = frozenset({"numba.cuda.threadIdx"})
BLOCK_IDX = frozenset({"numba.cuda.blockIdx"})
# The statements after which control does not reach the next one.
EXITS = (cst.Return, cst.Continue, cst.Break, cst.Raise)
# An index wrapped in one of these is clamped into range by the author.
CLAMPS = frozenset({"min", "max"})
INLINE = "cuda.grid(...)"


class UnguardedGridIndex(Rule):
    """## What it does
    Flags an array indexed with a thread's global index, `i = cuda.grid(1)` (or
    `x, y = cuda.grid(2)`, or `cuda.threadIdx.x + cuda.blockIdx.x * cuda.blockDim.x`), with
    no bounds check on that index before it.

    Every common guard is recognised: an enclosing `if i < a.size:` / `if i < a.shape[0]:` /
    `if x < n and y < m:` (any comparison of the index, in either order, in the `if` or its
    `else`), an early exit `if i >= n: return` before the access, a `while` on the index,
    a conditional expression or `and`/`or` whose left side compares it, and an index clamped
    with `%`, `min()` or `max()`. An index that is reassigned or incremented is not followed
    (grid-stride loops are fine). `assert i < n` is not a guard: it does nothing unless the
    kernel is compiled with `debug=True`.

    Off by default (`--extend-select NB608` turns it on): a kernel whose every launch has
    exactly one thread per element is correct without the guard, and the linter cannot see
    the launches.

    ## Why is this bad?
    A launch almost always starts more threads than there are elements, because the grid is
    a whole number of blocks. Without the guard the extra threads read and write past the
    end of the array: on a GPU that silently corrupts other memory or reads garbage (the
    CUDA simulator raises IndexError instead, so the simulator and the GPU disagree).

    ## Example
    ```python
    @cuda.jit
    def scale(a, factor):
        i = cuda.grid(1)
        a[i] *= factor
    ```

    ## Use instead
    ```python
    @cuda.jit
    def scale(a, factor):
        i = cuda.grid(1)
        if i < a.size:
            a[i] *= factor
    ```
    """

    code = "NB608"
    name = "unguarded-grid-index"
    severity = Severity.WARNING
    # Off unless selected: kernels launched with an exact grid (numba's own CUDA tests: 80 of
    # 417 kernels) are correct without the guard, and the linter cannot see the launch.
    enabled_by_default = False
    message = (
        "`{index}` is a global thread index used to index an array with no bounds check; "
        "the last block's extra threads access memory out of bounds: guard it with "
        "`if {index} < a.shape[0]:` (or return early)"
    )
    targets = CUDA_TARGETS

    VALID = (
        Valid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    i = cuda.grid(1)\n"
            "    if i < a.size:\n        a[i] *= 2.0\n"
        ),
        Valid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    i = cuda.grid(1)\n"
            "    if i >= a.shape[0]:\n        return\n    a[i] *= 2.0\n"
        ),
        Valid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    x, y = cuda.grid(2)\n"
            "    if x < a.shape[0] and y < a.shape[1]:\n        a[x, y] = 0.0\n"
        ),
        Valid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    tx = cuda.threadIdx.x\n"
            "    bx = cuda.blockIdx.x\n    bw = cuda.blockDim.x\n    pos = tx + bx * bw\n"
            "    if pos < a.size:\n        a[pos] *= 2\n"
        ),
        Valid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    start = cuda.grid(1)\n"
            "    stride = cuda.gridsize(1)\n    for i in range(start, a.shape[0], stride):\n"
            "        a[i] *= 2.0\n"
        ),
        Valid(
            "from numba import cuda\n@cuda.jit\ndef k(a, n):\n    i = cuda.grid(1)\n"
            "    if n > i and a[i] > 0:\n        a[i] = 0.0\n"
        ),
        Valid(
            "from numba import cuda, float32\n@cuda.jit\ndef k(a):\n"
            "    s = cuda.shared.array(32, float32)\n    t = cuda.threadIdx.x\n    s[t] = 1.0\n"
        ),
        Valid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    i = cuda.grid(1)\n"
            "    a[i % a.size] += 1.0\n"
        ),
    )
    INVALID = (
        Invalid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    i = cuda.grid(1)\n    a[i] *= 2.0\n",
            line=5,
            column=5,
        ),
        Invalid(
            "import numba\n@numba.cuda.jit\ndef k(a):\n    x, y = numba.cuda.grid(2)\n"
            "    if x < a.shape[0]:\n        a[x, y] = 0.0\n",
            line=6,
        ),
        Invalid(
            "from numba import cuda\n@cuda.jit\ndef k(a, b):\n"
            "    i = cuda.threadIdx.x + cuda.blockIdx.x * cuda.blockDim.x\n    a[i] = b[i]\n",
            line=5,
        ),
        Invalid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    i = cuda.grid(1)\n"
            "    if a[i] > 0 and i < a.size:\n        a[i] = 0.0\n",
            line=5,
        ),
        Invalid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    a[cuda.grid(1)] = 1.0\n",
            line=4,
        ),
    )

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._names = FunctionNames(ctx)

    def finish(self) -> None:
        assert self.ctx.function is not None
        body = self.ctx.function.node.body
        self._indices = self._global_indices(body)
        if not self._indices and not any(self._is_grid_call(c) for c in m.findall(body, m.Call())):
            return
        self._reported: set[str] = set()
        self._block(body.body, frozenset())

    # -- which names hold a global index -------------------------------------------------------

    def _global_indices(self, body: cst.CSTNode) -> frozenset[str]:
        out = set()
        for name, values in self._names.bindings.items():
            if name in self._names.params or len(values) != 1 or values[0] is None:
                continue
            if self._is_global_index(values[0]):
                out.add(name)
        # `x, y = cuda.grid(2)`
        for assign in m.findall(body, m.Assign(targets=[m.AssignTarget(m.Tuple() | m.List())])):
            assert isinstance(assign, cst.Assign)
            if not self._is_grid_call(assign.value):
                continue
            target = assign.targets[0].target
            assert isinstance(target, (cst.Tuple, cst.List))
            for element in target.elements:
                name = element.value
                if (
                    isinstance(name, cst.Name)
                    and len(self._names.bindings.get(name.value, ())) == 1
                ):
                    out.add(name.value)
        return frozenset(out)

    def _is_grid_call(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, cst.Call) and bool(self.ctx.qualified_names(node.func) & GRID)

    def _is_global_index(self, value: cst.BaseExpression) -> bool:
        if self._is_grid_call(value):
            return True
        # `tx + bx * bw`, with the names bound to `cuda.threadIdx.x` and `cuda.blockIdx.x`.
        if not isinstance(value, cst.BinaryOperation):
            return False
        registers = set(self._registers(value, 0))
        return bool(registers & THREAD_IDX) and bool(registers & BLOCK_IDX)

    def _registers(self, node: cst.BaseExpression, depth: int) -> Iterable[str]:
        if depth > 5:
            return
        for attr in m.findall(node, m.Attribute()):
            assert isinstance(attr, cst.Attribute)
            yield from self.ctx.qualified_names(attr.value)
        for name in m.findall(node, m.Name()):
            assert isinstance(name, cst.Name)
            value = self._names.single_value(name.value)
            if value is not None and not isinstance(value, cst.BinaryOperation):
                yield from self._registers(value, depth + 1)

    # -- where an index is guarded -------------------------------------------------------------

    def _compared(self, test: cst.CSTNode) -> frozenset[str]:
        """Global indices (and inline `cuda.grid()` calls) that a comparison in `test` checks."""
        out: set[str] = set()
        for comparison in m.findall(test, m.Comparison()):
            assert isinstance(comparison, cst.Comparison)
            operands = [comparison.left, *(c.comparator for c in comparison.comparisons)]
            for operand in operands:
                # `a[i] > 0` reads through the index; it does not check it.
                out.update(self._used_indices(operand, outside_subscripts=True))
        return frozenset(out)

    def _block(self, statements: Sequence[cst.CSTNode], guarded: frozenset[str]) -> None:
        for stmt in statements:
            guarded = self._statement(stmt, guarded)

    def _statement(self, stmt: cst.CSTNode, guarded: frozenset[str]) -> frozenset[str]:
        """Check `stmt`; returns what is guarded for the statements after it."""
        if isinstance(stmt, cst.If):
            checked = self._compared(stmt.test)
            self._expression(stmt.test, guarded)
            self._block(stmt.body.body, guarded | checked)
            if isinstance(stmt.orelse, cst.If):
                self._statement(stmt.orelse, guarded | checked)
            elif isinstance(stmt.orelse, cst.Else):
                self._block(stmt.orelse.body.body, guarded | checked)
            if checked and _ends_in_exit(stmt.body):
                return guarded | checked  # `if i >= n: return`
            return guarded
        if isinstance(stmt, cst.While):
            checked = self._compared(stmt.test)
            self._expression(stmt.test, guarded)
            self._block(stmt.body.body, guarded | checked)
            return guarded
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            return guarded
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                guarded = self._statement(small, guarded)
            return guarded
        if isinstance(stmt, cst.BaseSmallStatement):
            if isinstance(stmt, cst.Assign) and self._compared(stmt.value):
                # `inside = i < n`: a guard kept in a variable; trust it from here on.
                guarded = guarded | self._compared(stmt.value)
            self._expression(stmt, guarded)
            return guarded
        # for / with / try: their headers are expressions, their bodies blocks.
        for child in m.children(stmt):
            if isinstance(child, cst.BaseSuite):
                self._block(getattr(child, "body", ()), guarded)
            elif isinstance(child, (cst.Else, cst.Finally, cst.ExceptHandler)):
                self._block(getattr(child.body, "body", ()), guarded)
            elif isinstance(child, cst.BaseExpression):
                self._expression(child, guarded)
        return guarded

    def _expression(self, node: cst.CSTNode, guarded: frozenset[str]) -> None:
        if isinstance(node, (cst.Lambda, cst.FunctionDef)):
            return
        if isinstance(node, cst.IfExp):
            checked = self._compared(node.test)
            self._expression(node.test, guarded)
            self._expression(node.body, guarded | checked)
            self._expression(node.orelse, guarded | checked)
            return
        if isinstance(node, cst.BooleanOperation):
            # The right side runs only once the left side has been evaluated.
            self._expression(node.left, guarded)
            self._expression(node.right, guarded | self._compared(node.left))
            return
        if isinstance(node, cst.Subscript):
            self._subscript(node, guarded)
        for child in m.children(node):
            self._expression(child, guarded)

    def _subscript(self, node: cst.Subscript, guarded: frozenset[str]) -> None:
        for element in node.slice:
            index = element.slice
            if not isinstance(index, cst.Index) or _clamped(index.value, self):
                continue
            for used in self._used_indices(index.value):
                if used not in guarded and used not in self._reported:
                    self._reported.add(used)
                    self.report(node, self.message.format(index=used))

    def _used_indices(
        self, expr: cst.BaseExpression, *, outside_subscripts: bool = False
    ) -> list[str]:
        """Global indices `expr` reads (`INLINE` for a `cuda.grid()` call in it)."""
        found: list[str] = []

        def walk(node: cst.CSTNode) -> None:
            if outside_subscripts and isinstance(node, cst.Subscript):
                walk(node.value)
                return
            if isinstance(node, cst.Name) and node.value in self._indices:
                found.append(node.value)
            elif self._is_grid_call(node):  # type: ignore[arg-type]
                found.append(INLINE)
                return
            for child in m.children(node):
                walk(child)

        walk(expr)
        return found


def _ends_in_exit(body: cst.BaseSuite) -> bool:
    statements = getattr(body, "body", ())
    if not statements:
        return False
    last = statements[-1]
    if isinstance(last, cst.SimpleStatementLine):
        return any(isinstance(s, EXITS) for s in last.body)
    return isinstance(last, EXITS)  # `if i >= n: return` on one line


def _clamped(index: cst.BaseExpression, rule: UnguardedGridIndex) -> bool:
    """`i % n`, `min(i, n - 1)`: the author keeps the index in range another way."""
    if m.findall(index, m.BinaryOperation(operator=m.Modulo())):
        return True
    for call in m.findall(index, m.Call(func=m.Name())):
        assert isinstance(call, cst.Call) and isinstance(call.func, cst.Name)
        if call.func.value in CLAMPS:
            return True
    return False
