from __future__ import annotations

import ast

from numba_check import matching as m
from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Valid
from numba_check.rules.semantics._infer import (
    INT64_MAX,
    TypedRule,
    descendants,
    is_int_literal,
    is_range_call,
)
from numba_check.semantic.constants import fits_int64

# `x ** N` with an int x overflows int64 for every |x| >= 2 from this exponent on.
POWER_LIMIT = 64
# More iterations than this and a product of integers >= 2 surely passes 2**63.
MAX_SIMULATED = 10_000


class Int64Overflow(TypedRule):
    """## What it does
    Flags integer arithmetic in compiled code that certainly goes past 64 bits:
    - a constant expression that CPython leaves to run time and whose value does not fit
      int64: `2**70`, `3**70`, `1 << 200`, `abs(-2**63)`;
    - an integer raised to a literal power of 64 or more: `i ** 64` for a loop counter `i`;
    - a factorial-style product `acc *= i` over a `range` whose bound is an unchecked
      parameter (`range(2, n + 1)`) or a constant large enough to overflow.

    ## Why is this bad?
    Numba's integers are int64 and wrap around silently, like C: `2**70` is `0`,
    `factorial(25)` is `7034535277573963776`, `abs(-2**63)` stays negative. Python's ints
    grow without limit and give the exact value. No error, no warning.

    ## Example
    ```python
    @njit
    def factorial(n):
        acc = 1
        for i in range(2, n + 1):
            acc *= i
        return acc
    ```

    ## Use instead
    Accumulate in a float when an approximation is fine (`acc = 1.0`), check the bound
    (`if n > 20: raise ValueError(...)`), or keep exact big integers in plain Python.
    """

    code = "NB504"
    name = "int64-overflow"
    severity = Severity.WARNING
    message = (
        "{what} overflows int64 under Numba, which wraps around silently; Python's int does not"
    )
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    acc = 1.0\n    for i in range(2, n + 1):\n"
            "        acc *= i\n    return acc\n",
            call="f(25)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f():\n    acc = 1\n    for i in range(1, 21):\n"
            "        acc = acc * i\n    return acc\n",
            call="f()",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    if n > 20:\n        raise ValueError('n')\n"
            "    acc = 1\n    for i in range(2, n + 1):\n        acc *= i\n    return acc\n",
            call="f(20)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    acc = 1\n    for i in range(n):\n"
            "        acc *= i\n    return acc\n",
            call="f(30)",
        ),
        Valid("import numba\n@numba.njit\ndef f(x):\n    return x ** 64\n", call="f(1.5)"),
        Valid("import numba\n@numba.njit\ndef f():\n    return 2**62 + 2**62 - 1\n", call="f()"),
        Valid("import numba\n@numba.njit\ndef f():\n    return 2.0 ** 100\n", call="f()"),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    acc = 1\n    for i in range(2, n + 1):\n"
            "        acc *= i\n    return acc\n",
            line=6,
            column=9,
            call="f(25)",
        ),
        Invalid("import numba\n@numba.njit\ndef f():\n    return 2**70\n", line=4, call="f()"),
        Invalid("from numba import njit\n@njit\ndef f():\n    return abs(-2**63)\n", call="f()"),
        Invalid(
            "import numba as nb\n@nb.njit\ndef f(n):\n    s = 0\n    for i in range(n):\n"
            "        s += i ** 64\n    return s\n",
            line=6,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f():\n    acc = 1\n    for i in range(1, 30):\n"
            "        acc = acc * i\n    return acc\n",
            call="f()",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._inside: set[int] = set()

    # -- constant expressions and powers ------------------------------------------------------

    def _constant(self, node: ast.expr) -> bool:
        """Report a run-time constant expression that overflows; True when `node` is constant."""
        if id(node) in self._inside:
            return True
        const = self.ctx.semantic.int_constant(node)
        if const is None:
            return False
        self._inside.update(id(n) for n in descendants(node))
        # A folded constant beyond int64 is int-constant-too-large (or a uint64): not ours.
        if not const.folded and not const.wide and not fits_int64(const.value):
            code = self.ctx.module.quote(node)
            self.report(node, self.message.format(what=f"`{code}`"))
        return True

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        self._constant(node)

    def visit_Call(self, node: ast.Call) -> None:
        self._constant(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        if self._constant(node):
            return
        exponent = self.ctx.semantic.int_constant(node.right)
        if (
            isinstance(node.op, ast.Pow)
            and exponent is not None
            and exponent.value >= POWER_LIMIT
            and self.types.is_int(node.left)
        ):
            base = self.ctx.module.quote(node.left)
            self.report(
                node,
                self.message.format(what=f"`{base} ** {exponent.value}` (for |{base}| >= 2)"),
            )

    # -- factorial-style products ---------------------------------------------------------------

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        if not isinstance(node.target, ast.Name) or not is_range_call(self.ctx.module, node.iter):
            return
        if any(m.findall(stmt, m.Break()) for stmt in node.body):
            return  # a loop that can stop early has a bound we cannot see
        loop = node.target.id
        for stmt in _findall(node.body, m.AugAssign() | m.Assign()):
            assert isinstance(stmt, (ast.AugAssign, ast.Assign))
            acc = self._product_target(stmt, loop)
            initial = None if acc is None else self._initial_value(acc, loop)
            if initial is None:
                continue
            if self._overflows(node.iter, self._offset(stmt, loop), initial):
                self.report(
                    stmt,
                    self.message.format(
                        what=f"The running product `{acc}` (a factorial of the loop bound)"
                    ),
                )
                return

    visit_AsyncFor = visit_For

    def _factor(self, node: ast.expr, loop: str) -> int | None:
        """0 for `i`, c for `i + c` / `i - c`: the multiplicand's offset from the loop counter."""
        if isinstance(node, ast.Name) and node.id == loop:
            return 0
        if (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, (ast.Add, ast.Sub))
            and isinstance(node.left, ast.Name)
            and node.left.id == loop
            and is_int_literal(node.right)
        ):
            c = node.right.value  # type: ignore[attr-defined]
            return c if isinstance(node.op, ast.Add) else -c
        return None

    def _product_target(self, stmt: ast.AugAssign | ast.Assign, loop: str) -> str | None:
        """`acc` for `acc *= i` / `acc = acc * i` / `acc = i * acc`."""
        if isinstance(stmt, ast.AugAssign):
            if (
                isinstance(stmt.op, ast.Mult)
                and isinstance(stmt.target, ast.Name)
                and self._factor(stmt.value, loop) is not None
            ):
                return stmt.target.id
            return None
        assert isinstance(stmt, ast.Assign)
        if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
            return None
        acc = stmt.targets[0].id
        return acc if self._product_value(stmt.value, acc, loop) is not None else None

    def _product_value(self, value: ast.expr, acc: str, loop: str) -> int | None:
        if not isinstance(value, ast.BinOp) or not isinstance(value.op, ast.Mult):
            return None
        for mine, other in ((value.left, value.right), (value.right, value.left)):
            if isinstance(mine, ast.Name) and mine.id == acc:
                return self._factor(other, loop)
        return None

    def _offset(self, stmt: ast.AugAssign | ast.Assign, loop: str) -> int:
        if isinstance(stmt, ast.AugAssign):
            offset = self._factor(stmt.value, loop)
        else:
            target = stmt.targets[0]
            assert isinstance(target, ast.Name)
            offset = self._product_value(stmt.value, target.id, loop)
        assert offset is not None
        return offset

    def _initial_value(self, acc: str, loop: str) -> int | None:
        """The largest start of `acc` when it starts from non-zero int literals and is only
        ever multiplied by the counter, else None."""
        facts = self.types.facts
        if acc in facts.opaque or acc in facts.range_vars:
            return None
        starts = []
        for value in facts.values.get(acc, ()):
            if is_int_literal(value):
                starts.append(value.value)  # type: ignore[attr-defined]
            elif self._product_value(value, acc, loop) is None:
                return None
        for aug in facts.augmented.get(acc, ()):
            if not isinstance(aug.op, ast.Mult) or self._factor(aug.value, loop) is None:
                return None
        if not starts or 0 in starts:
            return None
        return max(abs(s) for s in starts)

    def _overflows(self, call: ast.expr, offset: int, initial: int) -> bool:
        assert isinstance(call, ast.Call)
        args = call.args
        if (
            not 1 <= len(args) <= 3
            or call.keywords
            or any(isinstance(a, ast.Starred) for a in args)
        ):
            return False
        start, stop, step = (
            (ast.Constant(0), args[0], ast.Constant(1))
            if len(args) == 1
            else (
                args[0],
                args[1],
                args[2] if len(args) == 3 else ast.Constant(1),
            )
        )
        begin, by = self.ctx.semantic.int_constant(start), self.ctx.semantic.int_constant(step)
        if begin is None or by is None or by.value <= 0:
            return False
        if begin.value + offset < 1:
            return False  # the product starts at zero (or goes negative): not a factorial
        end = self.ctx.semantic.int_constant(stop)
        if end is not None:
            values = range(begin.value, end.value, by.value)
            return _product_overflows(values, offset, initial)
        return self._unchecked_bound(stop)

    def _unchecked_bound(self, stop: ast.expr) -> bool:
        """`n` / `n + 1` where `n` is a parameter the function never compares or clamps."""
        if isinstance(stop, ast.BinOp) and isinstance(stop.op, (ast.Add, ast.Sub)):
            if not is_int_literal(stop.right):
                return False
            stop = stop.left
        if not isinstance(stop, ast.Name) or stop.id not in self.types.facts.params:
            return False
        name = stop.id
        facts = self.types.facts
        if name in facts.values or name in facts.augmented:
            return False
        function = self.ctx.function
        assert function is not None
        guards = _findall(function.node.body, m.Compare() | m.Call() | m.Assert())
        for guard in guards:
            if isinstance(guard, ast.Call) and not (
                isinstance(guard.func, ast.Name) and guard.func.id in ("min", "max")
            ):
                continue
            # Attribute and keyword names count too (`x.n < 3`), as they always did.
            if name in m.identifiers(guard):
                return False
        return True


def _findall(statements: list[ast.stmt], pattern: m.Pattern) -> list[ast.AST]:
    return [node for stmt in statements for node in m.findall(stmt, pattern)]


def _product_overflows(values: range, offset: int, start: int) -> bool:
    if len(values) > MAX_SIMULATED:
        return True
    product = start
    for v in values:
        product *= v + offset
    return product > INT64_MAX
