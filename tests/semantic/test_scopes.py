"""The layer's scoping follows Python's, with the stdlib `symtable` as the oracle: which names
are local to a function, and which of them a nested function or lambda captures."""

from __future__ import annotations

import ast
import symtable
import textwrap

import pytest

from numba_check.module_context import ModuleContext

SOURCES = [
    # plain locals, parameters, a global declaration, a loop target, a walrus
    """
    G = 1
    def f(a, *args, b=2, **kw):
        global G
        G = a
        x = 1
        for i in range(3):
            x += i
        if (y := x) > 1:
            pass
        return x + y
    """,
    # a class body is not an enclosing scope for the functions nested in it
    """
    def f(n):
        k = n
        class C:
            k = 3
            def m(self):
                return k
        return C
    """,
    # nonlocal: the inner function's binding is the outer one's
    """
    def f(n):
        total = 0
        def add(x):
            nonlocal total
            total += x
        add(n)
        return total
    """,
    # a lambda and a comprehension that read the enclosing function's names
    """
    def f(n, m):
        scale = 2
        g = lambda x: x * scale + n
        ys = [v * m for v in range(n)]
        return g, ys
    """,
    # a name read in a nested function before the outer one binds it, and one never bound
    """
    def f(n):
        def g():
            return later + undefined_here
        later = n
        return g
    """,
    # a walrus in a comprehension binds in the function; a comprehension's own targets do not
    """
    def f(xs):
        ys = [(last := x) * 2 for x in xs if x]
        return ys, last
    """,
    # match captures bind in the function, `_` binds nothing
    """
    def f(v):
        match v:
            case [first, *rest]:
                return first, rest
            case {"k": value, **others}:
                return value, others
            case (int() as n) | [n, _]:
                return n
    """,
    # a read before the binding is still of the local; annotations are read where Python
    # evaluates them (a parameter's in the enclosing scope)
    """
    T = int
    def f(a: T, b=T) -> T:
        print(x)
        x: T = a
        x = x + b
        return x
    """,
    # a class body in a function: what it binds is its own, what it does not is the function's
    """
    def f(n):
        k = n
        class C:
            j = k
            m = n
            n = 3
        return C
    """,
    # except ... as, with ... as, import, del
    """
    def f(path):
        import os
        try:
            pass
        except ValueError as err:
            pass
        with open(path) as fh:
            data = fh
        del data
        return os
    """,
]


def _symtable_functions(table: symtable.SymbolTable) -> dict[tuple[str, int], symtable.Function]:
    out = {}
    stack = [table]
    while stack:
        current = stack.pop()
        if isinstance(current, symtable.Function):
            out[(current.get_name(), current.get_lineno())] = current
        stack.extend(current.get_children())
    return out


@pytest.mark.parametrize("source", [textwrap.dedent(s) for s in SOURCES])
def test_locals_and_captures_match_symtable(source: str) -> None:
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source)
    sem = ctx.semantic
    oracle = _symtable_functions(symtable.symtable(source, "<case>", "exec"))
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        facts = sem.function(node)
        table = oracle[(node.name, node.lineno)]
        assert facts.local_names == frozenset(table.get_locals()), node.name
        for nested in facts.nested:
            if isinstance(nested, ast.ClassDef):
                continue
            name = "lambda" if isinstance(nested, ast.Lambda) else nested.name
            inner = oracle[(name, nested.lineno)]
            # What the nested function captures from here: its free names (and those of the
            # functions nested in it) that are local here.
            frees = set()
            stack = [inner]
            while stack:
                current = stack.pop()
                if isinstance(current, symtable.Function):
                    frees |= set(current.get_frees())
                stack.extend(current.get_children())
            assert facts.captures(nested) == frozenset(frees & set(table.get_locals())), name


def _tables(table: symtable.SymbolTable) -> dict[tuple[str, int], symtable.SymbolTable]:
    out = {}
    stack = [table]
    while stack:
        current = stack.pop()
        out[(current.get_name(), current.get_lineno())] = current
        stack.extend(current.get_children())
    return out


def _key(scope) -> tuple[str, int]:
    node = scope.node
    if isinstance(node, ast.Module):
        return ("top", 0)
    if isinstance(node, ast.Lambda):
        return ("lambda", node.lineno)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return (node.name, node.lineno)
    kinds = {ast.ListComp: "listcomp", ast.SetComp: "setcomp", ast.DictComp: "dictcomp"}
    return (kinds.get(type(node), "genexpr"), node.lineno)


@pytest.mark.parametrize("source", [textwrap.dedent(s) for s in SOURCES])
def test_every_read_resolves_as_symtable_says(source: str) -> None:
    """Each read of a name refers to the scope Python's compiler resolves it in: a local of its
    own scope, a free variable of the nearest enclosing function that binds it (class bodies
    skipped), or a global (a module-level binding or a builtin)."""
    tree = ast.parse(source)
    names = ModuleContext(tree, source).names
    tables = _tables(symtable.symtable(source, "<case>", "exec"))
    checked = 0
    for node in ast.walk(tree):
        if not isinstance(node, ast.Name) or not isinstance(node.ctx, ast.Load):
            continue
        scope = names.scope_of(node)
        table = tables.get(_key(scope))
        if table is None:  # Python 3.12+ inlines comprehensions into their function's table
            continue
        symbol = table.lookup(node.id)
        found = {b.scope for b in names.bindings(node) if not b.is_builtin}
        if symbol.is_global() or symbol.is_declared_global():
            assert found <= {names.module_scope}, (node.id, node.lineno)
        elif symbol.is_free():
            (owner,) = found
            assert owner is not scope and owner.kind == "function", (node.id, node.lineno)
            owner_symbol = tables[_key(owner)].lookup(node.id)
            assert owner_symbol.is_local() or owner_symbol.is_parameter(), (node.id, node.lineno)
        else:
            assert symbol.is_local(), (node.id, node.lineno)
            assert found == {scope}, (node.id, node.lineno)
        checked += 1
    assert checked
