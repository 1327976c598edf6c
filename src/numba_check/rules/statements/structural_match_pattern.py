from __future__ import annotations

import ast
from collections.abc import Iterator

from numba_check.model import Location, Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.statements._scopes import char, past, skip

OPCODES = {
    # Both `[a, b]` and `(a, b)` (libcst's MatchList and MatchTuple).
    ast.MatchSequence: ("sequence", "MATCH_SEQUENCE"),
    ast.MatchClass: ("class", "MATCH_CLASS"),
    ast.MatchMapping: ("mapping", "MATCH_MAPPING"),
}


def _structural(pattern: ast.pattern) -> Iterator[ast.pattern]:
    """The outermost sequence, class and mapping patterns in `pattern`."""
    if type(pattern) in OPCODES:
        yield pattern
    elif isinstance(pattern, ast.MatchOr):
        for element in pattern.patterns:
            yield from _structural(element)
    elif isinstance(pattern, ast.MatchAs) and pattern.pattern is not None:
        yield from _structural(pattern.pattern)


class StructuralMatchPattern(Rule):
    """## What it does
    Flags `case` patterns that destructure in a `match` statement of compiled code: sequence
    patterns (`case (a, b):`, `case [x, *rest]:`), class patterns (`case int():`,
    `case Point(x=0):`) and mapping patterns (`case {"k": v}:`).

    Literal patterns (`case 1:`, `case "a":`, `case None:`), alternatives of them
    (`case 1 | 2:`), captures (`case x:`), guards and `_` compile and are not flagged.

    ## Why is this bad?
    Numba does not implement the bytecodes behind them: "Use of unsupported opcode
    (MATCH_SEQUENCE)" (`MATCH_CLASS`, `MATCH_MAPPING`), in object mode too.

    ## Example
    ```python
    @njit
    def f(t):
        match t:
            case (0, y):
                return y
            case _:
                return -1
    ```

    ## Use instead
    ```python
    @njit
    def f(t):
        if t[0] == 0:
            return t[1]
        return -1
    ```
    """

    code = "NB123"
    name = "structural-match-pattern"
    severity = Severity.ERROR
    # Refused while Numba analyses the bytecode, so in object mode too (forceobj, objmode).
    object_mode = True
    message = (
        "Numba cannot match a {kind} pattern ({opcode}); match literals only, "
        "or test with `if`/indexing"
    )

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    match n:\n        case 1 | 3:\n"
            "            return 10\n        case x if x > 5:\n            return x\n"
            "        case _:\n            return 0\n",
            call="f(3)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    t = (n, 1)\n    match t:\n"
            "        case (a, b):\n            return a + b\n        case _:\n            return 0\n",
            line=6,
            column=15,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\n@njit\ndef f(n):\n    match n:\n        case int():\n"
            "            return 1\n        case _:\n            return 0\n",
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    d = {1: n}\n    match d:\n"
            "        case {1: v}:\n            return v\n        case _:\n            return 0\n",
            line=6,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    t = (n, 1)\n    match t:\n"
            "        case (1, _) | (3, _):\n            return 1\n        case _:\n            return 0\n",
            line=6,
            count=2,
            call="f(3)",
        ),
    )

    def visit_match_case(self, node: ast.match_case) -> None:
        for pattern in _structural(node.pattern):
            kind, opcode = OPCODES[type(pattern)]
            self.report(self._reported(pattern), self.message.format(kind=kind, opcode=opcode))

    def _reported(self, pattern: ast.pattern) -> ast.AST:
        """`pattern`, but for a tuple pattern `(a, b)` what is inside its parentheses: libcst
        counted them as parentheses around it, outside its range."""
        if not isinstance(pattern, ast.MatchSequence):
            return pattern
        module = self.ctx.module
        start, end = module.span(pattern)
        if char(module.lines, start) != "(" or not module.parenthesized(pattern):
            return pattern
        inside = skip(module.lines, Location(start.line, start.column + 1))
        if not pattern.patterns:
            return module.at(inside, inside)
        # To the last element, past the parentheses around it and a trailing comma.
        close = Location(end.line, end.column - 1)
        last = module.span(pattern.patterns[-1])[1]
        return module.at(inside, past(module.lines, last, "),", stop=close))
