"""Typed bindings: what each binding of a name binds it to, for the whole module, in one pass.

The scope analysis (`numba_check.names`) says which bindings a name may refer to; this table says
how each binding binds: ``x = value``, ``x += value``, ``for x in iterable``, a parameter with its
default and annotation, an import with its qualified name, a def, a class. It is keyed by the node
`names.Binding.node` holds (the `Name` target, the `arg`, the statement), so a rule goes from a
name to its bindings with the scope analysis and from a binding to its value with this table.
"""

from __future__ import annotations

import ast
import enum
from dataclasses import dataclass

from numba_check import matching as m


class How(enum.Enum):
    ASSIGN = "="  # `x = value`, `x: T = value`, `x = y = value`
    AUGMENT = "op="  # `x += value`: `op` is the operator
    UNPACK = "unpack"  # `x, y = value`: `index` is x's position in the target
    LOOP = "for"  # `for x in iterable` (a statement or a comprehension clause)
    WALRUS = ":="
    WITH = "with"  # `with value as x`
    PARAMETER = "parameter"  # `value` is the default, `annotation` the annotation
    IMPORT = "import"  # `qualified` is what it names
    DEF = "def"
    CLASS = "class"
    EXCEPT = "except"  # `except E as x`: `value` is E
    DECLARED = "declared"  # `x: T` without a value
    OTHER = "other"  # pattern captures, type parameters, `del`-free oddities


@dataclass(frozen=True, eq=False)
class TypedBinding:
    """One binding with what it binds. `node` is the binding's node in the scope analysis."""

    how: How
    node: ast.AST
    statement: ast.AST  # the statement (or comprehension clause, or def) that binds
    value: ast.expr | None = None
    annotation: ast.expr | None = None
    op: ast.operator | None = None
    index: tuple[int, ...] = ()  # for UNPACK: the path of the name in the target
    qualified: str | None = None  # for IMPORT


_BINDERS = (
    m.Assign()
    | m.AnnAssign()
    | m.AugAssign()
    | m.For()
    | m.AsyncFor()
    | m.comprehension()
    | m.NamedExpr()
    | m.withitem()
    | m.FunctionDef()
    | m.AsyncFunctionDef()
    | m.Lambda()
    | m.ClassDef()
    | m.Import()
    | m.ImportFrom()
    | m.ExceptHandler()
    | m.MatchAs()
    | m.MatchStar()
    | m.MatchMapping()
)


_CAPTURES = (ast.MatchAs, ast.MatchStar, ast.MatchMapping)


def collect(tree: ast.Module) -> dict[int, TypedBinding]:
    """Every binding of the module, by the id of its node (see `TypedBinding.node`)."""
    table: dict[int, TypedBinding] = {}
    for node in m.findall(tree, _BINDERS):
        _add(node, table)
    return table


def _targets(
    target: ast.expr, path: tuple[int, ...] = ()
) -> list[tuple[ast.Name, tuple[int, ...]]]:
    """The names of an assignment target with their position in it (``(a, (b, c))``)."""
    if isinstance(target, ast.Name):
        return [(target, path)]
    if isinstance(target, (ast.Tuple, ast.List)):
        out = []
        for i, elt in enumerate(target.elts):
            if isinstance(elt, ast.Starred):
                out += [(n, ()) for n, _ in _targets(elt.value, (i,))]
            else:
                out += _targets(elt, (*path, i))
        return out
    return []  # an attribute or a subscript binds no name


def _bind_target(
    target: ast.expr, statement: ast.AST, value: ast.expr | None, how: How, table: dict
) -> None:
    if isinstance(target, ast.Name):
        table[id(target)] = TypedBinding(how, target, statement, value)
        return
    unpack = How.UNPACK if how is How.ASSIGN else how
    for name, path in _targets(target):
        table[id(name)] = TypedBinding(unpack, name, statement, value, index=path)


def _add(node: ast.AST, table: dict[int, TypedBinding]) -> None:
    cls = type(node)
    if cls is ast.Assign:
        for target in node.targets:  # type: ignore[attr-defined]
            _bind_target(target, node, node.value, How.ASSIGN, table)  # type: ignore[attr-defined]
    elif cls is ast.AnnAssign:
        target = node.target  # type: ignore[attr-defined]
        if isinstance(target, ast.Name):
            how = How.ASSIGN if node.value is not None else How.DECLARED  # type: ignore[attr-defined]
            table[id(target)] = TypedBinding(
                how,
                target,
                node,
                node.value,
                annotation=node.annotation,  # type: ignore[attr-defined]
            )
    elif cls is ast.AugAssign:
        target = node.target  # type: ignore[attr-defined]
        if isinstance(target, ast.Name):
            table[id(target)] = TypedBinding(
                How.AUGMENT,
                target,
                node,
                node.value,
                op=node.op,  # type: ignore[attr-defined]
            )
    elif cls in (ast.For, ast.AsyncFor, ast.comprehension):
        for name, path in _targets(node.target):  # type: ignore[attr-defined]
            table[id(name)] = TypedBinding(How.LOOP, name, node, node.iter, index=path)  # type: ignore[attr-defined]
    elif cls is ast.NamedExpr:
        table[id(node.target)] = TypedBinding(How.WALRUS, node.target, node, node.value)  # type: ignore[attr-defined]
    elif cls is ast.withitem:
        if node.optional_vars is not None:  # type: ignore[attr-defined]
            _bind_target(node.optional_vars, node, node.context_expr, How.WITH, table)  # type: ignore[attr-defined]
    elif cls in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda):
        if cls is not ast.Lambda:
            table[id(node)] = TypedBinding(How.DEF, node, node)
        _parameters(node, table)  # type: ignore[arg-type]
    elif cls is ast.ClassDef:
        table[id(node)] = TypedBinding(How.CLASS, node, node)
    elif cls in (ast.Import, ast.ImportFrom):
        # One binding node for the whole statement, as the scope analysis has it; the
        # qualified name of each alias is asked of the scope analysis.
        table[id(node)] = TypedBinding(How.IMPORT, node, node)
    elif cls is ast.ExceptHandler and node.name:  # type: ignore[attr-defined]
        table[id(node)] = TypedBinding(How.EXCEPT, node, node, node.type)  # type: ignore[attr-defined]
    elif cls in _CAPTURES and (getattr(node, "name", None) or getattr(node, "rest", None)):
        # `case x`, `case [*rest]`, `case {**rest}`: the pattern is the binding's node.
        table[id(node)] = TypedBinding(How.OTHER, node, node)


def _parameters(
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, table: dict[int, TypedBinding]
) -> None:
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += args.defaults
    pairs = list(zip(positional, defaults, strict=True))
    pairs += list(zip(args.kwonlyargs, args.kw_defaults, strict=True))
    pairs += [(a, None) for a in (args.vararg, args.kwarg) if a is not None]
    for arg, default in pairs:
        table[id(arg)] = TypedBinding(How.PARAMETER, arg, node, default, annotation=arg.annotation)
