from __future__ import annotations

import ast

from numba_check import matching as m
from numba_check.compiled import CPU_TARGETS
from numba_check.knowledge import first_typable_version
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid, format_version
from numba_check.rules.numpy_api._numpy import display, numpy_names, support, version_text


class UnsupportedNumpyFunction(Rule):
    """## What it does
    Flags a NumPy function, class or submodule function used in compiled code that the target
    Numba version's typing registry does not know: `np.tile`, `np.pad`, `np.einsum`,
    `np.squeeze`, `np.meshgrid`, everything in `np.fft`, `np.random.default_rng`...

    The list comes from asking each recorded Numba version's registry about every public
    callable of NumPy (`python -m numba_check.knowledge.generate`), so it follows the target
    version: `np.insert` and `np.moveaxis` are flagged for Numba 0.63 but not for 0.68. A name
    the data does not list (a NumPy function newer than the recorded NumPy) is never flagged,
    and neither is the second argument of `isinstance`, nor a function that a plugin declares
    compilable (a project that implements `np.tile` with `@overload` declares `numpy.tile`).

    ## Why is this bad?
    Numba only compiles NumPy functions it has an implementation for. Any other one stops
    compilation with "Use of unsupported NumPy function 'numpy.tile' or unsupported use of
    the function" (or "Unknown attribute 'default_rng' of type Module(numpy.random)").

    ## Example
    ```python
    @njit
    def tiled(a):
        return np.tile(a, 2)
    ```

    ## Use instead
    A supported equivalent, or a loop:
    ```python
    @njit
    def tiled(a):
        return np.concatenate((a, a))
    ```
    """

    code = "NB303"
    name = "unsupported-numpy-function"
    severity = Severity.ERROR
    message = "Numba {version} does not support `{func}` in compiled code{hint}"
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.concatenate((a, a))\n",
            call="f(np.arange(3.0))",
        ),
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.repeat(a, 2).sum() + np.kron(a, a).sum()\n",
            call="f(np.arange(3.0))",
        ),
        # Supported from 0.68 on.
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.insert(a, 1, 5.0)\n",
            call="f(np.arange(3.0))",
        ),
        # Linear algebra is typable; it needs SciPy at compile time, which is not this rule's.
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.linalg.inv(a)\n"
        ),
        # A name absent from the recorded NumPy is not judged.
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.some_future_function(a)\n"
        ),
        # Plain Python code may use anything.
        Valid("import numpy as np\nimport numba\ndef f(a):\n    return np.tile(a, 2)\n"),
        # A local variable that happens to be called like a NumPy function.
        Valid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    tile = a * 2\n    return tile\n",
            call="f(np.arange(3.0))",
        ),
        # Inside `with objmode` the interpreter runs the code.
        Valid(
            "import numpy as np\nimport numba\n@numba.njit\ndef f(a):\n"
            "    with numba.objmode(out='float64[:]'):\n        out = np.tile(a, 2)\n"
            "    return out\n"
        ),
    )
    INVALID = (
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.tile(a, 2)\n",
            line=5,
            column=12,
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "from numpy import squeeze\nimport numba\n@numba.jit(nopython=True)\ndef f(a):\n"
            "    return squeeze(a)\n",
            line=5,
            call="f(np.ones((1, 3)))",
        ),
        Invalid(
            "import numpy as np\nimport numba as nb\n@nb.njit\ndef f(a):\n"
            "    return np.fft.fft(a).real\n",
            call="f(np.arange(4.0))",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(n):\n"
            "    rng = np.random.default_rng(0)\n    return rng.random(n)\n",
            line=5,
            call="f(3)",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\ndef slow(a):\n"
            "    return np.einsum('i,i->', a, a)\nfast = njit(slow)\n",
            call="fast(np.arange(3.0))",
        ),
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    def helper(x):\n        return np.meshgrid(x, x)[0]\n    return helper(a)\n",
            line=6,
            call="f(np.arange(3.0))",
        ),
        # np.insert arrived in Numba 0.67 (recorded: 0.68).
        Invalid(
            "import numpy as np\nfrom numba import njit\n@njit\ndef f(a):\n"
            "    return np.insert(a, 1, 5.0)\n",
            target_numba="0.63",
        ),
    )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._skip: set[int] = set()
        self._in_annotation = 0

    # Annotations (libcst's Annotation node): of an annotated assignment, and of the
    # parameters and return of a def nested in the function.
    def _enter_annotation(self, node: ast.AST) -> None:
        self._in_annotation += 1

    def _leave_annotation(self, node: ast.AST) -> None:
        self._in_annotation -= 1

    visit_AnnAssign_annotation = _enter_annotation
    leave_AnnAssign_annotation = _leave_annotation
    visit_arg_annotation = _enter_annotation
    leave_arg_annotation = _leave_annotation
    visit_FunctionDef_returns = _enter_annotation
    leave_FunctionDef_returns = _leave_annotation
    visit_AsyncFunctionDef_returns = _enter_annotation
    leave_AsyncFunctionDef_returns = _leave_annotation

    def visit_Call(self, node: ast.Call) -> None:
        # `isinstance(x, np.ndarray)` belongs to the isinstance rule (NB2xx).
        if not m.matches(node.func, m.Name("isinstance")):
            return
        # The second argument as written, whether positional or keyword (libcst's `args[1]`).
        args: list[ast.AST] = [*node.args, *node.keywords]
        if len(args) >= 2:
            args.sort(key=lambda a: (a.lineno, a.col_offset))  # type: ignore[attr-defined]
            self._skip.update(id(n) for n in m.findall(args[1], m.Name() | m.Attribute()))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self._check(node)

    def visit_Name(self, node: ast.Name) -> None:
        self._check(node)

    def _check(self, node: ast.Name | ast.Attribute) -> None:
        if self._in_annotation or id(node) in self._skip:
            return
        names = numpy_names(self.ctx, node)
        if not names or any(self.ctx.known_compilable(n) for n in names):
            return  # (an extension, such as the project's own @overload, may implement it)
        data = support(self.ctx)
        if not any(data.unsupported(n) for n in names) or any(n in data.typable for n in names):
            return
        qualified = min(names)
        since = first_typable_version(qualified, self.ctx.numba_version)
        hint = f" (supported from Numba {format_version(since)})" if since else ""
        self.report(
            node,
            self.message.format(version=version_text(self.ctx), func=display(qualified), hint=hint),
        )
