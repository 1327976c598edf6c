"""What the source makes certain about a value inside one compiled function.

The semantic rules warn only where the result is certain to differ from Python, so every
question here answers True only when the source leaves no doubt: a parameter, a call to
something unknown or a name bound in two different ways answers False ("don't know").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

import libcst as cst

from numba_check import matching as m
from numba_check.module_context import ModuleContext, builtin_name
from numba_check.rules.base import Rule
from numba_check.rules.semantics.int_list_assigned_float import FLOAT_FUNCTIONS, FLOAT_NAMES

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
UINT64_MAX = 2**64 - 1

PRANGE = frozenset({"numba.prange", "numba.misc.special.prange"})
# NumPy scalar constructors whose result is inexact whatever the argument.
INEXACT_NUMPY = frozenset(
    f"numpy.{n}" for n in ("float16", "float32", "float64", "double", "complex64", "complex128")
)
INEXACT_BUILTINS = frozenset({"float", "complex"})
# Builtins that give a Python (never an array) number or bool.
SCALAR_BUILTINS = frozenset({"len", "int", "float", "ord", "round"})
BOOL_BUILTINS = frozenset({"bool", "isinstance", "hasattr", "callable"})

# A type question about an expression, given the names already being looked into.
Predicate = Callable[[cst.BaseExpression, frozenset[str]], bool]


def called_builtin(module: ModuleContext, node: cst.BaseExpression, *names: str) -> bool:
    """Whether `node` is a call of one of the builtins `names` with one positional argument."""
    if not isinstance(node, cst.Call) or builtin_name(module, node.func) not in names:
        return False
    return len(node.args) == 1 and node.args[0].keyword is None and not node.args[0].star


def is_range_call(module: ModuleContext, node: cst.BaseExpression) -> bool:
    if not isinstance(node, cst.Call):
        return False
    return builtin_name(module, node.func) == "range" or bool(
        module.qualified_names(node.func) & PRANGE
    )


@dataclass
class FunctionFacts:
    """How each local name of one compiled function is bound.

    Names bound only by plain ``name = value`` statements keep their values; names bound by
    ``for name in range(...)`` are integer loop variables; every other way of binding
    (parameters, unpacking, ``with ... as``, walrus, a nested function's own locals) makes a
    name opaque, and an opaque name is never certain to be anything.
    """

    values: dict[str, list[cst.BaseExpression]] = field(default_factory=dict)
    augmented: dict[str, list[cst.AugAssign]] = field(default_factory=dict)
    range_vars: set[str] = field(default_factory=set)
    opaque: set[str] = field(default_factory=set)
    params: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, module: ModuleContext, function: cst.FunctionDef) -> FunctionFacts:
        facts = cls()
        collector = _Bindings(module, facts)
        for param in _params(function.params):
            facts.params.add(param)
            facts.opaque.add(param)
        m.visit(function.body, collector)
        # A loop variable rebound in any other way is not certainly an int any more.
        facts.range_vars -= facts.opaque | set(facts.values) | set(facts.augmented)
        return facts

    def known(self, name: str) -> bool:
        """Bound only by plain assignments in this function."""
        return name in self.values and name not in self.opaque and name not in self.range_vars


def _params(params: cst.Parameters) -> Iterator[str]:
    for p in (*params.posonly_params, *params.params, *params.kwonly_params):
        yield p.name.value
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            yield star.name.value


class _Bindings(cst.CSTVisitor):
    def __init__(self, module: ModuleContext, facts: FunctionFacts) -> None:
        super().__init__()
        self.module = module
        self.facts = facts
        self.depth = 0  # > 0 inside a nested function, lambda or class: another scope

    def _opaque(self, target: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            self.facts.opaque.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._opaque(element.value)
        elif isinstance(target, cst.StarredElement):
            self._opaque(target.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.facts.opaque.add(node.name.value)
        for param in _params(node.params):
            self.facts.opaque.add(param)
        self.depth += 1

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth -= 1

    def visit_Lambda(self, node: cst.Lambda) -> None:
        for param in _params(node.params):
            self.facts.opaque.add(param)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.facts.opaque.add(node.name.value)
        self.depth += 1

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self.depth -= 1

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name) and self.depth == 0:
                self.facts.values.setdefault(target.target.value, []).append(node.value)
            else:
                self._opaque(target.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name) and node.value is not None and self.depth == 0:
            self.facts.values.setdefault(node.target.value, []).append(node.value)
        else:
            self._opaque(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):
            if self.depth == 0:
                self.facts.augmented.setdefault(node.target.value, []).append(node)
            else:
                self._opaque(node.target)

    def visit_For(self, node: cst.For) -> None:
        if (
            isinstance(node.target, cst.Name)
            and self.depth == 0
            and is_range_call(self.module, node.iter)
        ):
            self.facts.range_vars.add(node.target.value)
        else:
            self._opaque(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._opaque(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._opaque(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._opaque(node.asname.name)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._opaque(node.name.name)

    def visit_Del(self, node: cst.Del) -> None:
        self._opaque(node.target)

    def visit_Global(self, node: cst.Global) -> None:
        for item in node.names:
            self.facts.opaque.add(item.name.value)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        for item in node.names:
            self.facts.opaque.add(item.name.value)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        name = node.asname.name if node.asname is not None else node.name
        while isinstance(name, cst.Attribute):
            name = name.value
        self._opaque(name)


class Types:
    """Type questions about expressions of one compiled function."""

    def __init__(self, module: ModuleContext, function: cst.FunctionDef) -> None:
        self.module = module
        self.facts = FunctionFacts.of(module, function)

    def _all_values(self, name: str, test: Predicate, seen: frozenset[str]) -> bool:
        if name in seen or not self.facts.known(name):
            return False
        seen = seen | {name}
        return all(test(v, seen) for v in self.facts.values[name])

    # -- float or complex ---------------------------------------------------------------------

    def is_inexact(self, node: cst.BaseExpression, seen: frozenset[str] = frozenset()) -> bool:
        """Certainly a float or complex number (or an array of them, for `/` and float math)."""
        if isinstance(node, (cst.Float, cst.Imaginary)):
            return True
        if isinstance(node, cst.BinaryOperation):
            if isinstance(node.operator, cst.Divide):
                return True
            if isinstance(node.operator, cst.Modulo) and isinstance(node.left, cst.BaseString):
                return False  # `"%s" % x` formats a string
            if isinstance(
                node.operator,
                (cst.Add, cst.Subtract, cst.Multiply, cst.Modulo, cst.FloorDivide, cst.Power),
            ):
                return self.is_inexact(node.left, seen) or self.is_inexact(node.right, seen)
            return False
        if isinstance(node, cst.UnaryOperation) and isinstance(
            node.operator, (cst.Minus, cst.Plus)
        ):
            return self.is_inexact(node.expression, seen)
        if isinstance(node, cst.IfExp):
            return self.is_inexact(node.body, seen) and self.is_inexact(node.orelse, seen)
        if isinstance(node, cst.Call):
            if builtin_name(self.module, node.func) in INEXACT_BUILTINS:
                return True
            if builtin_name(self.module, node.func) == "abs" and node.args:
                return self.is_inexact(node.args[0].value, seen)
            names = self.module.qualified_names(node.func)
            return bool(names & (FLOAT_FUNCTIONS | INEXACT_NUMPY))
        if isinstance(node, cst.Attribute):
            return bool(self.module.qualified_names(node) & FLOAT_NAMES)
        if isinstance(node, cst.Name):
            if self.module.qualified_names(node) & FLOAT_NAMES:
                return True
            return self._all_values(node.value, self.is_inexact, seen)
        return False

    # -- scalars and bools ----------------------------------------------------------------------

    def is_scalar(self, node: cst.BaseExpression, seen: frozenset[str] = frozenset()) -> bool:
        """Certainly a Python number (never an array): literals, len(), int(), loop counters."""
        if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary)):
            return True
        if isinstance(node, cst.Name):
            if node.value in self.facts.range_vars:
                return True
            return self._all_values(node.value, self.is_scalar, seen)
        if isinstance(node, cst.Call):
            return builtin_name(self.module, node.func) in SCALAR_BUILTINS
        if isinstance(node, cst.UnaryOperation) and isinstance(
            node.operator, (cst.Minus, cst.Plus)
        ):
            return self.is_scalar(node.expression, seen)
        if isinstance(node, cst.BinaryOperation) and isinstance(
            node.operator,
            (cst.Add, cst.Subtract, cst.Multiply, cst.Divide, cst.FloorDivide, cst.Modulo),
        ):
            return self.is_scalar(node.left, seen) and self.is_scalar(node.right, seen)
        return False

    def is_int(self, node: cst.BaseExpression, seen: frozenset[str] = frozenset()) -> bool:
        """Certainly a Python (int64) integer that is not a compile-time constant."""
        if isinstance(node, cst.Name):
            if node.value in self.facts.range_vars:
                return True
            return self._all_values(node.value, self._int_value, seen)
        return called_builtin(self.module, node, "len", "int")

    def _int_value(self, node: cst.BaseExpression, seen: frozenset[str]) -> bool:
        return isinstance(node, cst.Integer) or self.is_int(node, seen)

    def is_bool(self, node: cst.BaseExpression, seen: frozenset[str] = frozenset()) -> bool:
        """Certainly a scalar bool (a Python bool, never a boolean array)."""
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
            return True
        if isinstance(node, cst.Comparison):
            identity = (cst.Is, cst.IsNot, cst.In, cst.NotIn)
            if all(isinstance(c.operator, identity) for c in node.comparisons):
                return True
            operands = [node.left, *(c.comparator for c in node.comparisons)]
            return all(self.is_scalar(o) for o in operands)
        if isinstance(node, cst.BooleanOperation):
            return self.is_bool(node.left, seen) and self.is_bool(node.right, seen)
        if isinstance(node, cst.Call):
            return builtin_name(self.module, node.func) in BOOL_BUILTINS
        if isinstance(node, cst.Name):
            if node.value in ("True", "False"):
                return True
            if node.value in self.facts.augmented:
                return False
            return self._all_values(node.value, self.is_bool, seen)
        return False


# -- integer constants as CPython folds them ------------------------------------------------------

# CPython's AST optimiser folds integer arithmetic only while the result stays small
# (Python/ast_opt.c, MAX_INT_SIZE = 128 bits): `10**20` and `1 << 70` become one constant
# that Numba must type (and refuses: "Int value is too large"), `2**70` is computed at run
# time, by Numba in int64 (and wraps to 0).
MAX_INT_SIZE = 128
# Beyond this many bits we do not compute the exact value (and stay silent).
MAX_BITS = 4096


@dataclass(frozen=True)
class IntConst:
    value: int
    # CPython folds the whole expression into one constant.
    folded: bool
    # Some constant CPython folds inside it lies outside int64 (uint64 or too large for Numba).
    wide: bool


def fits_int64(value: int) -> bool:
    return INT64_MIN <= value <= INT64_MAX


def _bits(value: int) -> int:
    return abs(value).bit_length()


def _cpython_folds(op: cst.BaseBinaryOp, left: int, right: int) -> bool:
    """Whether CPython 3.8-3.13 folds `left op right` (safe_multiply/power/lshift limits)."""
    if isinstance(op, cst.Multiply):
        return not (left and right) or _bits(left) + _bits(right) <= MAX_INT_SIZE
    if isinstance(op, cst.Power):
        if left and right > 0:
            return _bits(left) <= MAX_INT_SIZE // right
        return right >= 0
    if isinstance(op, cst.LeftShift):
        if right < 0:
            return False
        if left and right:
            return right <= MAX_INT_SIZE and _bits(left) <= MAX_INT_SIZE - right
        return True
    return True


def _apply(op: cst.BaseBinaryOp, left: int, right: int) -> int | None:
    """The exact Python int result, or None when it is not an int or too big to compute."""
    if isinstance(op, cst.Add):
        return left + right
    if isinstance(op, cst.Subtract):
        return left - right
    if isinstance(op, cst.Multiply):
        return left * right
    if isinstance(op, cst.Power):
        if right < 0 or _bits(left) * right > MAX_BITS:
            return None
        return left**right
    if isinstance(op, cst.LeftShift):
        if right < 0 or _bits(left) + right > MAX_BITS:
            return None
        return left << right
    if isinstance(op, cst.RightShift):
        return None if right < 0 else left >> right
    if isinstance(op, cst.FloorDivide):
        return None if right == 0 else left // right
    if isinstance(op, cst.Modulo):
        return None if right == 0 else left % right
    if isinstance(op, cst.BitAnd):
        return left & right
    if isinstance(op, cst.BitOr):
        return left | right
    if isinstance(op, cst.BitXor):
        return left ^ right
    return None


# Operations Numba performs on int64 at run time with wrap-around, like C.
WRAPPING = (cst.Add, cst.Subtract, cst.Multiply, cst.Power, cst.LeftShift)


def int_constant(module: ModuleContext, node: cst.BaseExpression) -> IntConst | None:
    """The value of an integer expression made of literals, and what CPython folds of it."""
    if isinstance(node, cst.Integer):
        value = int(node.evaluated_value)
        return IntConst(value, True, not fits_int64(value))
    if isinstance(node, cst.UnaryOperation):
        inner = int_constant(module, node.expression)
        if inner is None:
            return None
        if isinstance(node.operator, cst.Minus):
            value = -inner.value
        elif isinstance(node.operator, cst.Plus):
            value = inner.value
        elif isinstance(node.operator, cst.BitInvert) and inner.folded:
            value = ~inner.value
        else:
            return None
        if inner.folded:
            return IntConst(value, True, not fits_int64(value))
        return IntConst(value, False, inner.wide)
    if isinstance(node, cst.BinaryOperation):
        left = int_constant(module, node.left)
        right = int_constant(module, node.right) if left is not None else None
        if left is None or right is None:
            return None
        value = _apply(node.operator, left.value, right.value)
        if value is None:
            return None
        if left.folded and right.folded and _cpython_folds(node.operator, left.value, right.value):
            return IntConst(value, True, not fits_int64(value))
        if not isinstance(node.operator, WRAPPING):
            return None
        return IntConst(value, False, left.wide or right.wide)
    if called_builtin(module, node, "abs"):
        assert isinstance(node, cst.Call)
        inner = int_constant(module, node.args[0].value)
        if inner is None:
            return None
        return IntConst(abs(inner.value), False, inner.wide)
    return None


def descendants(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    for child in m.children(node):
        yield child
        yield from descendants(child)


class TypedRule(Rule):
    """A rule that asks type questions about the compiled function it looks at."""

    @cached_property
    def types(self) -> Types:
        assert self.ctx.function is not None
        return Types(self.ctx.module, self.ctx.function.node)
