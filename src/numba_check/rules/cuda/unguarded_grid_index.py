from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence

from numba_check import matching as m
from numba_check.compiled import CUDA_TARGETS, FUNCTION_DEFS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.cuda._facts import GRID, FunctionNames, findall_in

THREAD_IDX = frozenset({"numba.cuda.threadIdx"})
BLOCK_IDX = frozenset({"numba.cuda.blockIdx"})
# The statements after which control does not reach the next one.
EXITS = (ast.Return, ast.Continue, ast.Break, ast.Raise)
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
        # The guard's block exits at its `return`, whatever follows it on its line.
        Valid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    i = cuda.grid(1)\n"
            "    if i >= a.shape[0]: return; a[0] = 1.0\n    a[i] *= 2.0\n"
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
        if not self._indices and not any(self._is_grid_call(c) for c in findall_in(body, m.Call())):
            return
        self._reported: set[str] = set()
        self._block(body, frozenset())

    # -- which names hold a global index -------------------------------------------------------

    def _global_indices(self, body: list[ast.stmt]) -> frozenset[str]:
        out = set()
        for name, values in self._names.bindings.items():
            if name in self._names.params or len(values) != 1 or values[0] is None:
                continue
            if self._is_global_index(values[0]):
                out.add(name)
        # `x, y = cuda.grid(2)`
        for assign in findall_in(body, m.Assign(targets=[m.Tuple() | m.List()])):
            assert isinstance(assign, ast.Assign)
            if not self._is_grid_call(assign.value):
                continue
            target = assign.targets[0]
            assert isinstance(target, (ast.Tuple, ast.List))
            for element in target.elts:
                name = element.value if isinstance(element, ast.Starred) else element
                if isinstance(name, ast.Name) and len(self._names.bindings.get(name.id, ())) == 1:
                    out.add(name.id)
        return frozenset(out)

    def _is_grid_call(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Call) and bool(self.ctx.qualified_names(node.func) & GRID)

    def _is_global_index(self, value: ast.expr) -> bool:
        if self._is_grid_call(value):
            return True
        # `tx + bx * bw`, with the names bound to `cuda.threadIdx.x` and `cuda.blockIdx.x`.
        if not isinstance(value, ast.BinOp):
            return False
        registers = set(self._registers(value, 0))
        return bool(registers & THREAD_IDX) and bool(registers & BLOCK_IDX)

    def _registers(self, node: ast.expr, depth: int) -> Iterable[str]:
        if depth > 5:
            return
        for attr in m.findall(node, m.Attribute()):
            assert isinstance(attr, ast.Attribute)
            yield from self.ctx.qualified_names(attr.value)
        # Attribute names too (the `x` of `cuda.threadIdx.x`): the rule has always followed
        # every identifier (see `matching.identifiers`).
        for name in m.identifiers(node, constants=True):
            value = self._names.single_value(name)
            if value is not None and not isinstance(value, ast.BinOp):
                yield from self._registers(value, depth + 1)

    # -- where an index is guarded -------------------------------------------------------------

    def _compared(self, test: ast.AST) -> frozenset[str]:
        """Global indices (and inline `cuda.grid()` calls) that a comparison in `test` checks."""
        out: set[str] = set()
        for comparison in m.findall(test, m.Compare()):
            assert isinstance(comparison, ast.Compare)
            for operand in (comparison.left, *comparison.comparators):
                # `a[i] > 0` reads through the index; it does not check it.
                out.update(self._used_indices(operand, outside_subscripts=True))
        return frozenset(out)

    def _block(self, statements: Sequence[ast.stmt], guarded: frozenset[str]) -> None:
        for stmt in statements:
            guarded = self._statement(stmt, guarded)

    def _statement(self, stmt: ast.stmt, guarded: frozenset[str]) -> frozenset[str]:
        """Check `stmt`; returns what is guarded for the statements after it."""
        if isinstance(stmt, ast.If):
            checked = self._compared(stmt.test)
            self._expression(stmt.test, guarded)
            self._block(stmt.body, guarded | checked)
            self._block(stmt.orelse, guarded | checked)  # `else:` or `elif`
            if checked and self._ends_in_exit(stmt.body):
                return guarded | checked  # `if i >= n: return`
            return guarded
        if isinstance(stmt, ast.While):
            checked = self._compared(stmt.test)
            self._expression(stmt.test, guarded)
            self._block(stmt.body, guarded | checked)
            return guarded
        if isinstance(stmt, (*FUNCTION_DEFS, ast.ClassDef)):
            return guarded
        # for / with / try / match: their headers are expressions, their bodies blocks. Not
        # looked into, as ever: the items of a `with`, the `except*` clauses, the `case`s.
        if isinstance(stmt, (ast.For, ast.AsyncFor)):
            self._expression(stmt.target, guarded)
            self._expression(stmt.iter, guarded)
            self._block(stmt.body, guarded)
            self._block(stmt.orelse, guarded)
            return guarded
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            self._block(stmt.body, guarded)
            return guarded
        if isinstance(stmt, ast.Try):
            self._block(stmt.body, guarded)
            for handler in stmt.handlers:
                self._block(handler.body, guarded)
            self._block(stmt.orelse, guarded)
            self._block(stmt.finalbody, guarded)
            return guarded
        try_star = getattr(ast, "TryStar", None)
        if try_star is not None and isinstance(stmt, try_star):
            self._block(stmt.body, guarded)  # type: ignore[attr-defined]
            self._block(stmt.orelse, guarded)  # type: ignore[attr-defined]
            self._block(stmt.finalbody, guarded)  # type: ignore[attr-defined]
            return guarded
        if isinstance(stmt, ast.Match):
            self._expression(stmt.subject, guarded)
            return guarded
        if isinstance(stmt, ast.Assign) and self._compared(stmt.value):
            # `inside = i < n`: a guard kept in a variable; trust it from here on.
            guarded = guarded | self._compared(stmt.value)
        self._expression(stmt, guarded)
        return guarded

    def _expression(self, node: ast.AST, guarded: frozenset[str]) -> None:
        if isinstance(node, (ast.Lambda, *FUNCTION_DEFS)):
            return
        if isinstance(node, ast.IfExp):
            checked = self._compared(node.test)
            self._expression(node.test, guarded)
            self._expression(node.body, guarded | checked)
            self._expression(node.orelse, guarded | checked)
            return
        if isinstance(node, ast.BoolOp):
            # Each operand runs only once those to its left have been evaluated.
            for value in node.values:
                self._expression(value, guarded)
                guarded = guarded | self._compared(value)
            return
        if isinstance(node, ast.Subscript):
            self._subscript(node, guarded)
        for child in m.children(node):
            self._expression(child, guarded)

    def _subscript(self, node: ast.Subscript, guarded: frozenset[str]) -> None:
        for index in self._indices_of(node.slice):
            if isinstance(index, ast.Slice) or _clamped(index):
                continue
            for used in self._used_indices(index):
                if used not in guarded and used not in self._reported:
                    self._reported.add(used)
                    self.report(node, self.message.format(index=used))

    def _indices_of(self, index: ast.expr) -> list[ast.expr]:
        """The indices of `a[i, j]` one by one; `a[(i, j)]` is one index, a tuple."""
        if not isinstance(index, ast.Tuple) or self.ctx.module.parenthesized(index):
            return [index]
        return index.elts

    def _used_indices(self, expr: ast.AST, *, outside_subscripts: bool = False) -> list[str]:
        """Global indices `expr` reads (`INLINE` for a `cuda.grid()` call in it)."""
        found: list[str] = []
        self._collect_indices(expr, outside_subscripts, found)
        return found

    def _collect_indices(self, node: ast.AST, outside_subscripts: bool, found: list[str]) -> None:
        # A method, not a closure that calls itself: that cycle would keep the module alive.
        indices = self._indices
        if outside_subscripts and isinstance(node, ast.Subscript):
            self._collect_indices(node.value, outside_subscripts, found)
            return
        if isinstance(node, ast.Name) and node.id in indices:
            found.append(node.id)
        elif self._is_grid_call(node):
            found.append(INLINE)
            return
        elif isinstance(node, (ast.keyword, ast.arg)) and node.arg in indices:
            # A keyword argument's or a lambda parameter's name, which has always counted
            # as a use of the index (see `matching.identifiers`).
            found.append(node.arg)  # type: ignore[arg-type]
        for child in m.children(node):
            self._collect_indices(child, outside_subscripts, found)
        if isinstance(node, ast.Attribute) and node.attr in indices:
            found.append(node.attr)  # `o.i`, likewise

    def _ends_in_exit(self, body: list[ast.stmt]) -> bool:
        # Control never leaves a block past a return (or raise, break, continue) among its
        # own statements, wherever that statement stands in the block.
        return any(isinstance(s, EXITS) for s in body)


def _clamped(index: ast.expr) -> bool:
    """`i % n`, `min(i, n - 1)`: the author keeps the index in range another way."""
    for operation in m.findall(index, m.BinOp()):
        assert isinstance(operation, ast.BinOp)
        if isinstance(operation.op, ast.Mod):
            return True
    for call in m.findall(index, m.Call(func=m.Name())):
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
        if call.func.id in CLAMPS:
            return True
    return False
