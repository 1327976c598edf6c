"""Names inside a compiled function: where they are bound, declared, called, and what they are.

Python decides a name's scope per function, so these helpers walk one function scope at a
time and never descend into nested functions, lambdas or classes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import libcst as cst
from libcst.metadata import BuiltinAssignment, ScopeProvider

from numba_check import matching as m
from numba_check.module_context import ModuleContext

NESTED_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


def target_names(target: cst.BaseExpression) -> Iterator[cst.Name]:
    """The names an assignment target binds: `x`, `a, (b, *c)`; not `o.x` or `o[i]`."""
    if isinstance(target, cst.Name):
        yield target
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from target_names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from target_names(target.value)


def binding_targets(node: cst.CSTNode) -> Iterator[cst.BaseExpression]:
    """The targets a statement or expression binds in its function's scope."""
    if isinstance(node, cst.Assign):
        for target in node.targets:
            yield target.target
    elif isinstance(node, (cst.AugAssign, cst.For, cst.NamedExpr)) or (
        isinstance(node, cst.AnnAssign) and node.value is not None
    ):
        yield node.target
    elif isinstance(node, cst.With):
        for item in node.items:
            if item.asname is not None:
                yield item.asname.name


def scope_nodes(body: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Every node of one function scope, nested functions, lambdas and classes left out.

    Comprehensions are walked: a walrus in one binds in the enclosing function.
    """
    nodes = m.walk(body, prune=NESTED_SCOPES)
    next(nodes)  # `body` itself
    yield from nodes


def declared(body: cst.CSTNode, kind: type[cst.Global] | type[cst.Nonlocal]) -> set[str]:
    """Names a function declares `global` (or `nonlocal`) in its own scope."""
    if not m.findall(body, m.Global() if kind is cst.Global else m.Nonlocal()):
        return set()  # the common case, answered from the module's index
    return {
        item.name.value
        for node in scope_nodes(body)
        if isinstance(node, kind)
        for item in node.names
    }


def called_names(body: cst.CSTNode) -> set[str]:
    """Names called directly (`g(...)`) anywhere in `body`, nested functions included."""
    return {
        call.func.value
        for call in m.findall(body, m.Call(func=m.Name()))
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Name)
    }


def is_builtin(module: ModuleContext, name: cst.Name) -> bool:
    """Whether `name` can only mean the builtin of that name (nothing rebinds it)."""
    scope = module.wrapper.resolve(ScopeProvider).get(name)
    if scope is None:
        return False
    assignments = scope[name.value]
    return bool(assignments) and all(isinstance(a, BuiltinAssignment) for a in assignments)


def assigned_nodes(module: ModuleContext, name: cst.Name) -> list[cst.CSTNode] | None:
    """The target nodes of every binding of `name` in the scope it is read from.

    A parameter's node is its `Param`, an import's its `Import`. None when the scope is
    unknown, nothing binds the name, or it is a builtin.
    """
    scope = module.wrapper.resolve(ScopeProvider).get(name)
    if scope is None:
        return None
    assignments = scope[name.value]
    if not assignments or any(isinstance(a, BuiltinAssignment) for a in assignments):
        return None
    return [a.node for a in assignments]  # type: ignore[attr-defined]


def names_bound_to(body: cst.CSTNode, predicate: Callable[[cst.BaseExpression], bool]) -> set[int]:
    """Ids of the `x` in every `x = value` in `body` whose value satisfies `predicate`.

    Compare with :func:`assigned_nodes` to know that every binding of a name is such a one.
    """
    found: set[int] = set()
    for node in m.findall(body, m.Assign()):
        target = node.targets[0].target
        if len(node.targets) == 1 and isinstance(target, cst.Name) and predicate(node.value):
            found.add(id(target))
    return found


def always_bound_to(module: ModuleContext, name: cst.Name, candidates: set[int]) -> bool:
    """Whether every binding of `name`, where it is read, is one of `candidates`."""
    bound = assigned_nodes(module, name)
    return bool(bound) and all(id(b) in candidates for b in bound)
