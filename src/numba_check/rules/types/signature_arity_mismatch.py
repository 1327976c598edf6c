from __future__ import annotations

from numba_check.compiled import CPU_TARGETS
from numba_check.entry_points import EntryKind
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid


class SignatureArityMismatch(Rule):
    """## What it does
    Flags an explicit signature of `@jit`/`@njit` (a string such as `"float64(int64, float64)"`)
    that gives a different number of argument types than the function has parameters.
    Parameters with defaults count: the signature must type every one of them.

    ## Why is this bad?
    Numba compiles eagerly when given signatures, and refuses at decoration: "Signature
    mismatch: 1 argument types given, but function takes 2 arguments".

    ## Example
    ```python
    @njit("float64(float64)")
    def scale(x, factor=2.0):
        return x * factor
    ```

    ## Use instead
    ```python
    @njit("float64(float64, float64)")
    def scale(x, factor=2.0):
        return x * factor
    ```
    """

    code = "NB416"
    name = "signature-arity-mismatch"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "this signature gives {given} argument type{s} but `{function}` takes {taken} "
        "parameter{ts} (defaults included); give one type per parameter"
    )

    VALID = (
        Valid(
            "import numba\n@numba.njit('int64(int64, int64)')\ndef f(a, b=1):\n    return a + b\n",
            call="f(1, 2)",
        ),
        Valid("import numba\n@numba.njit\ndef f(a, b=1):\n    return a + b\n", call="f(1)"),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit('int64(int64)')\ndef f(a, b):\n    return a + b\n",
            line=2,
            column=13,
            call="f(1, 2)",
        ),
        Invalid(
            "import numba\n@numba.njit('int64(int64, int64)')\ndef f(a):\n    return a\n",
            line=2,
            call="f(1)",
        ),
        Invalid(
            "import numba\n@numba.njit(['int64(int64)', 'float64(float64, float64)'])\n"
            "def f(a, b=1):\n    return a + b\n",
            line=2,
            call="f(1)",
        ),
    )

    def finish(self) -> None:
        function = self.ctx.function
        assert function is not None
        if function.entry not in (EntryKind.JIT, EntryKind.NJIT):
            return
        args = function.node.args
        if args.vararg is not None or args.kwarg is not None or args.kwonlyargs:
            return
        signatures = self.ctx.semantic.signatures(function)
        if not signatures:
            return
        taken = len(args.posonlyargs) + len(args.args)
        for sig in signatures:
            given = len(sig.params)
            if given != taken:
                self.report(
                    sig.node,
                    self.message.format(
                        given=given,
                        s="" if given == 1 else "s",
                        function=function.node.name,
                        taken=taken,
                        ts="" if taken == 1 else "s",
                    ),
                )
                return
