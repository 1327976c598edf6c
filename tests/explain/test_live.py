"""End to end with the installed Numba: compile refused code, explain the traceback it raises.

Each case is a module written to a temporary folder and imported, so that the traceback names a
real file: `explain` must put the rule first, and the linter must confirm it at the line the
message names (for the ambiguous signature mismatch, the linter is what picks the rule) unless
the message names no line of the function.
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap
import traceback
from pathlib import Path

import pytest

from numba_check.explain import explain

numba = pytest.importorskip("numba")
np = pytest.importorskip("numpy")

# Numba's own messages, raised by compiling: facts about the compiler.
pytestmark = pytest.mark.compiler

CASES = {
    "NB101": (
        """
        from numba import njit

        @njit
        def f(n):
            try:
                return 10 // n
            except ZeroDivisionError:
                return 0
        """,
        "f(0)",
    ),
    "NB202": (
        """
        from numba import njit

        def helper(x):
            return x * 2

        @njit
        def f(x):
            return helper(x) + 1
        """,
        "f(1.0)",
    ),
    "NB120": (
        """
        from numba import njit

        @njit
        def f(x):
            import math
            return math.sqrt(x)
        """,
        "f(4.0)",
    ),
    "NB211": (
        """
        import numba

        @numba.njit
        def f(x):
            print(x, x, sep=",")
            return x
        """,
        "f(1)",
    ),
    "NB305": (
        """
        import numpy as np
        from numba import njit

        @njit
        def f(a):
            return a.tolist()
        """,
        "f(np.ones(3))",
    ),
    "NB309": (
        """
        import numpy as np
        from numba import njit

        @njit
        def f(a, b):
            out = np.empty_like(a)
            np.add(a, b, out=out)
            return out
        """,
        "f(np.ones(3), np.ones(3))",
    ),  # Raised while lowering: the message names no line for the linter to look at.
    "NB404": (
        """
        from numba import njit

        @njit
        def f(n):
            if n > 0:
                return 1
            return "negative"
        """,
        "f(1)",
    ),
    # Refused when the decorator runs: the message alone fits several rules (NB462 first).
    "NB453": (
        """
        from numba import float64, guvectorize, void

        @guvectorize([void(float64[:], float64[:])], "(n),(n)->(n)")
        def f(a, b, out):
            out[:] = a + b
        """,
        None,
    ),
}

# Messages that name no line of the function (only the frames of the caller and of Numba).
UNLOCATED = {"NB309"}


def run_case(folder: Path, code: str) -> str:
    """The traceback Python prints for the case, as a user would paste it."""
    source, call = CASES[code]
    path = folder / f"case_{code.lower()}.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    name = f"numba_check_live_{code.lower()}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
        if call is not None:
            eval(call, {**vars(module), "np": np})
    except Exception as exc:  # noqa: BLE001 - the refusal is what the test needs
        return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    finally:
        sys.modules.pop(name, None)
    pytest.fail(f"Numba compiled the {code} case")


@pytest.mark.parametrize("code", list(CASES))
def test_explain_a_real_traceback(code: str, tmp_path: Path) -> None:
    text = run_case(tmp_path, code)
    found = explain(text)
    assert found.candidates, f"nothing matched:\n{found.message.text}"
    first = found.candidates[0]
    assert first.code == code, f"{found.codes}:\n{found.message.text}"
    if code in UNLOCATED:
        assert first.linted is None
    else:
        assert first.linted is not None, "the linter did not confirm the rule"
        assert Path(first.linted.path).name == f"case_{code.lower()}.py"
    # Without the file, the message alone still names the rule among its candidates.
    assert code in explain(text, lint=False).codes
