from __future__ import annotations

import ast

from numba_check import matching as m
from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid


class AsyncDefCompiled(Rule):
    """## What it does
    Flags a Numba-compiled `async def` (one without `await`, `async for` or `async with`,
    which Numba refuses outright).

    ## Why is this bad?
    Numba documents `async def` as unsupported, yet compiles it as a plain function: calling
    it runs the body at once and returns the value, where Python returns a coroutine to
    await. `await f(x)` then fails, and `asyncio` code that relies on it breaks.

    ## Example
    ```python
    @njit
    async def score(x):
        return x * 2
    ```

    ## Use instead
    Compile a plain function and call it from the coroutine:
    ```python
    @njit
    def _score(x):
        return x * 2

    async def score(x):
        return _score(x)
    ```
    """

    code = "NB507"
    name = "async-def-compiled"
    severity = Severity.WARNING
    message = (
        "Numba compiles `async def {name}` as a plain function: calling it returns the value, "
        "not a coroutine; compile a plain `def` and await a wrapper instead"
    )
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    return x + 1\n"
            "async def g(x):\n    return f(x)\n"
            "def demo():\n    c = g(2)\n    name = type(c).__name__\n    c.close()\n"
            "    return name, f(2)\n",
            call="demo()",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\nasync def f(x):\n    return x + 1\n"
            "def demo():\n    c = f(2)\n    name = type(c).__name__\n"
            "    getattr(c, 'close', lambda: None)()\n    return name\n",
            line=3,
            column=11,
            call="demo()",
        ),
        Invalid(
            "from numba import njit as fast\nasync def slow(x):\n    return x * 2\n"
            "f = fast(slow)\n",
            line=2,
        ),
    )

    def finish(self) -> None:
        function = self.ctx.function
        assert function is not None
        node = function.node
        if not isinstance(node, ast.AsyncFunctionDef):
            return
        # With await / async for / async with, Numba refuses the bytecode: not our concern.
        awaits = m.Await() | m.AsyncFor() | m.AsyncWith()
        if any(m.findall(stmt, awaits) for stmt in node.body):
            return
        # Where the function's name is written, not the `async def` line's start: what this
        # rule always reported.
        self.report(self.ctx.module.name_of(node), self.message.format(name=node.name))
