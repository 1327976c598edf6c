from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.knowledge import python_support
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.rules.calls._values import str_type, value_type
from numba_check.semantic import types as t


class StrEncodeBytesDecode(Rule):
    """## What it does
    Flags `str.encode()` and `bytes.decode()` in compiled code, on values the source proves
    to be a str (`"abc".encode()`, an f-string, a name bound to one) or bytes (`b"abc"`).

    ## Why is this bad?
    Numba's str and bytes have no conversion between them: "Unknown attribute 'encode' of
    type unicode_type", "Unknown attribute 'decode' of type readonly bytes(uint8, 1d, C)", on
    every Numba version.

    ## Example
    ```python
    @njit
    def checksum(text):
        data = "header".encode()
        return sum(data)
    ```

    ## Use instead
    Convert outside the compiled function and pass the bytes (or a `np.uint8` array) in:
    ```python
    @njit
    def checksum(data):
        return data.sum()

    checksum(np.frombuffer("header".encode(), dtype=np.uint8))
    ```
    """

    code = "NB212"
    name = "str-encode-bytes-decode"
    severity = Severity.ERROR
    targets = CPU_TARGETS
    message = (
        "Numba cannot {verb} {kind} with `.{method}()`; convert outside the compiled function "
        "and pass the result in"
    )

    VALID = (
        Valid("import numba\n@numba.njit\ndef f(b):\n    return b[0] + len(b)\n", call="f(b'ab')"),
        Valid("import numba\n@numba.njit\ndef f(s):\n    return s.upper()\n", call="f('ab')"),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    return 'ab'.encode()\n",
            line=4,
            column=12,
            call="f(1)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    data = b'ab'\n    return data.decode('ascii')\n",
            line=5,
            call="f(1)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(x):\n    return f'{x}'.encode('utf-8')\n",
            line=4,
            call="f(1)",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        # While the target Numba's registry has neither method (knowledge/data/python-*.json).
        support = python_support(ctx.numba_version)
        self._encode = support.method_unsupported("str", "encode")
        self._decode = support.method_unsupported("bytes", "decode")

    def active(self) -> bool:
        return self._encode or self._decode

    def visit_Attribute(self, node: ast.Attribute) -> None:
        method = node.attr
        if method not in ("encode", "decode"):
            return
        kind = value_type(self.ctx.module, node.value)
        if method == "encode" and self._encode and str_type(kind):
            self.report(node, self.message.format(verb="encode", kind="a str", method=method))
        elif method == "decode" and self._decode and isinstance(kind, t.Bytes):
            self.report(node, self.message.format(verb="decode", kind="bytes", method=method))
