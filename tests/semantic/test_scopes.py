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
