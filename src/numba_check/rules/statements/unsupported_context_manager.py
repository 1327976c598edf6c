from __future__ import annotations

import ast

from numba_check.model import Severity
from numba_check.module_context import OBJMODE, with_item_callee
from numba_check.rules.base import Invalid, Rule, Valid, Version

# Context managers Numba compiles, and the version that brought each.
SUPPORTED: dict[str, Version] = {
    **dict.fromkeys(OBJMODE, (0, 40, 0)),
    "numba.parallel_chunksize": (0, 56, 0),
    # Numba's internal contexts, used by its own tests and by extension authors.
    "numba.core.withcontexts.bypass_context": (0, 40, 0),
    "numba.core.withcontexts.call_context": (0, 40, 0),
}


class UnsupportedContextManager(Rule):
    """## What it does
    Flags `with` statements in compiled code other than `with numba.objmode(...)` and
    `with numba.parallel_chunksize(n)`; in CUDA code, every `with`.

    ## Why is this bad?
    Numba only knows its own context managers. `with open(...) as f:` fails with "The 'with
    (context manager) as (variable):' construct is not supported", and any other manager
    (locks, `contextlib.contextmanager`, `np.errstate`) with "Unsupported context manager in
    use". `objmode` arrived in Numba 0.40 and `parallel_chunksize` in 0.56.

    ## Example
    ```python
    @njit
    def total(path):
        with open(path) as f:
            return len(f.read())
    ```

    ## Use instead
    Do the I/O in Python and pass the data in, or wrap it in an object-mode block:
    ```python
    @njit
    def total(path):
        with numba.objmode(n="int64"):
            with open(path) as f:
                n = len(f.read())
        return n
    ```
    """

    code = "NB106"
    name = "unsupported-context-manager"
    severity = Severity.ERROR
    # Refused while Numba analyses the bytecode, so in object mode too (forceobj, objmode).
    object_mode = True
    message = (
        "Numba compiles no `with` block except `numba.objmode()` and `numba.parallel_chunksize()`; "
        "move `{name}` out of the compiled function or into `with numba.objmode(...)`"
    )
    message_cuda = "CUDA code cannot use `with`; move `{name}` out of the kernel"

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    with numba.objmode(y='int64'):\n"
            "        y = n + 1\n    return y\n",
            call="f(2)",
        ),
        Valid(
            "import numba\nfrom numba import prange\n@numba.njit(parallel=True)\ndef f(n):\n"
            "    s = 0\n    with numba.parallel_chunksize(2):\n        for i in prange(n):\n"
            "            s += i\n    return s\n",
            call="f(4)",
        ),
        Valid("import numba\ndef f(p):\n    with open(p) as fh:\n        return fh.read()\n"),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(p):\n    with open(p) as fh:\n        return 1\n",
            line=4,
            column=5,
            call="f('/dev/null')",
        ),
        Invalid(
            "import numba\nimport threading\nLOCK = threading.Lock()\n@numba.njit\ndef f(n):\n"
            "    with LOCK:\n        n += 1\n    return n\n",
            line=6,
            call="f(1)",
        ),
        Invalid(
            "import numba\nfrom numba import prange\n@numba.njit(parallel=True)\ndef f(n):\n"
            "    s = 0\n    with numba.parallel_chunksize(2):\n        for i in prange(n):\n"
            "            s += i\n    return s\n",
            line=6,
            target_numba="0.55",
        ),
        Invalid(
            "from numba import cuda, objmode\n@cuda.jit\ndef k(a):\n    with objmode():\n"
            "        print('x')\n",
            line=4,
        ),
    )

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            # The manager as written, with the parentheses around it: `(open)` in
            # `with (open)(p):`.
            func = with_item_callee(item)
            if self.ctx.function.on_gpu:
                self.report(node, self.message_cuda.format(name=self.ctx.module.quote(func)))
                return
            names = self.ctx.qualified_names(func)
            if not any(self.ctx.numba_version >= SUPPORTED.get(n, (99,)) for n in names):
                self.report(node, self.message.format(name=self.ctx.module.quote(func)))
                return

    visit_AsyncWith = visit_With  # one class in libcst
