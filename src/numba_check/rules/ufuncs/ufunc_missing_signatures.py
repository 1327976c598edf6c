from __future__ import annotations

from numba_check.compiled import EntryKind, Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.ufuncs._base import UfuncRule
from numba_check.rules.ufuncs._spec import decorator_options


class UfuncMissingSignatures(UfuncRule):
    """## What it does
    Flags a ufunc that Numba builds without any loop: `@vectorize(target="parallel")` or
    `@guvectorize(layout, target="parallel")` with no signatures, and `@guvectorize([],
    layout)` with an empty signature list.

    ## Why is this bad?
    Only the CPU target compiles on demand (a lazy `@vectorize`, a layout-only
    `@guvectorize`). Otherwise the decorator compiles exactly the signatures it is given;
    with none, the module imports fine but every call fails with "ufunc 'f' did not contain
    a loop with signature matching types" (every version from 0.57 to 0.68).

    ## Example
    ```python
    @vectorize(target="parallel")
    def scale(x):
        return 2.0 * x
    ```

    ## Use instead
    ```python
    @vectorize(["float64(float64)"], target="parallel")
    def scale(x):
        return 2.0 * x
    ```
    """

    code = "NB465"
    name = "ufunc-missing-signatures"
    severity = Severity.WARNING
    message = (
        "this ufunc has no signature to compile (only the cpu target compiles on demand): "
        'every call fails with "did not contain a loop"; list the signatures'
    )
    targets = frozenset({Target.UFUNC, Target.GUFUNC})
    object_mode = True

    VALID = (
        Valid(
            "from numba import vectorize\n@vectorize\ndef f(x):\n    return 2.0 * x\n",
            call="f(np.arange(3.0))",
        ),
        Valid(
            "from numba import vectorize\n"
            "@vectorize([], target='cpu')\n"
            "def f(x):\n    return 2.0 * x\n",
            call="f(np.arange(3.0))",
        ),
        Valid(
            'import numba\n@numba.guvectorize("(n)->()")\ndef f(x, out):\n    out[0] = x.sum()\n',
            call="f(np.arange(3.0), np.zeros(1))",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n"
            "def slow(x):\n    return 2.0 * x\n"
            'fast = numba.vectorize(target="parallel")(slow)\n',
            call="fast(np.arange(3.0))",
        ),
        Invalid(
            "from numba import vectorize\n"
            '@vectorize(target="parallel")\n'
            "def f(x):\n    return 2.0 * x\n",
            line=3,
            call="f(np.arange(3.0))",
        ),
        Invalid(
            "import numba\n"
            '@numba.guvectorize([], "(n)->()")\n'
            "def f(x, out):\n    out[0] = x.sum()\n",
            call="f(np.arange(3.0), np.zeros(1))",
        ),
        Invalid(
            "import numba\n"
            '@numba.guvectorize("(n)->()", target="parallel")\n'
            "def f(x, out):\n    out[0] = x.sum()\n",
            call="f(np.arange(3.0), np.zeros(1))",
        ),
    )

    def finish(self) -> None:
        spec, function = self.spec, self.ctx.function
        if spec is None or function is None or spec.signatures != ():
            return
        parallel = decorator_options(self.ctx, function).get("target") == "parallel"
        given_empty = (
            function.entry is EntryKind.GUVECTORIZE
            and len(
                function.options.get("_positional", ())  # type: ignore[arg-type]
            )
            == 2
        )
        if parallel or given_empty:
            self.report(self.ctx.module.name_of(self.kernel))
