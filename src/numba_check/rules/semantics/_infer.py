"""What the source makes certain about a value inside one compiled function.

The semantic rules warn only where the result is certain to differ from Python, so every
question here answers True only when the source leaves no doubt: a parameter, a call to
something unknown or a name bound in two different ways answers False ("don't know").
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from numba_check import matching as m
from numba_check.compiled import FunctionNode
from numba_check.module_context import ModuleContext
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
Predicate = Callable[[ast.expr, frozenset[str]], bool]


# -- literals -------------------------------------------------------------------------------------


def literal_of(node: ast.AST | None, *types: type) -> bool:
    """Whether `node` is a literal whose value is exactly of one of `types` (``int`` leaves
    out ``True``/``False``, which were names, not numbers, in the old tree)."""
    return isinstance(node, ast.Constant) and type(node.value) in types


def is_int_literal(node: ast.AST | None) -> bool:
    return literal_of(node, int)


def is_string(node: ast.AST | None) -> bool:
    """A string or bytes literal, concatenated or formatted."""
    return literal_of(node, str, bytes) or isinstance(node, ast.JoinedStr)


def arguments(call: ast.Call) -> list[ast.expr]:
    """The values of all of a call's arguments in source order, positional and keyword,
    ``*x``/``**x`` unwrapped to ``x`` (as the argument list of the old tree had them)."""
    values = [a.value if isinstance(a, ast.Starred) else a for a in call.args]
    if not call.keywords:
        return values
    pairs = [(a.lineno, a.col_offset, v) for a, v in zip(call.args, values, strict=True)]
    pairs += [(k.lineno, k.col_offset, k.value) for k in call.keywords]
    pairs.sort(key=lambda pair: (pair[0], pair[1]))
    return [v for _, _, v in pairs]


def called_builtin(module: ModuleContext, node: ast.AST, *names: str) -> bool:
    """Whether `node` is a call of one of the builtins `names` with one positional argument."""
    if not isinstance(node, ast.Call) or module.semantic.builtin(node.func) not in names:
        return False
    return len(node.args) == 1 and not node.keywords and not isinstance(node.args[0], ast.Starred)


def is_range_call(module: ModuleContext, node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    return module.semantic.builtin(node.func) == "range" or bool(
        module.qualified_names(node.func) & PRANGE
    )


# -- source text around nodes ---------------------------------------------------------------------

_OPENING = frozenset("([{")
_BRACKETS = frozenset("()[]{}")


# -- bindings -------------------------------------------------------------------------------------


@dataclass
class FunctionFacts:
    """How each local name of one compiled function is bound (read from the semantic layer's
    `FunctionFacts.forms`).

    Names bound only by plain ``name = value`` statements keep their values; names bound by
    ``for name in range(...)`` are integer loop variables; every other way of binding
    (parameters, unpacking, ``with ... as``, walrus, a nested function's own locals) makes a
    name opaque, and an opaque name is never certain to be anything.
    """

    values: Mapping[str, list[ast.expr]] = field(default_factory=dict)
    augmented: Mapping[str, list[ast.AugAssign]] = field(default_factory=dict)
    range_vars: set[str] = field(default_factory=set)
    opaque: set[str] = field(default_factory=set)
    params: frozenset[str] = frozenset()

    @classmethod
    def of(cls, module: ModuleContext, function: FunctionNode) -> FunctionFacts:
        forms = module.semantic.function(function).forms
        opaque = set(forms.parameters | forms.other)
        range_vars = set()
        for name, iterables in forms.loops.items():
            for iterable in iterables:
                if is_range_call(module, iterable):
                    range_vars.add(name)
                else:
                    opaque.add(name)
        # A loop variable rebound in any other way is not certainly an int any more.
        range_vars -= opaque | set(forms.assigned) | set(forms.augmented)
        return cls(forms.assigned, forms.augmented, range_vars, opaque, forms.parameters)

    def known(self, name: str) -> bool:
        """Bound only by plain assignments in this function."""
        return name in self.values and name not in self.opaque and name not in self.range_vars


class Types:
    """Type questions about expressions of one compiled function."""

    def __init__(self, module: ModuleContext, function: FunctionNode) -> None:
        self.module = module
        self.facts = FunctionFacts.of(module, function)

    def _all_values(self, name: str, test: Predicate, seen: frozenset[str]) -> bool:
        if name in seen or not self.facts.known(name):
            return False
        seen = seen | {name}
        return all(test(v, seen) for v in self.facts.values[name])

    # -- float or complex ---------------------------------------------------------------------

    def is_inexact(self, node: ast.expr, seen: frozenset[str] = frozenset()) -> bool:
        """Certainly a float or complex number (or an array of them, for `/` and float math)."""
        if literal_of(node, float, complex):
            return True
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Div):
                return True
            if isinstance(node.op, ast.Mod) and is_string(node.left):
                return False  # `"%s" % x` formats a string
            if isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Mod, ast.FloorDiv, ast.Pow)):
                return self.is_inexact(node.left, seen) or self.is_inexact(node.right, seen)
            return False
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            return self.is_inexact(node.operand, seen)
        if isinstance(node, ast.IfExp):
            return self.is_inexact(node.body, seen) and self.is_inexact(node.orelse, seen)
        if isinstance(node, ast.Call):
            if self.module.semantic.builtin(node.func) in INEXACT_BUILTINS:
                return True
            values = arguments(node)
            if self.module.semantic.builtin(node.func) == "abs" and values:
                return self.is_inexact(values[0], seen)
            names = self.module.qualified_names(node.func)
            return bool(names & (FLOAT_FUNCTIONS | INEXACT_NUMPY))
        if isinstance(node, ast.Attribute):
            return bool(self.module.qualified_names(node) & FLOAT_NAMES)
        if isinstance(node, ast.Name):
            if self.module.qualified_names(node) & FLOAT_NAMES:
                return True
            return self._all_values(node.id, self.is_inexact, seen)
        return False

    # -- scalars and bools ----------------------------------------------------------------------

    def is_scalar(self, node: ast.expr, seen: frozenset[str] = frozenset()) -> bool:
        """Certainly a Python number (never an array): literals, len(), int(), loop counters."""
        if literal_of(node, int, float, complex):
            return True
        if isinstance(node, ast.Name):
            if node.id in self.facts.range_vars:
                return True
            return self._all_values(node.id, self.is_scalar, seen)
        if isinstance(node, ast.Call):
            return self.module.semantic.builtin(node.func) in SCALAR_BUILTINS
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            return self.is_scalar(node.operand, seen)
        if isinstance(node, ast.BinOp) and isinstance(
            node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod)
        ):
            return self.is_scalar(node.left, seen) and self.is_scalar(node.right, seen)
        return False

    def is_int(self, node: ast.expr, seen: frozenset[str] = frozenset()) -> bool:
        """Certainly a Python (int64) integer that is not a compile-time constant."""
        if isinstance(node, ast.Name):
            if node.id in self.facts.range_vars:
                return True
            return self._all_values(node.id, self._int_value, seen)
        return called_builtin(self.module, node, "len", "int")

    def _int_value(self, node: ast.expr, seen: frozenset[str]) -> bool:
        return is_int_literal(node) or self.is_int(node, seen)

    def is_bool(self, node: ast.expr, seen: frozenset[str] = frozenset()) -> bool:
        """Certainly a scalar bool (a Python bool, never a boolean array)."""
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return True
        if isinstance(node, ast.Compare):
            identity = (ast.Is, ast.IsNot, ast.In, ast.NotIn)
            if all(isinstance(op, identity) for op in node.ops):
                return True
            operands = [node.left, *node.comparators]
            return all(self.is_scalar(o) for o in operands)
        if isinstance(node, ast.BoolOp):
            return all(self.is_bool(v, seen) for v in node.values)
        if isinstance(node, ast.Call):
            return self.module.semantic.builtin(node.func) in BOOL_BUILTINS
        if literal_of(node, bool):
            return True
        if isinstance(node, ast.Name):
            if node.id in self.facts.augmented:
                return False
            return self._all_values(node.id, self.is_bool, seen)
        return False


def descendants(node: ast.AST) -> Iterator[ast.AST]:
    # A stack, not nested generators: each item of a generator nested n deep costs n steps.
    stack = m.children(node)[::-1]
    while stack:
        child = stack.pop()
        yield child
        stack.extend(m.children(child)[::-1])


class TypedRule(Rule):
    """A rule that asks type questions about the compiled function it looks at."""

    @cached_property
    def types(self) -> Types:
        assert self.ctx.function is not None
        return Types(self.ctx.module, self.ctx.function.node)
