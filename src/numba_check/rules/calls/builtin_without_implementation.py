from __future__ import annotations

import ast

from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid

# Builtins Numba has no implementation of ("Untyped global name 'eval'"), each checked by
# compiling a call of it. `any` and `all` have their own rule (NB206).
ADVICE = {
    "eval": "write the expression as code",
    "exec": "write the statements as code",
    "compile": "write the code itself",
    "open": "do the I/O outside the compiled function, or in `with numba.objmode():`",
    "input": "read the input outside the compiled function and pass it in",
    "globals": "pass what the function needs as arguments",
    "locals": "use the variables themselves",
    "vars": "use the attributes or variables themselves",
    "dir": "use the attributes themselves",
    "id": "compare values, or use `is` on the objects themselves",
    "setattr": "assign the attribute directly (`obj.name = value`)",
    "issubclass": "decide on the classes outside the compiled function",
}
FLAGGED = {f"builtins.{name}": name for name in ADVICE}


class BuiltinWithoutImplementation(Rule):
    """## What it does
    Flags calls in compiled code of builtins Numba has no implementation of: `eval`, `exec`,
    `compile`, `open`, `input`, `globals`, `locals`, `vars`, `dir`, `id`, `setattr` and
    `issubclass`, however they are spelled. In a module with a star import only an explicit
    `builtins.x` counts (the star import may shadow the name).

    ## Why is this bad?
    Numba compiles only what it has an implementation of: "Untyped global name 'open': Cannot
    determine Numba type of <class 'builtin_function_or_method'>".

    ## Example
    ```python
    @njit
    def load(path):
        return open(path).read()
    ```

    ## Use instead
    ```python
    def load(path):
        with open(path) as fh:
            return parse(fh.read())   # parse is the compiled part
    ```
    """

    code = "NB213"
    name = "builtin-without-implementation"
    severity = Severity.ERROR
    message = "Numba has no implementation of `{name}()`; {advice}"

    VALID = (
        Valid("import numba\n@numba.njit\ndef f(n):\n    return hash(n) == hash(n)\n", call="f(3)"),
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    def eval(x):\n        return x + 1\n"
            "    return eval(n)\n",
            call="f(3)",
        ),
        # The class body runs before the import: its `njit` is the stand-in, nothing compiles.
        Valid(
            "def njit(f):\n    return f\nclass Ops:\n    @staticmethod\n    @njit\n"
            "    def f(n):\n        return eval('n + 1')\nfrom numba import njit\n",
            call="Ops.f(3)",
        ),
    )
    INVALID = (
        # The stand-in is defined after the class body ran: the method is Numba's.
        Invalid(
            "from numba import njit\nclass Ops:\n    @staticmethod\n    @njit\n"
            "    def f(n):\n        return eval('n + 1')\ndef njit(f):\n    return f\n",
            line=6,
            column=16,
            call="Ops.f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    return eval('n + 1')\n",
            line=4,
            column=12,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    if n > 100:\n        open('data.txt')\n"
            "    return n\n",
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    return id(n)\n",
            line=4,
            call="f(3)",
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        for qualified in self.ctx.semantic.builtin_names(node.func):
            name = FLAGGED.get(qualified)
            if name is not None:
                self.report(node, self.message.format(name=name, advice=ADVICE[name]))
                return
