"""Does the plugin's pure-Python stencil compute what Numba's ``@stencil`` computes?

The oracle is Numba's own test suite, installed with it: every case of ``TestManyStencils`` in
``numba/tests/test_stencils.py`` calls ``check_against_expected(kernel, expected, *args,
options=...)`` (``expected`` written out by hand by Numba's developers) or
``check_exceptions(kernel, *args, ...)``. This script runs those cases with both methods
replaced: each kernel is decorated with ``@stencil(**options)``, called compiled (the user's
``StencilFunc`` from Python, as ``numba_check(stencil_func, *args)`` calls it) and as the
plugin's ``StencilReference``, and the two are compared with the plugin's own comparator (what
``numba_check`` would report). A case where Numba refuses the kernel is a compile error: the
plugin reports Numba's message there and never runs the reference.

    python benchmarks/stencil_reference.py            # every case, about a minute
    python benchmarks/stencil_reference.py --only basic0 -v
"""

from __future__ import annotations

import argparse
import contextlib
import io
import unittest
import warnings
from collections import Counter
from typing import Any

import numpy as np

from numba_check.pytest_plugin.compare import Tolerance, compare
from numba_check.pytest_plugin.stencil import StencilReference


def judge(kernel: Any, args: tuple, options: dict[str, Any]) -> tuple[str, str]:
    """(outcome, detail) of one kernel: agree, differ, compile error, or one side raising."""
    from numba import stencil
    from numba.core.errors import NumbaError

    try:
        compiled = stencil(kernel, **options)
    except Exception as exc:  # noqa: BLE001 - Numba refusing the decorator's options
        return "compile error", f"{type(exc).__name__}: {exc}"
    try:
        got = compiled(*args)
    except NumbaError as exc:
        return "compile error", f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
    except Exception as exc:  # noqa: BLE001
        got_error: BaseException | None = exc
    else:
        got_error = None
    try:
        expected = StencilReference(kernel, compiled)(*args)
    except Exception as exc:  # noqa: BLE001
        if got_error is not None and type(got_error) is type(exc):
            return "agree", f"both raised {type(exc).__name__}"
        return "reference raised", f"{type(exc).__name__}: {exc}"
    if got_error is not None:
        return "compiled raised", f"{type(got_error).__name__}: {got_error}"
    with np.errstate(all="ignore"):
        mismatch = compare(expected, got, "return", Tolerance(rtol=None))
    if mismatch is None:
        return "agree", ""
    return "differ", mismatch.format().replace("\n", " | ")


def _cases(only: str | None) -> list[tuple[str, Any, tuple, dict[str, Any]]]:
    """(test name, kernel, args, options) of every TestManyStencils case, by running each test
    method with the checking methods replaced by a recorder."""
    from numba.tests import test_stencils

    found: list[tuple[str, Any, tuple, dict[str, Any]]] = []

    class Recorder(test_stencils.TestManyStencils):
        def check_against_expected(self, pyfunc: Any, expected: Any, *args: Any, **kw: Any):
            found.append((self._testMethodName, pyfunc, args, kw.get("options", {})))

        def check_exceptions(self, pyfunc: Any, *args: Any, **kw: Any) -> None:
            found.append((self._testMethodName, pyfunc, args, kw.get("options", {})))

    names = [n for n in unittest.TestLoader().getTestCaseNames(Recorder) if not only or only in n]
    suite = unittest.TestSuite(Recorder(n) for n in names)
    with contextlib.redirect_stderr(io.StringIO()):
        unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(suite)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="test names containing this text")
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per case")
    opts = parser.parse_args(argv)

    cases = _cases(opts.only)
    counts: Counter[str] = Counter()
    listed = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, kernel, args, options in cases:
            outcome, detail = judge(kernel, args, options)
            counts[outcome] += 1
            if opts.verbose or outcome not in ("agree", "compile error"):
                listed.append(f"  {name}: {outcome}{': ' + detail if detail else ''}")
    print(f"Numba's TestManyStencils: {len(cases)} kernels")
    for outcome in ("agree", "compile error", "differ", "compiled raised", "reference raised"):
        print(f"  {outcome}: {counts[outcome]}")
    if listed:
        print("\n".join(listed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
