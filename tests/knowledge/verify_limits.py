"""Check every entry of numpy-limits.toml against the Numba that runs this script.

For each rejected argument form it compiles a call that uses the form, which must fail where
the data says the form is rejected and compile where it says the limit ended, and the same call
without the argument, which must compile (so the failure is the argument's). Run it with the
interpreter of any environment that has Numba; numba-check need not be installed there::

    /path/to/venv/bin/python tests/knowledge/verify_limits.py [--only FILTER]

tests/knowledge/test_limits_compile.py runs a sample of the same checks under pytest.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from numba_check.knowledge import all_argument_limits  # noqa: E402

A2 = "np.arange(1.0, 13.0).reshape(3, 4)"
A1 = "np.array([3.0, 1.0, 2.0, 5.0])"

# How to call each function with its required arguments; `{args}` takes the argument checked.
# `a` is a 2-D float array, `a1` a 1-D one, `k` an int parameter (0).
CALLS = {
    "numpy.percentile": "np.percentile(a, 50.0{args})",
    "numpy.nanpercentile": "np.nanpercentile(a, 50.0{args})",
    "numpy.quantile": "np.quantile(a, 0.5{args})",
    "numpy.nanquantile": "np.nanquantile(a, 0.5{args})",
    "numpy.repeat": "np.repeat(a, 2{args})",
    "numpy.roll": "np.roll(a, 1{args})",
    "numpy.sort": "np.sort(a1{args})",
    "numpy.argsort": "np.argsort(a1{args})",
    "numpy.zeros": "np.zeros((2, 3){args})",
    "numpy.ones": "np.ones((2, 3){args})",
    "numpy.empty": "np.empty((2, 3){args}).shape",
    "numpy.full": "np.full((2, 3), 1.0{args})",
    "numpy.empty_like": "np.empty_like(a{args}).shape",
    "numpy.full_like": "np.full_like(a, 1.0{args})",
    "numpy.reshape": "np.reshape(a, (4, 3){args})",
    "numpy.linspace": "np.linspace(1.0, 2.0, 5{args})",
    "numpy.geomspace": "np.geomspace(1.0, 8.0, 4{args})",
    "numpy.logspace": "np.logspace(0.0, 2.0, 3{args})",
    "numpy.random.choice": "np.random.choice(3, 2{args}).shape",
    "numpy.searchsorted": "np.searchsorted(np.sort(a1), 2.0{args})",
    "numpy.interp": "np.interp(1.5, a1, a1{args})",
    "numpy.histogram": "np.histogram(a, 3{args})[0]",
    "numpy.concatenate": "np.concatenate((a, a){args})",
    "numpy.linalg.norm": "np.linalg.norm(a1{args})",
}
METHOD_CALLS = {
    "sort": "a1.copy().sort({args})",
    "argsort": "a1.argsort({args})",
    "repeat": "a.repeat(2{args})",
    "astype": "a.astype(np.float64{args})",
    "reshape": "a.reshape((4, 3){args})",
}
# A value for each argument when any value is rejected.
VALUES = {
    "axis": "0",
    "ddof": "1",
    "keepdims": "True",
    "dtype": "np.float64",
    "order": "'C'",
    "endpoint": "True",
    "retstep": "True",
    "base": "10.0",
    "return_index": "True",
    "return_inverse": "True",
    "return_counts": "True",
    "equal_nan": "True",
    "p": "np.array([0.2, 0.3, 0.5])",
    "kind": "'mergesort'",
    "method": "'linear'",
    "sorter": "np.arange(4)",
    "left": "0.0",
    "right": "0.0",
    "density": "True",
    "weights": "a",
    "copy": "True",
    "ndmin": "2",
    "shape": "(2, 6)",
}
FORM_VALUES = {"none": "None", "dynamic": "k", "tuple": "(0, 1)"}


@dataclass(frozen=True)
class Check:
    label: str
    expression: str
    expect_refused: bool


def checks(version: tuple[int, ...]) -> Iterator[Check]:
    """Every (form, function) of the data with what `version` should do, and a control."""
    seen: set[tuple[str, str, str]] = set()
    controls: set[str] = set()
    for limit in all_argument_limits():
        value = FORM_VALUES.get(limit.rejected, VALUES[limit.argument])
        refused = limit.applies(version)
        for func in limit.functions:
            key = (limit.argument, limit.rejected, func)
            if key in seen:
                continue
            seen.add(key)
            template = CALLS.get(func, f"np.{func[len('numpy.') :]}(a{{args}})")
            label = f"{func}({limit.argument}={value})"
            yield Check(label, template.format(args=f", {limit.argument}={value}"), refused)
            if func not in controls:
                controls.add(func)
                yield Check(f"{func}() control", template.format(args=""), False)
        for method in limit.methods:
            template = METHOD_CALLS.get(method, f"a.{method}({{args}})")
            sep = "" if template.endswith("({args})") else ", "
            label = f"a.{method}({limit.argument}={value})"
            yield Check(label, template.format(args=f"{sep}{limit.argument}={value}"), refused)
            if method not in controls:
                controls.add(method)
                yield Check(f"a.{method}() control", template.format(args=""), False)


def refused(expression: str) -> tuple[bool, str]:
    """Whether Numba fails on `expression` (run under @njit), and its first message line."""
    import numba
    import numpy as np

    source = f"def f(a, a1, k):\n    return {expression}\n"
    namespace: dict = {"np": np}
    exec(source, namespace)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            numba.njit(namespace["f"])(eval(A2, {"np": np}), eval(A1, {"np": np}), 0)
        except Exception as exc:  # noqa: BLE001 - any failure is Numba's verdict
            text = str(exc).strip().splitlines()
            return True, f"{type(exc).__name__}: {text[0] if text else ''}"
    return False, ""


def installed_version() -> tuple[int, ...]:
    text = importlib.metadata.version("numba").split("+")[0]
    return tuple(int(p) for p in text.split(".")[:3] if p.isdigit())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="check only labels containing this text")
    args = parser.parse_args(argv)
    version = installed_version()
    bad = 0
    total = 0
    for check in checks(version):
        if args.only not in check.label:
            continue
        total += 1
        failed, message = refused(check.expression)
        ok = failed == check.expect_refused
        bad += not ok
        verdict = "refused" if failed else "compiled"
        status = "ok " if ok else "BAD"
        print(f"{status} {check.label:55s} {verdict:8s} {message[:90]}", flush=True)
    print(f"numba {'.'.join(map(str, version))}: {total - bad}/{total} as recorded")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
