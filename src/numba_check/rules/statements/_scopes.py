"""Names inside a compiled function: where they are bound, declared, called, and what they are.

Python decides a name's scope per function, so these helpers walk one function scope at a
time and never descend into nested functions, lambdas or classes.

And where a few things are in the source that `ast` gives no node of its own (`as name`, what
is inside a generator expression's parentheses): :func:`skip` and :func:`past`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator, Sequence

from numba_check import matching as m
from numba_check.model import Location
from numba_check.module_context import ModuleContext
from numba_check.rules.base import FunctionContext

NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def target_names(target: ast.expr) -> Iterator[ast.Name]:
    """The names an assignment target binds: `x`, `a, (b, *c)`; not `o.x` or `o[i]`."""
    if isinstance(target, ast.Name):
        yield target
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from target_names(element)
    elif isinstance(target, ast.Starred):
        yield from target_names(target.value)


def binding_targets(node: ast.AST) -> Iterator[ast.expr]:
    """The targets a statement or expression binds in its function's scope."""
    if isinstance(node, ast.Assign):
        yield from node.targets
    elif isinstance(node, (ast.AugAssign, ast.For, ast.AsyncFor, ast.NamedExpr)) or (
        isinstance(node, ast.AnnAssign) and node.value is not None
    ):
        yield node.target
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        for item in node.items:
            if item.optional_vars is not None:
                yield item.optional_vars


def deleted(module: ModuleContext, node: ast.Delete) -> list[ast.expr]:
    """The targets of `del a, b` one by one; those of `del (a, b)` too, not of `del (a, b),`.

    As libcst read the statement: one target, a tuple when there are several, whose elements
    are taken, and which is only one level deep (`del (a, b), c` deletes `(a, b)` and `c`).
    """
    targets = node.targets
    if len(targets) != 1 or not isinstance(targets[0], ast.Tuple):
        return list(targets)
    # `del (a, b)` and `del (a, b),` are the same to `ast`; the second is a tuple of one.
    tail = module.code_for(module.at(module.span(targets[0])[1], module.span(node)[1]))
    return [targets[0]] if "," in tail else list(targets[0].elts)


def scope_nodes(body: Sequence[ast.stmt]) -> Iterator[ast.AST]:
    """Every node of one function scope (the statements of its `body`), nested functions,
    lambdas and classes left out.

    Comprehensions are walked: a walrus in one binds in the enclosing function.
    """
    for statement in body:
        if isinstance(statement, NESTED_SCOPES):
            yield statement  # `walk` would go into the one it starts from
        else:
            yield from m.walk(statement, prune=NESTED_SCOPES)


def called_names(body: Sequence[ast.stmt]) -> set[str]:
    """Names called directly (`g(...)`) anywhere in `body`, nested functions included."""
    return {
        call.func.id
        for call in m.findall_in(body, m.Call(func=m.Name()))
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
    }


def assigned_nodes(module: ModuleContext, name: ast.Name) -> list[ast.AST] | None:
    """The target nodes of every binding of `name` in the scope it is read from.

    A parameter's node is its `ast.arg`, an import's its `Import`. None when the scope is
    unknown, nothing binds the name, or it is a builtin.
    """
    scope = module.names.scope_of(name)
    if scope is None:
        return None
    bindings = scope[name.id]
    if not bindings or any(b.is_builtin for b in bindings):
        return None
    return [b.node for b in bindings]


def names_bound_to(ctx: FunctionContext, predicate: Callable[[ast.expr], bool]) -> set[int]:
    """Ids of the `x` in every `x = value` of the compiled function (nested scopes included)
    whose value satisfies `predicate`, from the semantic layer.

    Compare with :func:`assigned_nodes` to know that every binding of a name is such a one.
    """
    assert ctx.function is not None
    facts = ctx.semantic.function(ctx.function.node)
    return {id(b.node) for b in facts.plain_assignments() if predicate(b.value)}  # type: ignore[arg-type]


def always_bound_to(module: ModuleContext, name: ast.Name, candidates: set[int]) -> bool:
    """Whether every binding of `name`, where it is read, is one of `candidates`."""
    bound = assigned_nodes(module, name)
    return bool(bound) and all(id(b) in candidates for b in bound)


# Where things are that `ast` gives no node of its own (` as e`, what is inside a generator
# expression's parentheses): read from `module.lines` next to a node, between tokens only
# (never inside a string), and reported with `module.at`.


def char(lines: Sequence[str], at: Location) -> str:
    """The character at `at`; empty past the end of its line or of the module."""
    return lines[at.line - 1][at.column : at.column + 1] if at.line <= len(lines) else ""


def skip(lines: Sequence[str], at: Location) -> Location:
    """The first position from `at` on that is not blank, a comment, or a line break or
    continuation (inside brackets a comment may sit between two tokens)."""
    line, column = at.line, at.column
    while line <= len(lines):
        text = lines[line - 1]
        while column < len(text) and text[column] in " \t\f":
            column += 1
        rest = text[column : column + 2]
        if not rest or rest[0] in "\n#" or rest in ("\\", "\\\n"):
            line, column = line + 1, 0
            continue
        break
    return Location(line, column)


def past(
    lines: Sequence[str], at: Location, closing: str, stop: Location | None = None
) -> Location:
    """Just past the characters of `closing` (``)`` that close parentheses around a node)
    that follow `at`, with only what :func:`skip` skips between them; `at` when none does.
    Stops at `stop` (a bracket of the enclosing node)."""
    end, position = at, skip(lines, at)
    while position != stop and char(lines, position) and char(lines, position) in closing:
        end = Location(position.line, position.column + 1)
        position = skip(lines, end)
    return end
