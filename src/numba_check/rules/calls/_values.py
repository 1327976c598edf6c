"""What a value in compiled code provably is, for the call rules: the layer's type of it.

The answer is `semantic.type_of` (names read along the flow, through the bindings that reach
the read), of which the call rules look only at the outer kind: a str, bytes, a list, a set, a
dict, an array, an iterator. A str says how literal it is: `NonLiteral(Str())` when certainly
built at run time (``str(x)``, a str method, an f-string with a field, ``s += ...``, an item of
a list), plain `Str()` for either; Numba types a str the source spells as a literal as
``Literal[str]``, which a few operations accept where a run-time ``unicode_type`` is refused
(``float("1.5")`` since 0.60).
"""

from __future__ import annotations

import ast

from numba_check.module_context import ModuleContext
from numba_check.semantic import types as t
from numba_check.semantic.bindings import How

# The kinds of value the call rules judge; any other type is as good as unknown to them.
_KINDS = (t.Str, t.Bytes, t.ListOf, t.SetOf, t.DictOf, t.Array, t.Iterator)


def value_type(module: ModuleContext, node: ast.expr) -> t.Type:
    """What `node` provably evaluates to, or `UNKNOWN` when the source does not say."""
    found = module.semantic.type_of(node)
    return found if isinstance(t.unliteral(found), _KINDS) else t.UNKNOWN


def is_str(module: ModuleContext, node: ast.expr) -> bool:
    return str_type(value_type(module, node))


def str_type(found: t.Type) -> bool:
    """A str, literal or not."""
    return isinstance(t.unliteral(found), t.Str)


def is_runtime_str(found: t.Type) -> bool:
    """A str that is certainly no literal (``unicode_type``)."""
    return isinstance(found, t.NonLiteral) and isinstance(found.type, t.Str)


LITERAL_UNROLL = frozenset({"numba.literal_unroll", "numba.misc.literal.literal_unroll"})


def is_loop_variable(module: ModuleContext, node: ast.expr) -> bool:
    """Whether every binding of `node` that reaches it is a `for` loop's target (the name
    itself, not unpacked).

    A loop over ``literal_unroll(...)`` does not count: its variable may stay a literal.
    """
    reaching = module.semantic.reaching(node) if isinstance(node, ast.Name) else None
    if not reaching:
        return False
    for binding in reaching:
        iterable = binding.value
        if binding.how is not How.LOOP or iterable is None:
            return False
        if getattr(binding.statement, "target", None) is not binding.node:
            return False
        if (
            isinstance(iterable, ast.Call)
            and module.qualified_names(iterable.func) & LITERAL_UNROLL
        ):
            return False
    return True
