"""Check every entry of numpy-limits.toml against the Numba that runs this script.

For each rejected argument form it compiles a call that uses the form, which must fail where
the data says the form is rejected and compile where it says the limit ended, and the same call
without the argument, which must compile (so the failure is the argument's). Builtin dtypes,
ufunc keywords and list arguments are checked the same way, each with its working spelling.
Run it with the interpreter of any environment that has Numba; numba-check need not be
installed there::

    /path/to/venv/bin/python tests/knowledge/verify_limits.py [--only TEXT]

tests/knowledge/test_limits_compile.py runs a sample of the same checks under pytest.
"""

from __future__ import annotations

import argparse
import ast
import importlib.metadata
import importlib.util
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
if str(SRC) not in sys.path:
    sys.path.insert(0, str(SRC))

from numba_check.knowledge import (  # noqa: E402
    accepted_arguments,
    all_argument_limits,
    numpy_limits,
    numpy_support,
)

# The compiled function is `f(a, a1, k, buf)`: `a` a 2-D float array, `a1` a 1-D one, `k` an
# int (0) and `buf` a bytes object of four float64 values.
PARAMETERS = "a, a1, k, buf"
ARGUMENTS = (
    "np.arange(1.0, 13.0).reshape(3, 4)",
    "np.array([3.0, 1.0, 2.0, 5.0])",
    "0",
    "np.arange(4.0).tobytes()",
)

# How to call each function with its required arguments; `{args}` takes the argument checked.
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
    "numpy.full": "np.full((2, 3), 1.5{args})",
    "numpy.empty_like": "np.empty_like(a{args}).shape",
    "numpy.full_like": "np.full_like(a, 1.5{args})",
    "numpy.reshape": "np.reshape(a, (4, 3){args})",
    "numpy.linspace": "np.linspace(1.0, 2.0, 5{args})",
    "numpy.geomspace": "np.geomspace(1.0, 8.0, 4{args})",
    "numpy.logspace": "np.logspace(0.0, 2.0, 3{args})",
    "numpy.random.choice": "np.random.choice(3, 2{args}).shape",
    "numpy.searchsorted": "np.searchsorted(np.sort(a1), 2.0{args})",
    "numpy.interp": "np.interp(1.5, a1, a1{args})",
    "numpy.histogram": "np.histogram(a, 3{args})[0]",
    "numpy.concatenate": "np.concatenate((a, a){args})",
    "numpy.stack": "np.stack((a, a){args})",
    "numpy.linalg.norm": "np.linalg.norm(a1{args})",
    "numpy.arange": "np.arange(2{args})",
    "numpy.identity": "np.identity(2{args})",
    "numpy.eye": "np.eye(2{args})",
    "numpy.frombuffer": "np.frombuffer(buf{args})",
    "numpy.dtype": "np.zeros(2, np.dtype({args}))",
    # Numba's np.array takes sequences and scalars, not arrays.
    "numpy.array": "np.array([1.0, 2.0]{args})",
}
# Calls without the argument, where the argument is required.
CONTROLS = {"numpy.expand_dims": "np.expand_dims(a, 0)"}
METHOD_CALLS = {
    "sort": "a1.copy().sort({args})",
    "argsort": "a1.argsort({args})",
    "argmax": "a.argmax({args})",
    "repeat": "a.repeat(2{args})",
    "astype": "a.astype(np.float64{args})",
    "reshape": "a.reshape((4, 3){args})",
}
DTYPE_METHOD_CALLS = {"astype": "a.astype({args})", "view": "a.view({args})"}
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
FORM_VALUES = {"none": "None", "tuple": "(0, 1)"}
# What each recorded effect looks like when the form is run.
EFFECTS = {"refused": "refused", "ignored": "differs", "raises": "raises"}
BUILTINS = ("int", "float", "bool", "complex")
# Calls whose dtype NumPy takes positionally only.
POSITIONAL_ONLY = frozenset({"numpy.dtype", "a.astype", "a.view"})
UFUNC_CALLS = (
    ("np.add(a, a, out=np.empty_like(a))", "np.add(a, a, np.empty_like(a))"),
    ("np.sqrt(a, out=np.empty_like(a))", "np.sqrt(a, np.empty_like(a))"),
    ("np.multiply(a, 2.0, where=a > 2.0)", "np.where(a > 2.0, np.multiply(a, 2.0), 0.0)"),
    ("np.add(a, a, dtype=np.float64)", "np.add(a, a)"),
)


@dataclass(frozen=True)
class Check:
    label: str
    expression: str
    # "refused" (compilation fails), "raises" or "differs" (compiles, then raises or gives
    # another result than NumPy), or "ok".
    expect: str


def checks(version: tuple[int, ...]) -> Iterator[Check]:
    """Every form the data records, with what `version` should do, and its controls."""
    yield from _argument_checks(version)
    yield from _accepted_checks(version)
    yield from _dtype_checks(version)
    yield from _ufunc_checks(version)
    yield from _sequence_checks(version)


def _argument_checks(version: tuple[int, ...]) -> Iterator[Check]:
    # One check per (callee, argument, value); the limits that hold at `version` decide it.
    expected: dict[tuple[str, str, str], str] = {}
    for limit in all_argument_limits():
        value = FORM_VALUES.get(limit.rejected, VALUES[limit.argument])
        holds = limit.applies(version)
        verdict = EFFECTS[limit.effect] if holds else "ok"
        for callee in [*limit.functions, *(f"a.{m}" for m in limit.methods)]:
            key = (callee, limit.argument, value)
            if expected.get(key, "ok") == "ok":
                expected[key] = verdict
    controls: set[str] = set()
    for (callee, argument, value), expect in expected.items():
        label = f"{callee}({argument}={value})"
        if callee.startswith("a."):
            method = callee[2:]
            template = METHOD_CALLS.get(method, f"a.{method}({{args}})")
            sep = "" if "({args}" in template else ", "
            yield Check(label, template.format(args=f"{sep}{argument}={value}"), expect)
            control = template.format(args="")
        else:
            template = CALLS.get(callee, f"np.{callee[len('numpy.') :]}(a{{args}})")
            yield Check(
                label,
                template.format(args=f", {argument}={value}"),
                _unless_untypable(version, callee, expect),
            )
            control = CONTROLS.get(callee, template.format(args=""))
        if callee not in controls:
            controls.add(callee)
            yield Check(f"{callee}() control", control, _unless_untypable(version, callee, "ok"))


def _accepted_checks(version: tuple[int, ...]) -> Iterator[Check]:
    """The recorded working forms compile and agree (from their `since` on)."""
    for form in accepted_arguments():
        values = [VALUES.get(form.argument, "0")]
        if form.rejected == "dynamic":
            values.append("k")
        elif form.rejected == "tuple":
            values = ["(0, 1)"]
        expect = "ok" if form.since is None or version >= form.since else "refused"
        for value in values:
            for func in form.functions:
                template = CALLS.get(func, f"np.{func[len('numpy.') :]}(a{{args}})")
                label = f"accepted {func}({form.argument}={value})"
                yield Check(
                    label,
                    template.format(args=f", {form.argument}={value}"),
                    _unless_untypable(version, func, expect),
                )
            for method in form.methods:
                template = METHOD_CALLS.get(method, f"a.{method}({{args}})")
                sep = "" if "({args}" in template else ", "
                label = f"accepted a.{method}({form.argument}={value})"
                yield Check(label, template.format(args=f"{sep}{form.argument}={value}"), expect)


def _unless_untypable(version: tuple[int, ...], func: str, expect: str) -> str:
    """A function that Numba cannot type at all is refused whatever its arguments (NB303)."""
    if func.startswith("numpy.") and numpy_support(version).unsupported(func):
        return "refused"
    return expect


def _dtype_checks(version: tuple[int, ...]) -> Iterator[Check]:
    limits = numpy_limits(version)
    replacements = limits.builtin_dtype_replacements
    forms = [
        (f, e, CALLS.get(f, f"np.{f[len('numpy.') :]}(a{{args}})"))
        for f, e in limits.builtin_dtype.items()
    ]
    forms += [(f"a.{m}", e, DTYPE_METHOD_CALLS[m]) for m, e in limits.builtin_dtype_methods.items()]
    for name, entry, template in forms:
        sep = "" if "({args}" in template else ", "
        spellings = ["dtype={}"] if name not in POSITIONAL_ONLY else []
        if entry.position is not None and entry.position == _arg_count(template, name):
            spellings.append("{}")
        # Where the dtype argument itself is refused, no spelling of it compiles.
        dtype_refused = name.startswith("numpy.") and any(
            limit.argument == "dtype" for limit in limits.for_function(name)
        )
        for builtin in BUILTINS:
            expect = {"refused": "refused", "ignored": "differs"}.get(
                entry.builtins.get(builtin, ""), "ok"
            )
            for spelling in spellings:
                argument = spelling.format(builtin)
                label = f"{name}({argument})"
                yield Check(label, template.format(args=f"{sep}{argument}"), expect)
            numpy_type = replacements[builtin]
            argument = spellings[0].format(numpy_type)
            yield Check(
                f"{name}({argument})",
                template.format(args=f"{sep}{argument}"),
                "refused" if dtype_refused else "ok",
            )


def _arg_count(template: str, name: str) -> int:
    """How many positional arguments the call of `name` in `template` has before `{args}`."""
    attr = name.rsplit(".", 1)[-1]
    tree = ast.parse(template.format(args=""), mode="eval")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == attr:
            return len(node.args)
    return -1


def _ufunc_checks(version: tuple[int, ...]) -> Iterator[Check]:
    expect = "refused" if numpy_limits(version).ufunc_keywords_rejected else "ok"
    for keyword_form, positional_form in UFUNC_CALLS:
        yield Check(keyword_form, keyword_form, expect)
        yield Check(positional_form, positional_form, "ok")


def _sequence_checks(version: tuple[int, ...]) -> Iterator[Check]:
    for func in numpy_limits(version).sequence_functions:
        name = func[len("numpy.") :]
        yield Check(f"{func}([a, a])", f"np.{name}([a, a])", "refused")
        yield Check(f"{func}((a, a))", f"np.{name}((a, a))", "ok")


def outcome(expression: str) -> tuple[str, str]:
    """How Numba does on `expression` compared with NumPy, and a detail.

    "refused" (compilation fails), "raises" (compiles, then raises where NumPy does not),
    "differs" (compiles, the result differs), "ok", or "python-fails" (not valid NumPy).
    """
    import numba
    import numpy as np

    source = f"def f({PARAMETERS}):\n    return {expression}\n"
    namespace: dict = {"np": np}
    exec(source, namespace)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            expected = namespace["f"](*_arguments(np))
        except Exception as exc:  # noqa: BLE001 - the form is not even valid NumPy
            return "python-fails", f"{type(exc).__name__}: {exc}"
        compiled = numba.njit(namespace["f"])
        try:
            got = compiled(*_arguments(np))
        except Exception as exc:  # noqa: BLE001 - any failure is Numba's verdict
            # Compiled, then raised while running: not a refusal but a different result.
            verdict = "raises" if compiled.overloads else "refused"
            return verdict, _first_line(exc)
    if _same(np, got, expected):
        return "ok", ""
    return "differs", " ".join(f"{got!r} vs NumPy {expected!r}".split())[:120]


def _arguments(np) -> list:
    return [eval(a, {"np": np}) for a in ARGUMENTS]


def _same(np, a, b) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(np, x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.dtype == b.dtype and a.shape == b.shape and bool(np.array_equal(a, b))
    # Scalars: Numba returns Python scalars where NumPy returns NumPy ones; compare the kind.
    x, y = np.asarray(a), np.asarray(b)
    return x.dtype.kind == y.dtype.kind and bool(x == y)


def _first_line(exc: Exception) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    useful = [
        line
        for line in lines
        if line.startswith(("No implementation", "Unknown attribute", "Use of unsupported"))
        or "keyword" in line
    ]
    return f"{type(exc).__name__}: {(useful or lines or [''])[0]}"


def installed_version() -> tuple[int, ...]:
    text = importlib.metadata.version("numba").split("+")[0]
    return tuple(int(p) for p in text.split(".")[:3] if p.isdigit())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="check only labels containing this text")
    args = parser.parse_args(argv)
    version = installed_version()
    bad = total = 0
    have_scipy = importlib.util.find_spec("scipy") is not None
    for check in checks(version):
        if args.only not in check.label:
            continue
        if "linalg" in check.label and not have_scipy:
            print(f"skip {check.label} (NumPy's linear algebra needs SciPy to compile)")
            continue
        total += 1
        got, detail = outcome(check.expression)
        ok = got == check.expect
        bad += not ok
        status = "ok " if ok else "BAD"
        print(
            f"{status} {check.label:48s} {got:8s} (expected {check.expect}) {detail[:80]}",
            flush=True,
        )
    print(f"numba {'.'.join(map(str, version))}: {total - bad}/{total} as recorded")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
