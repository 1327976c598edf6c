from __future__ import annotations

import ast

from numba_check import matching as m
from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, ModuleRule, Valid

# The seeding functions, and the prefix of the functions whose generator each one seeds.
SEEDS = {"numpy.random.seed": "numpy.random.", "random.seed": "random."}
NOT_DRAWS = frozenset(SEEDS) | {"numpy.random.default_rng", "numpy.random.Generator"}


class RandomSeedOutsideCompiledCode(ModuleRule):
    """## What it does
    Flags `np.random.seed(...)` or `random.seed(...)` called from Python code (module level,
    a plain function, a test) in a module whose compiled functions draw from the same
    module's generator (`np.random.random`, `np.random.normal`, `random.random`...).

    ## Why is this bad?
    Compiled code has its own generator state, separate from NumPy's and Python's. Seeding
    from Python leaves it alone: the compiled function still draws an unseeded sequence, so
    its results are not reproducible and differ from what the same code gives in Python.
    (Numba's documentation: "Calling np.random.seed() from non-Numba code (or from object
    mode code) will seed the NumPy random generator, not the Numba random generator.")

    ## Example
    ```python
    np.random.seed(42)

    @njit
    def noise(n):
        return np.random.normal(0.0, 1.0, n)
    ```

    ## Use instead
    Seed inside compiled code:
    ```python
    @njit
    def seed(s):
        np.random.seed(s)

    seed(42)
    ```
    or pass a `np.random.Generator` (`np.random.default_rng(42)`) in as an argument.
    """

    code = "NB312"
    name = "random-seed-outside-compiled-code"
    severity = Severity.WARNING
    message = (
        "`{seed}` here seeds the interpreter's generator, not the one compiled code draws "
        "from (in `{draws}`); seed inside a compiled function instead"
    )
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef seed(s):\n"
            "    np.random.seed(s)\n@njit\ndef f():\n    return np.random.random()\n"
            "def g():\n    seed(0)\n    return f()\n",
            call="g()",
        ),
        # Nothing compiled draws from NumPy's generator.
        Valid(
            "import numpy as np\nfrom numba import njit\nnp.random.seed(0)\nx = np.random.random(3)\n"
            "@njit\ndef f(a):\n    return a.sum()\n",
            call="f(x)",
        ),
        # A Generator passed in is seeded where it is made.
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(rng):\n"
            "    return rng.random()\ndef g():\n    return f(np.random.default_rng(0))\n",
            call="g()",
        ),
        # Seeding the stdlib generator does not concern compiled NumPy draws.
        Valid(
            "import random\nimport numpy as np\nfrom numba import njit\nrandom.seed(0)\n"
            "@njit\ndef f():\n    np.random.seed(1)\n    return np.random.random()\n",
            call="f()",
        ),
    )
    INVALID = (
        Invalid(
            "import numpy as np\nfrom numba import njit\nnp.random.seed(0)\n@njit\ndef f():\n"
            "    return np.random.random()\n",
            line=3,
            column=1,
            call="f()",
        ),
        Invalid(
            "import random\nimport numba\n@numba.njit\ndef f():\n    return random.random()\n"
            "def g():\n    random.seed(0)\n    return f()\n",
            line=7,
            call="g()",
        ),
        Invalid(
            "from numpy.random import seed, normal\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    return normal(0.0, 1.0, n)\ndef g():\n    seed(3)\n    return f(2)\n",
            call="g()",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._compiled_depth = 0
        self._draws = self._compiled_draws()

    def _compiled_draws(self) -> dict[str, str]:
        """Generator prefix -> the name of a compiled function that draws from it."""
        out: dict[str, str] = {}
        for function in self.ctx.module.compiled:
            if function.target not in CPU_TARGETS:
                continue
            for call in m.findall(function.node, m.Call()):
                assert isinstance(call, ast.Call)
                for name in self.ctx.qualified_names(call.func) - NOT_DRAWS:
                    for prefix in SEEDS.values():
                        if name.startswith(prefix) and name.count(".") == prefix.count("."):
                            out.setdefault(prefix, function.name)
        return out

    def active(self) -> bool:
        return bool(self._draws)  # no compiled function draws: no seed can be wrong

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if id(node) in self.ctx.module.compiled_nodes or self._compiled_depth:
            self._compiled_depth += 1

    def leave_FunctionDef(self, original_node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if self._compiled_depth:
            self._compiled_depth -= 1

    # libcst had one class for both kinds of def.
    visit_AsyncFunctionDef = visit_FunctionDef
    leave_AsyncFunctionDef = leave_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        if self._compiled_depth:
            return
        for seed in self.ctx.qualified_names(node.func) & set(SEEDS):
            draws = self._draws.get(SEEDS[seed])
            if draws is not None:
                shown = "np.random.seed" if seed.startswith("numpy") else seed
                self.report(node, self.message.format(seed=shown, draws=draws))
                return
