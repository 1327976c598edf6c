"""Per-function facts: returns, yields, raises with their enclosing handlers, nesting; and the
types the layer gives common expressions."""

from __future__ import annotations

import ast
import textwrap

from numba_check.module_context import ModuleContext

SOURCE = textwrap.dedent(
    """
    import numpy as np
    from numba import njit

    @njit("float64(int64, float64[:])")
    def f(n, xs):
        def inner():
            return 1
        try:
            if n:
                raise ValueError("n")
        except ValueError:
            raise
        for i in range(n):
            yield xs[i] * 2
        return None
    """
)


def test_function_facts() -> None:
    tree = ast.parse(SOURCE)
    ctx = ModuleContext(tree, SOURCE)
    facts = ctx.semantic.function(ctx.compiled[0].node)
    assert [r.lineno for r in facts.returns] == [16]  # not the nested function's
    assert [y.lineno for y in facts.yields] == [15] and facts.is_generator
    first, second = facts.raises
    assert [h.lineno for h in facts.enclosing_handlers(first)] == [12]
    assert facts.enclosing_handlers(second) == ()
    assert [type(n).__name__ for n in facts.nested] == ["FunctionDef"]
    # The signature types the parameters, so the yielded value is known.
    assert ctx.semantic.type_of(facts.yields[0].value).describe() == "float64"


def test_expression_types() -> None:
    source = textwrap.dedent(
        """
        import numpy as np
        from numba.typed import List
        def g(n):
            return (np.zeros((2, 3), dtype=np.int32), np.arange(3) / 2, np.sqrt(np.arange(4)),
                    [[1, 2], [3]], {'a': (1, 2.5)}, List([1.5]), np.zeros(3)[0], 'a' + 'b', len(n))
        """
    )
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source)
    ret = tree.body[-1].body[0].value
    assert [ctx.semantic.type_of(e).describe() for e in ret.elts] == [
        "array(int32, 2d)",
        "array(float64, 1d)",
        "array(float64, 1d)",
        "list(list(int64))",
        "dict(str, (int64, float64))",
        "ListType[float64]",
        "float64",
        "str",
        "int64",
    ]


def test_bound_forms() -> None:
    source = textwrap.dedent(
        """
        import numba
        G = 0
        @numba.njit
        def f(n, *rest, k=1):
            global G
            a = 1
            b: float = 2.0
            a += n
            for i in range(n):
                pass
            for j in rest:
                pass
            p, q = 1, 2
            import math as m
            with open("x") as fh:
                pass
            try:
                pass
            except ValueError as err:
                pass
            if (w := n) > 0:
                pass
            scale = lambda x: x * 2
            ys = [v for v in range(n)]
            def inner(c):
                d = c
            z = 3
            del z
            G = 4
            c: int
        """
    )
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source)
    forms = ctx.semantic.function(ctx.compiled[0].node).forms
    assert {k: len(v) for k, v in forms.assigned.items()} == {
        "a": 1,
        "b": 1,
        "scale": 1,
        "ys": 1,
        "z": 1,
        "G": 1,
    }
    assert [type(a.op).__name__ for a in forms.augmented["a"]] == ["Add"]
    assert {k: [ast.unparse(i) for i in v] for k, v in forms.loops.items()} == {
        "i": ["range(n)"],
        "j": ["rest"],
    }
    assert forms.parameters == {"n", "rest", "k"}
    # Bound another way, declared, deleted, or bound in a nested scope.
    assert forms.other == {"G", "p", "q", "m", "fh", "err", "w", "x", "v", "inner", "c", "d", "z"}


def _builtins(source: str) -> list[str | None]:
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    calls.sort(key=lambda n: (n.lineno, n.col_offset))
    return [ctx.semantic.builtin(c.func) for c in calls]


def test_one_builtin_check() -> None:
    assert _builtins("len(x)\nimport builtins\nbuiltins.abs(x)\n") == ["len", "abs"]
    assert _builtins("from builtins import any as anything\nanything(x)\n") == ["any"]
    # Shadowed, or shadowed on one path only: not certainly the builtin.
    assert _builtins("def len(x): pass\nlen(x)\n") == [None]
    assert _builtins("if c:\n    def len(x): pass\nlen(x)\n") == [None]
    # A star import may bring `any` (numpy's does); one from builtins still counts.
    assert _builtins("from numpy import *\nany(x)\n") == [None]
    assert _builtins("from numpy import *\nfrom builtins import any\nany(x)\n") == ["any"]


def test_declared_names() -> None:
    source = textwrap.dedent(
        """
        G = 0
        def f():
            global G
            x = 1
            def g():
                nonlocal x
                x = 2
                [G for G in range(3)]
            return g
        """
    )
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source)
    f = tree.body[1]
    g = f.body[2]
    assert ctx.semantic.function(f).declared("global") == {"G"}
    assert ctx.semantic.function(f).declared("nonlocal") == set()
    assert ctx.semantic.function(g).declared("nonlocal") == {"x"}
    assert ctx.semantic.function(g).declared("global") == set()


def test_numba_star_import_is_known() -> None:
    # `from numba import *` binds numba's known exports, none of them a builtin's name.
    assert _builtins("from numba import *\nint(x)\nlen(x)\n") == ["int", "len"]


def test_what_builds_what_is_known_once() -> None:
    """The NumPy functions, ndarray methods and str methods whose results the rule families
    used to know privately are typed by the layer."""
    source = textwrap.dedent(
        """
        import numpy as np
        def g(n, s):
            a = np.zeros((2, 3))
            return (np.linspace(0.0, 1.0, n), np.sort(a), a.reshape(6), a.ravel(),
                    np.zeros(3).T, a.real, 'ab'.title(), 'a,b'.split(','), str(n))
        """
    )
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source)
    ret = tree.body[-1].body[-1].value
    assert [ctx.semantic.type_of(e).describe() for e in ret.elts] == [
        "array(unknown)",
        "array(unknown)",
        "array(float64)",
        "array(float64, 1d)",
        "array(float64, 1d)",
        "array(unknown, 2d)",
        "str",
        "list(str)",
        "str",
    ]


def test_cuda_constness_is_numba_literalness() -> None:
    from numba_check.rules.base import FunctionContext
    from numba_check.rules.cuda._facts import FunctionNames
    from numba_check.semantic import types as t

    source = textwrap.dedent(
        """
        from numba import cuda
        N = 4
        @cuda.jit
        def k(a, n):
            m = 2 * 16
            return (m, (N, 1), 2 * N, n, a.shape[0], cuda.threadIdx.x, "x", f(1), f(a))
        """
    )
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source)
    names = FunctionNames(FunctionContext(ctx.compiled[0], ctx, (0, 68)))
    ret = ctx.compiled[0].node.body[-1].value
    assert [names.constness(e) for e in ret.elts] == [
        t.Literal(t.INT64),
        t.Literal(t.Tuple((t.UNKNOWN, t.INT64))),
        t.NonLiteral(t.UNKNOWN),
        t.NonLiteral(t.UNKNOWN),
        t.NonLiteral(t.UNKNOWN),
        t.NonLiteral(t.UNKNOWN),
        t.Literal(t.Str()),
        t.UNKNOWN,  # what a call gives is not worked out...
        t.NonLiteral(t.UNKNOWN),  # ...but one given a run-time value gives one
    ]
