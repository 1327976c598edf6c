"""Comprehensions: which forms each Numba version and target compiles."""

from __future__ import annotations

import ast

from numba_check.compiled import CompiledFunction
from numba_check.matching import parents
from numba_check.model import Applicability, Location, Severity
from numba_check.module_context import ModuleContext
from numba_check.rules.base import Invalid, Rule, Transform, Valid, Version
from numba_check.rules.statements._scopes import char, past, skip

LIST_COMP_SINCE = (0, 34, 0)
DICT_COMP_SINCE = (0, 54, 0)


class ListComprehensionUnsupported(Rule):
    """## What it does
    Flags list and dict comprehensions where they do not compile: in CUDA code (all
    versions), list comprehensions on Numba older than 0.34, dict comprehensions older
    than 0.54.

    ## Why is this bad?
    On the CPU target list comprehensions compile since 0.34 and dict comprehensions since
    0.54. CUDA code cannot allocate, so every comprehension fails there ("Unknown attribute
    'append' of type list(undefined)").

    ## Example
    ```python
    @cuda.jit
    def kernel(out):
        squares = [i * i for i in range(4)]
        out[0] = squares[3]
    ```

    ## Use instead
    Write the loop, into a `cuda.local.array` of constant size:
    ```python
    @cuda.jit
    def kernel(out):
        squares = cuda.local.array(4, numba.int64)
        for i in range(4):
            squares[i] = i * i
        out[0] = squares[3]
    ```
    """

    code = "NB109"
    name = "comprehension-unsupported"
    severity = Severity.ERROR
    message = "CUDA code cannot use a {kind} comprehension (it allocates); write a loop into a `cuda.local.array`"
    applicability_note = "CUDA: all; CPU: list < 0.34.0, dict < 0.54.0"
    message_old = "Numba < {since} cannot compile a {kind} comprehension; write the loop out"

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    return [i * 2 for i in range(n)]\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    return len({i: i for i in range(n)})\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    return [i * 2 for i in range(n)]\n",
            target_numba="0.34",
        ),
    )
    INVALID = (
        Invalid(
            "from numba import cuda\n@cuda.jit\ndef k(out):\n    sq = [i * i for i in range(4)]\n"
            "    out[0] = sq[3]\n",
            line=4,
            column=10,
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    return [i * 2 for i in range(n)]\n",
            line=4,
            target_numba="0.33",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    return {i: i for i in range(n)}\n",
            line=4,
            target_numba="0.53",
        ),
    )

    # `applies` reads the options: a `@vectorize(target='cuda')` kernel runs on the GPU.
    reads_options = True

    @classmethod
    def applies(cls, function: CompiledFunction, version: Version) -> bool:
        return function.on_gpu or (version < DICT_COMP_SINCE and function.nopython(version))

    def visit_ListComp(self, node: ast.ListComp) -> None:
        self._check(node, "list", LIST_COMP_SINCE)

    def visit_DictComp(self, node: ast.DictComp) -> None:
        self._check(node, "dict", DICT_COMP_SINCE)

    def _check(self, node: ast.expr, kind: str, since: Version) -> None:
        if self.ctx.function.on_gpu:
            self.report(node, self.message.format(kind=kind))
        elif self.ctx.numba_version < since:
            self.report(node, self.message_old.format(kind=kind, since=f"{since[0]}.{since[1]}"))


class SetComprehension(Rule):
    """## What it does
    Flags set comprehensions in compiled code.

    ## Why is this bad?
    No Numba version compiles them: "Unknown attribute 'add' of type range_iter_int64".

    ## Example
    ```python
    @njit
    def distinct(a):
        return len({x for x in a})
    ```

    ## Use instead
    ```python
    @njit
    def distinct(a):
        return len(set([x for x in a]))   # or set(a), or np.unique(a).size
    ```

    ## Fix safety
    Safe: `set([...])` holds the same elements, computed in the same order; only a list is
    built first. Not offered in CUDA code, which cannot build a set at all.
    """

    code = "NB110"
    name = "set-comprehension"
    severity = Severity.ERROR
    # Refused in object mode too (forceobj, objmode blocks).
    object_mode = True
    message = "Numba cannot compile a set comprehension; build the set with a loop and `.add()` or use `set(...)`"
    fix_applicability = Applicability.SAFE
    fix_message = "Build the set from a list comprehension"

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    s = set()\n    for i in range(n):\n"
            "        s.add(i % 2)\n    return len(s)\n",
            call="f(5)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    return len({i % 2 for i in range(n)})\n",
            line=4,
            column=16,
            fixed="import numba\n@numba.njit\ndef f(n):\n"
            "    return len(set([i % 2 for i in range(n)]))\n",
            call="f(5)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(a):\n    s = {\n        x // 2\n"
            "        for x in a if x > 0\n    }\n    return sorted(s)\n",
            line=4,
            fixed="import numba\n@numba.njit\ndef f(a):\n    s = set([\n        x // 2\n"
            "        for x in a if x > 0\n    ])\n    return sorted(s)\n",
            call="f(np.arange(7))",
        ),
        Invalid(
            # Parenthesised: the parentheses stay.
            "import numba\n@numba.njit\ndef f(a):\n    return len(({x % 3 for x in a}))\n",
            line=4,
            fixed="import numba\n@numba.njit\ndef f(a):\n    return len((set([x % 3 for x in a])))\n",
            call="f(np.arange(7))",
        ),
    )

    def visit_SetComp(self, node: ast.SetComp) -> None:
        function = self.ctx.function
        if function is not None and function.on_gpu:
            self.report(node)
            return
        fix = Transform(node, "set-from-list", writes=(("set", "builtins.set"),))
        self.report(node, transform=fix)


class GeneratorExpression(Rule):
    """## What it does
    Flags generator expressions in compiled code, including the common `sum(x for x in a)`.

    ## Why is this bad?
    No Numba version compiles them (numba issue #505): "The use of yield in a closure is
    unsupported."

    ## Example
    ```python
    @njit
    def total(a):
        return sum(x * x for x in a)
    ```

    ## Use instead
    ```python
    @njit
    def total(a):
        return sum([x * x for x in a])   # or an explicit loop, which allocates nothing
    ```

    ## Fix safety
    Safe, and offered where a generator expression is the only argument of `sum`, `min` or
    `max`: they take the list comprehension and consume every item either way. Not for `any`
    and `all`, which Numba refuses whatever their argument (NB206), nor in CUDA code.
    """

    code = "NB111"
    name = "generator-expression"
    severity = Severity.ERROR
    # Refused in object mode too (forceobj, objmode blocks).
    object_mode = True
    message = "Numba cannot compile a generator expression; use a list comprehension or a loop"
    fix_applicability = Applicability.SAFE
    fix_message = "Use a list comprehension"

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    return sum([i for i in range(n)])\n",
            call="f(4)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    return sum(i for i in range(n))\n",
            line=4,
            column=16,
            fixed="import numba\n@numba.njit\ndef f(n):\n    return sum([i for i in range(n)])\n",
            call="f(4)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(a):\n    return max((x * 2 for x in a if x < 4)), "
            "min(x for x in a)\n",
            line=4,
            count=2,
            fixed="import numba\n@numba.njit\ndef f(a):\n"
            "    return max(([x * 2 for x in a if x < 4])), min([x for x in a])\n",
            call="f(np.arange(6.0))",
        ),
        Invalid(
            # any/all: NB206 refuses them anyway, so there is no fix to offer.
            "import numba\n@numba.njit\ndef f(a):\n    return any(x > 2 for x in a)\n",
            line=4,
            no_fix=True,
            call="f(np.arange(6.0))",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    return list((i for i in range(n)))\n",
            line=4,
            no_fix=True,
            call="f(4)",
        ),
        Invalid(
            # Over several lines, a comment inside: kept where it was.
            "import numba\n@numba.njit\ndef f(a):\n    return sum(\n        x * 2  # doubled\n        for x in a\n    )\n",
            line=5,
            fixed="import numba\n@numba.njit\ndef f(a):\n    return sum(\n        [x * 2  # doubled\n        for x in a]\n    )\n",
            call="f(np.arange(4.0))",
        ),
    )

    _parent_map: dict[ast.AST, ast.AST] | None = None

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> None:
        reported = _inside_parentheses(self.ctx.module, node)
        if reported is node or not self._takes_a_list(node):
            self.report(reported)
            return
        self.report(reported, transform=Transform(node, "list-comprehension"))

    def _takes_a_list(self, node: ast.GeneratorExp) -> bool:
        """Whether `node` is the one argument of the builtin sum, min or max (CPU code)."""
        function = self.ctx.function
        if function is None or function.on_gpu:
            return False
        if self._parent_map is None:
            self._parent_map = parents(function.node)
        call = self._parent_map.get(node)
        if not isinstance(call, ast.Call) or call.args != [node] or call.keywords:
            return False
        return bool(self.ctx.semantic.builtin_names(call.func) & _LIST_TAKERS)


# The builtins that give the same result for a list comprehension as for a generator.
_LIST_TAKERS = frozenset({"builtins.sum", "builtins.min", "builtins.max"})


def _inside_parentheses(module: ModuleContext, node: ast.GeneratorExp) -> ast.AST:
    """What is reported of a generator expression: its range without its own parentheses
    (those of `f(x for x in a)`'s call when it has none), as libcst gave it; `ast` gives the
    range with them."""
    lines = module.lines
    start, end = module.span(node)
    close = Location(end.line, end.column - 1)
    if char(lines, start) != "(" or char(lines, close) != ")":
        return node
    # From the element (and any parentheses around it) to the last `in` or `if` clause (and
    # any around that).
    first = skip(lines, Location(start.line, start.column + 1))
    last = node.generators[-1].ifs[-1] if node.generators[-1].ifs else node.generators[-1].iter
    return module.at(first, past(lines, module.span(last)[1], ")", stop=close))
