from __future__ import annotations

import ast
import tokenize

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Location, Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.statements._scopes import called_names


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
        self._check(ctx.function.node)
        self._called: set[str] | None = None

    def _check(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        star = node.args.kwarg
        if star is not None:
            # Reported: `**name`, as libcst's parameter was (`ast`'s `arg` is the name and its
            # annotation).
            module = self.ctx.module
            name = module.span(star)[0]
            end = Location(name.line, name.column + len(star.arg))
            start = _stars_before(module.lines, node.lineno, name)
            self.report(module.at(start, end), self.message.format(name=star.arg))

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        # An inner function is inlined where it is called; one never called is never compiled.
        if node.args.kwarg is None:
            return
        if self._called is None:
            assert self.ctx.function is not None
            self._called = called_names(self.ctx.function.node.body)
        if node.name in self._called:
            self._check(node)

    visit_AsyncFunctionDef = visit_FunctionDef


def _stars_before(lines: list[str], def_line: int, name: Location) -> Location:
    """Where the `**` before the parameter `name` is, read from the tokens of the def's
    header (blanks, comments and line breaks may come between them); `name` if not found."""
    header = [*lines[def_line - 1 : name.line - 1], lines[name.line - 1][: name.column]]
    found, rest = name, iter(header)
    try:
        for token in tokenize.generate_tokens(lambda: next(rest, "")):
            if token.string == "**":
                found = Location(def_line + token.start[0] - 1, token.start[1])
    except (tokenize.TokenError, SyntaxError):
        pass  # the header stops at the name, inside its parentheses
    return found
