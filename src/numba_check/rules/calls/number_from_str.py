from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.calls._values import is_runtime_str, str_type, value_type

# Converting a str is refused on every Numba version by these; `float` is the exception.
ALWAYS = frozenset({"builtins.int", "builtins.complex"})
NUMPY_SCALARS = frozenset(
    f"numpy.{name}"
    for name in (
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "intp",
        "uintp",
        "float32",
        "float64",
        "complex64",
        "complex128",
    )
)
# `float(<str literal>)` compiles since 0.60 (typed as Literal[str]); a run-time str never does.
FLOAT_LITERAL_SINCE = (0, 60)


class NumberFromStr(Rule):
    """## What it does
    Flags `int(s)`, `complex(s)`, `float(s)` and NumPy scalar constructors (`np.float64(s)`)
    applied to a string in compiled code: a literal, an f-string, `str(...)`, a piece of
    `line.split(",")`, or a name bound only to such values.

    `float("1.5")` / `float("inf")` with a literal (or a name bound once to one) compiles
    since Numba 0.60 and is flagged only for older versions. Parameters are never flagged:
    numba-check cannot see their types.

    ## Why is this bad?
    Numba does not parse numbers from strings: "No implementation of function Function(<class
    'int'>) found for signature: int(unicode_type)".

    ## Example
    ```python
    @njit
    def first_field(line):
        return int(line.split(",")[0].strip())
    ```

    ## Use instead
    Parse in Python (or with `np.loadtxt`, `np.fromstring`) and pass numbers in:
    ```python
    @njit
    def total(values):
        return values.sum()

    total(np.array([int(x) for x in line.split(",")]))
    ```
    For infinities and NaN use `math.inf`, `np.inf`, `np.nan`.
    """

    code = "NB209"
    name = "number-from-str"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "Numba cannot convert a str to a number with `{func}()`; parse it outside the "
        "compiled function and pass the number in"
    )

    VALID = (
        # Read along the flow: `s` is still the literal where `float(s)` reads it (SSA gives
        # the later run-time str its own version).
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    s = '1.5'\n    a = float(s)\n"
            "    s = str(x)\n    return a + len(s)\n",
            call="f(3)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    return int(x) + float(x)\n", call="f(2.5)"
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    return float('inf') > x\n",
            call="f(2.5)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    s = '1.5'\n    return float(s) + x\n",
            call="f(1)",
        ),
        Valid("import numba\n@numba.njit\ndef f(s):\n    return len(s)\n", call="f('12')"),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    return int('12') + x\n",
            line=4,
            column=12,
            call="f(1)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    line = 'id,' + str(x)\n"
            "    return float(line.split(',')[1])\n",
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    return float(str(x))\n",
            line=4,
            call="f(3)",
        ),
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(x):\n"
            "    return np.float64('1.5') + x\n",
            line=5,
            call="f(1)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    return float('inf') > x\n",
            line=4,
            target_numba="0.57",
        ),
        # An item of a list is never a literal: a run-time str.
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    t = 0.0\n    for s in ['1.5', '2']:\n"
            "        t += float(s)\n    return t + x\n",
            line=6,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    t = 0\n    for s in ['1', '2']:\n"
            "        t += int(s)\n    return t + x\n",
            line=6,
            call="f(3)",
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        positional = [a for a in node.args if not isinstance(a, ast.Starred)]
        if not positional:
            return
        module = self.ctx.module
        builtins = module.semantic.builtin_names(node.func)
        numpy = self.ctx.qualified_names(node.func) & NUMPY_SCALARS
        if not (builtins & (ALWAYS | {"builtins.float"}) or numpy):
            return
        kind = value_type(module, positional[0])
        if not str_type(kind):
            return
        is_float = "builtins.float" in builtins and not numpy
        if is_float and self.ctx.numba_version >= FLOAT_LITERAL_SINCE and not is_runtime_str(kind):
            return
        func = min(builtins | numpy).split(".", 1)[1]
        if numpy:
            func = "np." + func
        self.report(node, self.message.format(func=func))
