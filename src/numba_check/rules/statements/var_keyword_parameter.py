from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.statements._scopes import SourceText, called_names


class VarKeywordParameter(Rule):
    """## What it does
    Flags a `**kwargs` parameter on a compiled function, or on a function nested in compiled
    code that the compiled code calls.

    `*args`, keyword-only parameters (`def f(x, *, k=2)`) and keyword arguments at call sites
    compile and are not flagged.

    ## Why is this bad?
    Numba has no type for a `**kwargs` mapping. Calling the compiled function fails with
    "TypeError: not enough arguments: expected 2, got 1" (or "missing argument 'kwargs'" when
    keywords are passed); an explicit signature fails with "Signature mismatch", a `jitclass`
    method with "VAR_KEYWORD argument type unsupported", and an inner function with an
    internal `AssertionError` while closures are inlined.

    ## Example
    ```python
    @njit
    def scale(x, **options):
        return x * 2
    ```

    ## Use instead
    Name the parameters, with defaults:
    ```python
    @njit
    def scale(x, factor=2):
        return x * factor
    ```
    """

    code = "NB117"
    name = "var-keyword-parameter"
    severity = Severity.ERROR
    # forceobj=True fails the same way: the dispatcher cannot bind the arguments.
    object_mode = True
    message = "Numba cannot compile a `**{name}` parameter; name the keyword parameters instead"
    targets = CPU_TARGETS

    VALID = (
        Valid("import numba\n@numba.njit\ndef f(n, *, k=2):\n    return n * k\n", call="f(3, k=4)"),
        Valid("import numba\n@numba.njit\ndef f(*args):\n    return len(args)\n", call="f(3, 4)"),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    def g(a, **kw):\n        return a\n"
            "    return n\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n, **kw):\n    return n\n",
            line=3,
            column=10,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\ndef g(n, **kw):\n    return n\nf = njit(g)\n",
            line=2,
            call="f(3, a=1)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    def g(a, **kw):\n        return a\n"
            "    return g(n)\n",
            line=4,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.jit(forceobj=True)\ndef f(n, **kw):\n    return n\n",
            line=3,
            call="f(3)",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        assert ctx.function is not None
        self._check(ctx.function.node.args)
        self._called: set[str] | None = None

    def _check(self, params: ast.arguments) -> None:
        star = params.kwarg
        if star is not None:
            # Reported: `**name`, as libcst's parameter was (`ast`'s `arg` is the name and its
            # annotation).
            source = SourceText(self.ctx.module)
            name = source.start(star)
            line, column = source.skip_back(name)
            end = (name[0], name[1] + len(star.arg))
            where = source.located((line, column - len("**")), end, star.arg)
            self.report(where, self.message.format(name=star.arg))

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        # An inner function is inlined where it is called; one never called is never compiled.
        if node.args.kwarg is None:
            return
        if self._called is None:
            assert self.ctx.function is not None
            self._called = called_names(self.ctx.function.node.body)
        if node.name in self._called:
            self._check(node.args)

    visit_AsyncFunctionDef = visit_FunctionDef
