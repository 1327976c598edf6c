from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid

# Module-level values Numba has no type for, by what builds them, with what to write instead.
# Each was refused as a global read in compiled code, Numba 0.57, 0.60, 0.63 and 0.68
# ("Untyped global name 'G': Cannot determine Numba type of <class 'range'>"...).
_BUILT_BY = {
    "builtins.range": ("a range object", "keep its bounds and call `range` inside the function"),
    "builtins.frozenset": ("a frozenset", "use a tuple, or build a set inside the function"),
    "functools.partial": (
        "a functools.partial object",
        "call the function with all its arguments inside the compiled function",
    ),
    "numpy.random.default_rng": (
        "NumPy random generator",
        "pass the generator as an argument (Numba accepts a `np.random.Generator` argument)",
    ),
    "numpy.random.Generator": (
        "NumPy random generator",
        "pass the generator as an argument (Numba accepts a `np.random.Generator` argument)",
    ),
    "numpy.random.RandomState": (
        "NumPy RandomState",
        "use `np.random.seed` and the `np.random.*` functions inside the compiled function",
    ),
}
_PLAIN_INSTANCE_ADVICE = (
    "make the class a `@jitclass` and pass the instance as an argument, or pass the fields "
    "the function needs"
)


class GlobalUntypedValue(Rule):
    """## What it does
    Flags a read, in compiled code, of a module-level name bound to a value Numba has no type
    for: an instance of a plain class of the module (`G = Config()`, the class having no base
    class and no decorator), a `range(...)`, a `frozenset(...)`, a
    `functools.partial(...)`, or a NumPy random generator (`np.random.default_rng(...)`,
    `np.random.RandomState(...)`). A module that uses Numba's extension API
    (`numba.extending`, `typeof_impl`) may give its classes a type, so their instances are
    not flagged there.

    ## Why is this bad?
    Numba freezes the globals a compiled function reads as compile-time constants, and it can
    only freeze values it has a type for. These stop compilation with "Untyped global name
    'G': Cannot determine Numba type of <class 'range'>" (or of the class), and a global
    `Generator` with an internal error (checked on Numba 0.57, 0.60, 0.63 and 0.68).

    ## Example
    ```python
    RNG = np.random.default_rng(0)

    @njit
    def noise(n):
        return RNG.random(n)
    ```

    ## Use instead
    ```python
    @njit
    def noise(rng, n):
        return rng.random(n)

    noise(np.random.default_rng(0), 10)
    ```
    """

    code = "NB442"
    name = "global-untyped-value"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "`{name}` is a module-level {kind}, which Numba has no type for and cannot freeze as a "
        "compile-time constant; {advice}"
    )

    VALID = (
        Valid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(rng, n):\n"
            "    return rng.random(n).shape[0]\n",
            call="f(np.random.default_rng(0), 3)",
        ),
        Valid(
            "import numba\nfrom enum import Enum\nclass Color(Enum):\n    RED = 1\n"
            "G = Color.RED\n@numba.njit\ndef f():\n    return G.value\n",
            call="f()",
        ),
        Valid(
            "import numba\nfrom collections import namedtuple\nP = namedtuple('P', 'x y')\n"
            "G = P(1, 2)\n@numba.njit\ndef f():\n    return G.x\n",
            call="f()",
        ),
        Valid(
            "import numba\nG = (0, 5)\n@numba.njit\ndef f():\n    s = 0\n"
            "    for i in range(G[0], G[1]):\n        s += i\n    return s\n",
            call="f()",
        ),
        # A local of the same name.
        Valid(
            "import numba\nG = range(5)\n@numba.njit\ndef f(n):\n    G = n + 1\n    return G\n",
            call="f(2)",
        ),
    )
    VALID = VALID + (
        # The class is given a Numba type through the extension API.
        Valid(
            "import numba\nfrom numba import types\nfrom numba.extending import typeof_impl, "
            "register_model, models\nclass Dummy:\n    pass\nclass DummyType(types.Opaque):\n"
            "    pass\ndummy_type = DummyType('dummy')\n@typeof_impl.register(Dummy)\n"
            "def _typeof(val, c):\n    return dummy_type\nregister_model(DummyType)(models.OpaqueModel)\n"
            "DUMMY = Dummy()\n@numba.njit\ndef f():\n    x = DUMMY\n    return 1\n",
            call="f()",
        ),
    )
    INVALID = (
        Invalid(
            "import numpy as np\nimport numba\nRNG = np.random.default_rng(0)\n@numba.njit\n"
            "def f(n):\n    return RNG.random(n).shape[0]\n",
            line=6,
            column=12,
            call="f(3)",
        ),
        Invalid(
            "import numba\nclass Config:\n    def __init__(self):\n        self.scale = 2\n"
            "CONFIG = Config()\n@numba.njit\ndef f(x):\n    return x * CONFIG.scale\n",
            line=8,
            call="f(3)",
        ),
        Invalid(
            "from numba import njit\nG = range(5)\n@njit\ndef f():\n    return G[1]\n",
            call="f()",
        ),
        Invalid(
            "from numba import njit\nALLOWED = frozenset({1, 2})\n@njit\ndef f(x):\n"
            "    return x in ALLOWED\n",
            call="f(1)",
        ),
        Invalid(
            "import functools\nimport numba\ndef add(a, b):\n    return a + b\n"
            "inc = functools.partial(add, 1)\n@numba.njit\ndef f(x):\n    return inc(x)\n",
            call="f(3)",
        ),
        Invalid(
            "import numpy as np\nimport numba\nRS = np.random.RandomState(0)\n@numba.njit\n"
            "def f():\n    return RS.rand()\n",
            call="f()",
        ),
    )

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._seen: set[str] = set()

    def visit_Name(self, node: ast.Name) -> None:
        if not isinstance(node.ctx, ast.Load) or node.id in self._seen:
            return
        value = self._module_value(node)
        if value is None:
            return
        found = self._untyped(value)
        if found is None:
            return
        self._seen.add(node.id)
        kind, advice = found
        self.report(node, self.message.format(name=node.id, kind=kind, advice=advice))

    def _module_value(self, node: ast.Name) -> ast.expr | None:
        """The value of the one module-level assignment `node` reads, if that is what it reads."""
        sem = self.ctx.semantic
        bindings = sem.names.bindings(node)
        if len(bindings) != 1 or bindings[0].is_builtin or bindings[0].scope.kind != "module":
            return None
        if len(sem.names.module_scope.assignments.get(node.id, ())) != 1:
            return None  # bound twice at module level: which value is frozen depends on order
        typed = sem.typed(bindings[0])
        if typed is None or typed.value is None:
            return None
        if not isinstance(typed.statement, ast.Assign) or len(typed.statement.targets) != 1:
            return None
        return typed.value

    def _untyped(self, value: ast.expr) -> tuple[str, str] | None:
        if not isinstance(value, ast.Call):
            return None
        sem = self.ctx.semantic
        names = sem.qualified_names(value.func) | sem.builtin_names(value.func)
        for name in sorted(names):
            if name in _BUILT_BY:
                return _BUILT_BY[name]
        # A module using Numba's extension API may register a type for its class
        # (`typeof_impl.register(Cls)`), which makes its instances fine as globals.
        klass = None if sem.extends_numba else self._plain_class(value.func)
        if klass is not None:
            return f"instance of the plain class `{klass}`", _PLAIN_INSTANCE_ADVICE
        return None

    def _plain_class(self, func: ast.expr) -> str | None:
        """The name of the module's class `func` calls, when it is a plain class: no base but
        `object`, no keyword (metaclass), no decorator (a dataclass, a jitclass...)."""
        if not isinstance(func, ast.Name):
            return None
        bindings = self.ctx.semantic.names.bindings(func)
        if len(bindings) != 1 or bindings[0].scope.kind != "module":
            return None
        klass = bindings[0].node
        if not isinstance(klass, ast.ClassDef) or klass.decorator_list or klass.keywords:
            return None
        if any(not (isinstance(b, ast.Name) and b.id == "object") for b in klass.bases):
            return None
        return klass.name
