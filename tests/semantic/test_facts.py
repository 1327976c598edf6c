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
