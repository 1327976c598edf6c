from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.numpy_api._numpy import (
    argument_value,
    display,
    find_argument,
    numpy_names,
    version_text,
)

BUILDERS = frozenset({"numpy.array", "numpy.asarray"})


class StringArray(Rule):
    """## What it does
    Flags `np.array` or `np.asarray` of a list or tuple display that holds a string or bytes
    literal in compiled code: `np.array(["a", "b"])`, `np.asarray((name, "x"))`.

    ## Why is this bad?
    Numba cannot build NumPy arrays of strings inside compiled code (it only handles
    character arrays passed in). Compilation stops with "No implementation of function
    Function(<built-in function array>) found for signature: array(list(unicode_type)...)"
    (checked on Numba 0.57 to 0.68).

    ## Example
    ```python
    @njit
    def labels(n):
        names = np.array(["low", "high"])
        return names[n]
    ```

    ## Use instead
    A list (or `numba.typed.List`) of strings:
    ```python
    @njit
    def labels(n):
        names = ["low", "high"]
        return names[n]
    ```
    """

    code = "NB313"
    name = "string-array"
    severity = Severity.ERROR
    message = "Numba {version} cannot build a NumPy array of strings with `{func}`; use a list"
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    names = ['low', 'high']\n    return names[n]\n",
            call="f(1)",
        ),
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(x):\n"
            "    return np.array([x, 2.0]).sum() + np.array([len('ab'), 1]).sum()\n",
            call="f(1.0)",
        ),
        Valid("import numpy as np\nimport numba\ndef f():\n    return np.array(['a', 'b'])\n"),
    )
    INVALID = (
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    names = np.array(['low', 'high'])\n    return names[n]\n",
            line=5,
            column=13,
            call="f(1)",
        ),
        Invalid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(s):\n"
            "    return np.asarray((s, 'x')).size\n",
            call="f('a')",
        ),
        Invalid(
            "from numpy import array\nfrom numba import njit\n@njit\ndef f():\n"
            "    return array([[b'a'], [b'b']]).size\n",
            call="f()",
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        names = numpy_names(self.ctx, node.func) & BUILDERS
        if not names:
            return
        arg = find_argument(node, "object", 0)
        if arg is None or not _holds_string(argument_value(arg)):
            return
        self.report(
            node, self.message.format(version=version_text(self.ctx), func=display(min(names)))
        )


def _holds_string(node: ast.expr) -> bool:
    if not isinstance(node, (ast.List, ast.Tuple)):
        return False
    for value in node.elts:
        if isinstance(value, ast.Starred):
            continue
        if _is_string(value) or _holds_string(value):
            return True
    return False


def _is_string(node: ast.expr) -> bool:
    """A string or bytes literal, f-strings included."""
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))
