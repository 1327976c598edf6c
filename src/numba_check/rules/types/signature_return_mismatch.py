from __future__ import annotations

from numba_check.compiled import CPU_TARGETS
from numba_check.entry_points import EntryKind
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.semantic import types as t


class SignatureReturnMismatch(Rule):
    """## What it does
    Flags a `return` whose value cannot be the return type an explicit signature declares: a
    value returned from a `void` function, a str from a function declared to return a number,
    a number from one declared to return a str.

    ## Why is this bad?
    Numba converts the returned value to the declared type, and has no conversion between these:
    "No conversion from int64 to none", "No conversion from Literal[str](x) to int64".

    ## Example
    ```python
    @njit("void(float64[:])")
    def normalise(a):
        a /= a.sum()
        return a
    ```

    ## Use instead
    ```python
    @njit("void(float64[:])")
    def normalise(a):
        a /= a.sum()
    ```
    Or declare the type the function returns (`"float64[:](float64[:])"`).
    """

    code = "NB417"
    name = "signature-return-mismatch"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "the signature declares that `{function}` returns {declared}, and this returns {found}; "
        "declare the type it returns, or return {declared}"
    )

    VALID = (
        Valid(
            "import numba\n@numba.njit('int64(int64)')\ndef f(a):\n    return a + 1\n", call="f(1)"
        ),
        Valid("import numba\n@numba.njit('void(int64)')\ndef f(a):\n    return\n", call="f(1)"),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit('void(int64)')\ndef f(a):\n    return a\n",
            line=4,
            column=5,
            call="f(1)",
        ),
        Invalid(
            "import numba\n@numba.njit('int64(int64)')\ndef f(a):\n    return 'x'\n",
            line=4,
            call="f(1)",
        ),
        Invalid(
            "import numba\n@numba.njit('unicode_type(int64)')\ndef f(a):\n    return a\n",
            line=4,
            call="f(1)",
        ),
    )

    def finish(self) -> None:
        function = self.ctx.function
        assert function is not None
        if function.entry not in (EntryKind.JIT, EntryKind.NJIT):
            return
        sem = self.ctx.semantic
        signatures = sem.signatures(function)
        if not signatures or len(signatures) != 1 or signatures[0].ret is None:
            return
        declared = signatures[0].ret
        facts = sem.function(function.node)
        if facts.is_generator:
            return
        for ret in facts.returns:
            if ret.value is None:
                continue
            found = sem.type_of(ret.value)
            if _incompatible(declared, found):
                self.report(
                    ret,
                    self.message.format(
                        function=function.node.name,
                        declared=_name(declared),
                        found=_name(found),
                    ),
                )
                return


def _incompatible(declared: t.Type, found: t.Type) -> bool:
    found = t.unliteral(found)
    if isinstance(declared, t.NoneType):
        return isinstance(found, (t.Scalar, t.Str, t.Array))
    if isinstance(declared, t.Scalar):
        return isinstance(found, t.Str)
    if isinstance(declared, t.Str):
        return isinstance(found, t.Scalar)
    return False


def _name(kind: t.Type) -> str:
    if isinstance(kind, t.NoneType):
        return "nothing (`void`)"
    text = kind.describe()
    return f"an {text}" if text[0] in "aeiou" else f"a {text}"
