"""A sample of verify_limits.py under pytest: each recorded form against the installed Numba.

One check per argument limit (its first function or method, with the same call without the
argument as a control), and a few of the dtype, ufunc-keyword and list checks. The full run,
for any Numba, is ``python tests/knowledge/verify_limits.py``.
"""

from __future__ import annotations

import importlib.util

import pytest

from . import verify_limits

pytest.importorskip("numba")

# Facts about the compiler: each recorded limit compiled with the installed Numba.
pytestmark = pytest.mark.compiler

VERSION = verify_limits.installed_version()


def _sample() -> list:
    out = []
    seen_limits: set[tuple[str, str, str | None]] = set()
    seen_kinds: dict[str, int] = {}
    checks = list(verify_limits.checks(VERSION))
    for i, check in enumerate(checks):
        if "linalg" in check.label and importlib.util.find_spec("scipy") is None:
            continue  # NumPy's linear algebra needs SciPy to compile
        kind = _kind(check)
        if kind == "argument":
            key = (check.label.split("(", 1)[1], check.expect, None)
            if key in seen_limits:
                continue
            seen_limits.add(key)
            out.append(check)
            control = next((c for c in checks[i + 1 :] if c.label.endswith("control")), None)
            if control is not None and control not in out:
                out.append(control)
        elif seen_kinds.get(kind, 0) < 6:
            seen_kinds[kind] = seen_kinds.get(kind, 0) + 1
            out.append(check)
    return [pytest.param(c, id=c.label) for c in out]


def _kind(check: verify_limits.Check) -> str:
    if check.label.endswith("control"):
        return "control"
    if "([a, a])" in check.label or "((a, a))" in check.label:
        return "sequence"
    if check.expression.startswith(("np.add(", "np.sqrt(", "np.multiply(", "np.where(")):
        return "ufunc"
    argument = check.label.split("(", 1)[1].rstrip(")")
    if argument.split("=")[-1] in verify_limits.BUILTINS or argument.startswith("np."):
        return "dtype"
    return "argument"


@pytest.mark.parametrize("check", _sample())
def test_recorded_form(check: verify_limits.Check) -> None:
    got, detail = verify_limits.outcome(check.expression)
    assert got == check.expect, f"{check.expression}: {got} ({detail})"
