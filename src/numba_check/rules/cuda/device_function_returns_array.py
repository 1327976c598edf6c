from __future__ import annotations

import ast

from numba_check import matching as m
from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.rules.cuda._facts import LOCAL_ARRAYS, FunctionNames


class DeviceFunctionReturnsArray(Rule):
    """## What it does
    Flags a CUDA device function that returns an array other than one of its arguments: a
    `cuda.local.array` or `cuda.shared.array` it created, a slice (`x[1:]`) or the transpose
    (`x.T`) of an argument.

    Returning an argument itself, an element (`x[i]`) or a tuple is fine.

    ## Why is this bad?
    The CUDA target only lets a device function return an array that was passed in; it stops
    with "Only accept returning of array passed into the function as argument" (Numba 0.57 to
    0.68). A local array would not outlive the call anyway.

    ## Example
    ```python
    @cuda.jit(device=True)
    def tail(x):
        return x[1:]
    ```

    ## Use instead
    Pass the output array in and fill it, or return the bounds and slice in the caller:
    ```python
    @cuda.jit(device=True)
    def copy_tail(x, out):
        for j in range(1, x.size):
            out[j - 1] = x[j]
    ```
    """

    code = "NB612"
    name = "device-function-returns-array"
    severity = Severity.ERROR
    message = (
        "A CUDA device function can only return an array it was given, and `{value}` is "
        "{what}; pass an output array in and fill it instead"
    )
    targets = frozenset({Target.CUDA_DEVICE})

    VALID = (
        Valid(
            "from numba import cuda\n@cuda.jit(device=True)\ndef d(x):\n    return x\n"
            "@cuda.jit(device=True)\ndef e(x):\n    return x[1]\n"
        ),
        Valid(
            "from numba import cuda\n@cuda.jit(device=True)\ndef d(x):\n    y = x[1:]\n"
            "    return y[0]\n"
        ),
        Valid(
            "from numba import cuda\n@cuda.jit(device=True)\ndef d(x):\n    return x[1:], x[0]\n"
        ),
        Valid("import numba\n@numba.njit\ndef f(x):\n    return x[1:]\n", call="f(np.ones(3))"),
    )
    INVALID = (
        Invalid(
            "from numba import cuda\n@cuda.jit(device=True)\ndef d(x):\n    return x[1:]\n",
            line=4,
            column=5,
        ),
        Invalid(
            "import numba\n@numba.cuda.jit(device=True)\ndef d():\n"
            "    t = numba.cuda.local.array(4, numba.float64)\n    t[0] = 1.0\n    return t\n",
            line=6,
        ),
        Invalid(
            "from numba import cuda\n@cuda.jit(device=True)\ndef d(x):\n    return x.T\n",
            line=4,
        ),
    )

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self._names = FunctionNames(ctx)
        self._nested = 0

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._nested += 1

    def leave_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._nested -= 1

    visit_AsyncFunctionDef = visit_FunctionDef
    leave_AsyncFunctionDef = leave_FunctionDef

    def visit_Return(self, node: ast.Return) -> None:
        if self._nested or node.value is None:
            return
        value = node.value
        what = self._new_array(value)
        if what is None and isinstance(value, ast.Name):
            bound = self._names.single_value(value.id)
            what = self._new_array(bound) if bound is not None else None
        if what is not None:
            written = self.ctx.module.quote(value)
            self.report(node, self.message.format(value=written, what=what))

    def _new_array(self, value: ast.expr) -> str | None:
        if isinstance(value, ast.Call) and self.ctx.qualified_names(value.func) & LOCAL_ARRAYS:
            return "an array it created"
        if isinstance(value, ast.Subscript) and any(
            isinstance(e, ast.Slice) for e in _elements(value.slice)
        ):
            return "a slice"
        if m.matches(value, m.Attribute(value=m.Name(), attr="T")):
            assert isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name)
            if self._names.is_local(value.value.id):
                return "a transposed view"
        return None


def _elements(index: ast.expr) -> list[ast.expr]:
    """The indices of `x[i, 1:]` (a slice is never written in parentheses, so a tuple that
    holds one is the subscript's own list)."""
    return index.elts if isinstance(index, ast.Tuple) else [index]
