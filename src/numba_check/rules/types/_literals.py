"""What the types rules share: the names under an expression, required parameters, and name
resolution through the module's scope analysis (`names`). The type of a literal, whether types
unify and the words messages use for them are the layer's (`semantic.infer.literal_type`,
`semantic.types.unify_all`, `converts_safely`, `short_names`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from numba_check import matching as m
from numba_check.module_context import ModuleContext
from numba_check.names import Binding

FUNCTION_LIKE = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def names_in(node: ast.AST) -> Iterator[ast.Name]:
    """Every Name under `node`, `node` included, outside nested functions and lambdas."""
    for found in _names_in(node, constants=False):
        assert isinstance(found, ast.Name)
        yield found


def names_and_constants_in(node: ast.AST) -> Iterator[ast.Name | ast.Constant]:
    """`names_in`, with the `True`, `False` and `None` literals among them, in source order
    (libcst, which this was written for, parsed those three as names)."""
    return _names_in(node, constants=True)  # type: ignore[return-value]


def _names_in(node: ast.AST, *, constants: bool) -> Iterator[ast.AST]:
    # An explicit stack: a 250-term sum is 250 levels of BinOp.
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Name):
            yield current
            continue
        if constants and isinstance(current, ast.Constant):
            if current.value is None or current.value is True or current.value is False:
                yield current
            continue
        if isinstance(current, FUNCTION_LIKE):
            continue
        if isinstance(current, ast.Attribute):
            stack.append(current.value)  # `a.b`: `b` is no variable
            continue
        kids = m.children(current)
        kids.reverse()
        stack.extend(kids)


def required_parameter(arguments: ast.arguments, param: ast.arg) -> bool:
    """Whether `param` is a plain or keyword-only parameter without a default (positional-only
    ones and `*args`/`**kwargs` are not counted)."""
    positional = [*arguments.posonlyargs, *arguments.args]
    first_default = len(positional) - len(arguments.defaults)
    for index, arg in enumerate(positional):
        if arg is param:
            return len(arguments.posonlyargs) <= index < first_default
    for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
        if arg is param:
            return default is None
    return False


def own_bindings(module: ModuleContext, name: ast.Name, function: ast.AST) -> list[Binding] | None:
    """The bindings of `name` in `function`'s own scope, when
    `name` is read or bound directly in that scope; else None.

    A name declared ``global``/``nonlocal`` there has none: its bindings belong to the scope
    the declaration names.
    """
    scope = module.names.scope_of(name)
    if scope is None or scope.kind != "function" or scope.node is not function:
        return None
    return list(scope.assignments.get(name.id, ()))


def references(module: ModuleContext, binding: Binding, root: ast.AST) -> list[ast.Name]:
    """The names under `root` that read (or ``del``) what `binding` binds, in source order:
    those whose referents (`Names.referents`, Python's scoping) include it."""
    names = module.names
    out: list[ast.Name] = []
    for found in m.findall(root, m.Name(binding.name)):
        assert isinstance(found, ast.Name)
        if any(b is binding for b in names.referents(found)):  # empty unless it is a read
            out.append(found)
    return out
