from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid
from numba_check.semantic import types as t
from numba_check.semantic.bindings import How
from numba_check.semantic.infer import MIXED_SIGN_TO_INT64, mixes_signedness
from numba_check.versions import parse_version

# `x & k` gives the same bits in int64 as in uint64, and a non-negative `k` bounds the result
# below 2**63: it never differs, so it is not reported.
# The first Numba that supports NumPy 2, where a uint64 with a Python int stays uint64.
NUMPY_2 = parse_version("0.60")
_REPORTED_OPS = tuple(op for op in MIXED_SIGN_TO_INT64 if op is not ast.BitAnd)


class Uint64MixedWithSigned(Rule):
    """## What it does
    Flags, in compiled code, a uint64 mixed with a signed integer (an int literal, an int64),
    where the layer knows both types:
    - a variable that holds a uint64 and is then given such a mix (`h = np.uint64(1)` then
      `h = h * 31` or `h *= 31`, in a loop or not): Numba gives the variable float64 (from
      Numba 0.60, the first with NumPy 2: NumPy 1 gives float64 in Python too);
    - such a mix returned or compared directly (`return x - 1` for a uint64 `x`): Numba
      computes it in int64.

    ## Why is this bad?
    Numba has no integer type for a uint64 and an int64 together. `uint64 op int64` is typed
    int64 (for `+ - * // % ** | ^`), so past 2**63 the result wraps to a negative number and
    `np.uint64(0) - 1` is -1; NumPy keeps uint64 (18446744073709551615). A variable that holds
    both types becomes float64, which loses every integer past 2**53: a hash or a random
    number generator written with uint64 silently computes something else, or stops compiling
    at the next bitwise operation ("No implementation of function bitwise_xor (float64,
    uint64)"). Checked by compiling with Numba 0.57 (NumPy 1.24), 0.60 (NumPy 2.0), 0.63 and
    0.68.

    ## Example
    ```python
    @njit
    def power_hash(n):
        h = np.uint64(1)
        for i in range(n):
            h = h * 31
        return h
    ```

    ## Use instead
    Make the integer a uint64 too:
    ```python
            h = h * np.uint64(31)
    ```
    """

    code = "NB512"
    name = "uint64-mixed-with-signed"
    severity = Severity.WARNING
    message = (
        "`{name}` holds a uint64 (line {line}) and an int64 here (`{expr}`); Numba has no "
        "integer type for both and makes it float64, which loses integers past 2**53 where "
        "NumPy 2 keeps uint64; write the int as `np.uint64(...)`"
    )
    value_message = (
        "`{expr}` mixes a uint64 with a signed int: Numba computes it in int64 (wrapping past "
        "2**63, negative below 0) where NumPy keeps uint64; write the int as `np.uint64(...)`"
    )
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(n):\n    h = np.uint64(1)\n"
            "    for i in range(n):\n        h = h * np.uint64(3)\n    return h\n",
            call="f(41)",
        ),
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(a):\n    x = np.uint64(a)\n"
            "    return x - np.uint64(1)\n",
            call="f(5)",
        ),
        # A mask: the same bits in int64 and uint64, and below 2**63.
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(a):\n    x = np.uint64(a)\n"
            "    return x & 255\n",
            call="f(2**63 + 7)",
        ),
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(a):\n    x = np.int64(a)\n"
            "    return x - 1\n",
            call="f(0)",
        ),
        # A shift keeps the uint64.
        Valid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(a):\n    x = np.uint64(a)\n"
            "    x = x >> 1\n    return x\n",
            call="f(2**63 + 7)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(n):\n    h = np.uint64(1)\n"
            "    for i in range(n):\n        h = h * 3\n    return h\n",
            line=7,
            column=9,
            call="f(41)",
        ),
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(n):\n    h = np.uint64(1)\n"
            "    for i in range(n):\n        h *= 3\n    return h\n",
            line=7,
            call="f(41)",
        ),
        Invalid(
            "import numba\nimport numpy as np\n@numba.njit\ndef f(a):\n    x = np.uint64(a)\n"
            "    return x - 1\n",
            line=6,
            column=12,
            call="f(0)",
        ),
        Invalid(
            "from numba import njit\nimport numpy as np\n@njit\ndef f(a):\n"
            "    x = np.uint64(a)\n    return x + 1\n",
            call="f(2**63)",
        ),
    )

    def visit_Return(self, node: ast.Return) -> None:
        self._value(node.value)

    def visit_Compare(self, node: ast.Compare) -> None:
        for operand in (node.left, *node.comparators):
            self._value(operand)

    def _value(self, node: ast.expr | None) -> None:
        """Report `node` if it is a mix computed in int64 whose value is used as it is."""
        if not isinstance(node, ast.BinOp) or not isinstance(node.op, _REPORTED_OPS):
            return
        sem = self.ctx.semantic
        if mixes_signedness(sem.type_of(node.left), sem.type_of(node.right)):
            self.report(node, self.value_message.format(expr=self.ctx.module.quote(node)))

    def finish(self) -> None:
        if self.ctx.numba_version < NUMPY_2:
            # Numba 0.57 runs with NumPy 1 only, whose `uint64 * int` is float64 in Python too:
            # the variable is float64 on both sides (checked by compiling).
            return
        function = self.ctx.function
        assert function is not None
        sem = self.ctx.semantic
        facts = sem.function(function.node)
        inference = sem.inference
        looked_at: set[frozenset[int]] = set()
        reported: set[int] = set()
        for defs in facts.flow.reads.values():
            if len(defs) < 2 or defs in looked_at:
                continue
            looked_at.add(defs)
            typed = [sem.bindings.get(d) for d in defs]
            if any(b is None or b.how not in (How.ASSIGN, How.AUGMENT) for b in typed):
                continue
            ordered = sorted(typed, key=lambda b: (b.node.lineno, b.node.col_offset))  # type: ignore[union-attr]
            kinds = [inference.binding_type(b) for b in ordered]  # type: ignore[arg-type]
            first = next((b for b, k in zip(ordered, kinds, strict=True) if k == t.UINT64), None)
            if first is None:
                continue
            for binding, kind in zip(ordered, kinds, strict=True):
                assert binding is not None
                if kind != t.INT64 or id(binding.node) in reported:
                    continue
                reported.add(id(binding.node))
                written = binding.statement if binding.how is How.AUGMENT else binding.value
                self.report(
                    binding.node,
                    self.message.format(
                        name=binding.node.id,  # type: ignore[attr-defined]
                        line=first.node.lineno,  # type: ignore[union-attr]
                        expr=self.ctx.module.quote(written),
                    ),
                )
