"""Deep equality between what Python computed and what Numba computed.

The first difference found is returned as a Mismatch that says where it is (``return[2]``,
``arg 1 'out'[3, 0]``), what was expected, what was got, and by how much.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

_KIND_NAMES = {"b": "bool", "i": "int", "u": "int", "f": "float", "c": "complex"}


# Relative tolerance by the least precise float type compared, when none is given: about a
# hundred units in the last place, loose enough for a different summation order or libm, tight
# enough to catch a wrong formula (assertPreciseEqual also picks its precision by the type).
DEFAULT_RTOL = {2: 1e-3, 4: 1e-5, 8: 1e-7}
FLOAT64_RTOL = 1e-7


@dataclass(frozen=True)
class Tolerance:
    rtol: float | None = FLOAT64_RTOL  # None: chosen from the dtypes compared (default_rtol)
    atol: float = 0.0
    check_dtype: bool = True

    def for_values(self, expected: Any, got: Any) -> Tolerance:
        if self.rtol is not None:
            return self
        return Tolerance(default_rtol(expected, got), self.atol, self.check_dtype)


def _float_size(value: Any) -> int | None:
    dtype = getattr(value, "dtype", None)
    if dtype is None:
        return 8 if isinstance(value, (float, complex)) else None
    if dtype.kind == "f":
        return dtype.itemsize
    if dtype.kind == "c":
        return dtype.itemsize // 2
    return None


def default_rtol(expected: Any, got: Any) -> float:
    """The relative tolerance for comparing these two values when the user gave none."""
    sizes = [s for s in (_float_size(expected), _float_size(got)) if s is not None]
    if not sizes:
        return FLOAT64_RTOL
    return DEFAULT_RTOL.get(min(sizes), FLOAT64_RTOL)


@dataclass(frozen=True)
class Mismatch:
    """The first place where the two results differ."""

    where: str
    reason: str
    expected: str
    got: str
    detail: str = ""

    def format(self) -> str:
        lines = [f"  where:    {self.where}", f"  problem:  {self.reason}"]
        lines += [f"  expected: {self.expected}   (Python)", f"  got:      {self.got}   (Numba)"]
        if self.detail:
            lines.append(f"  {self.detail}")
        return "\n".join(lines)


def _short(value: Any, limit: int = 200) -> str:
    if isinstance(value, np.ndarray):
        with np.printoptions(threshold=20, edgeitems=3, precision=8):
            text = f"array({np.array2string(value, separator=', ')}, dtype={value.dtype})"
    elif isinstance(value, np.generic):
        text = repr(value.item())  # 1.0, not np.float64(1.0): the dtype is reported apart
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _kind(value: Any) -> str | None:
    """Numeric kind of a scalar or array: bool, int, float, complex; None if not numeric."""
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, (int, np.integer)):
        return "int"
    if isinstance(value, (float, np.floating)):
        return "float"
    if isinstance(value, (complex, np.complexfloating)):
        return "complex"
    if isinstance(value, np.ndarray):
        return _KIND_NAMES.get(value.dtype.kind)
    return None


def _type_name(value: Any) -> str:
    if isinstance(value, (np.ndarray, np.generic)):
        return str(value.dtype)
    return type(value).__name__


def _index(idx: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(int(i)) for i in idx) + "]"


def _scalar_mismatch(path: str, expected: Any, got: Any, tol: Tolerance) -> Mismatch | None:
    tol = tol.for_values(expected, got)
    ke, kg = _kind(expected), _kind(got)
    if tol.check_dtype and ke != kg:
        return Mismatch(
            path,
            f"numeric kind differs: Python gives {ke} ({_type_name(expected)}), "
            f"Numba gives {kg} ({_type_name(got)})",
            _short(expected),
            _short(got),
        )
    if ke in ("int", "bool") and kg in ("int", "bool"):
        # Exact integers: Python ints do not wrap, so compare them as Python ints.
        if int(expected) == int(got):
            return None
        err = abs(int(expected) - int(got))
        rel = err / abs(int(expected)) if int(expected) else math.inf
        return Mismatch(
            path,
            "integers differ" + (" (int64 overflow?)" if _overflowed(expected, got) else ""),
            _short(expected),
            _short(got),
            f"abs error {float(err):.6g}, rel error {rel:.6g}",
        )
    e, g = complex(expected), complex(got)
    if _close(e, g, tol):
        return None
    err = abs(e - g)
    rel = err / abs(e) if e != 0 else math.inf
    return Mismatch(
        path,
        f"values differ beyond rtol={tol.rtol:g}, atol={tol.atol:g}",
        _short(expected),
        _short(got),
        f"abs error {err:.6g}, rel error {rel:.6g}",
    )


def _overflowed(expected: Any, got: Any) -> bool:
    return abs(int(expected)) > 2**63 - 1 and abs(int(got)) <= 2**63


def _close(e: complex, g: complex, tol: Tolerance) -> bool:
    # Component-wise, like numpy.isclose(equal_nan=True): NaN equals NaN, inf equals inf.
    for a, b in ((e.real, g.real), (e.imag, g.imag)):
        if math.isnan(a) or math.isnan(b):
            if not (math.isnan(a) and math.isnan(b)):
                return False
            continue
        if a == b:
            continue
        if math.isinf(a) or math.isinf(b) or abs(a - b) > tol.atol + tol.rtol * abs(a):
            return False
    return True


def _array_mismatch(path: str, expected: np.ndarray, got: np.ndarray, tol: Tolerance):
    tol = tol.for_values(expected, got)
    ke, kg = _kind(expected), _kind(got)
    if tol.check_dtype and ke != kg:
        return Mismatch(
            path,
            f"dtype kind differs: Python gives {ke or expected.dtype} ({expected.dtype}), "
            f"Numba gives {kg or got.dtype} ({got.dtype})",
            _short(expected),
            _short(got),
        )
    if expected.shape != got.shape:
        return Mismatch(
            path, f"shape differs: {expected.shape} vs {got.shape}", _short(expected), _short(got)
        )
    if expected.size == 0:
        return None
    if ke is None or kg is None:
        # Structured, string or object arrays: element by element.
        if expected.dtype == object or got.dtype == object:
            for idx in np.ndindex(expected.shape):
                m = compare(expected[idx], got[idx], f"{path}{_index(idx)}", tol)
                if m:
                    return m
            return None
        ok = expected == got
    elif ke in ("int", "bool") and kg in ("int", "bool"):
        ok = expected == got
    else:
        ok = np.isclose(got, expected, rtol=tol.rtol, atol=tol.atol, equal_nan=True)
    ok = np.asarray(ok)
    if ok.all():
        return None
    bad = np.argwhere(~ok) if ok.ndim else np.zeros((1, 0), dtype=int)
    first = tuple(bad[0])
    where = f"{path}{_index(first)}" if first else path
    detail = f"{len(bad)} of {expected.size} elements differ"
    if ke is not None and kg is not None:
        with np.errstate(all="ignore"):
            e = expected.astype(np.complex128 if "complex" in (ke, kg) else np.float64)
            g = got.astype(e.dtype)
            diff = np.abs(e - g)
            both_nan = np.isnan(e) & np.isnan(g)
            diff = np.where(both_nan | (e == g), 0.0, diff)
            rel = np.where(diff == 0, 0.0, diff / np.abs(e))
        detail += f"; max abs error {np.nanmax(diff):.6g}, max rel error {np.nanmax(rel):.6g}"
    return Mismatch(
        where,
        "values differ"
        + (f" beyond rtol={tol.rtol:g}, atol={tol.atol:g}" if ke in ("float", "complex") else ""),
        _short(expected[first] if first else expected[()]),
        _short(got[first] if first else got[()]),
        detail,
    )


def _is_sequence(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return True
    # numba.typed.List without importing numba.
    return type(value).__name__ in ("List", "ListType") and hasattr(value, "__len__")


def _is_jitclass(value: Any) -> bool:
    return type(value).__module__ == "numba.experimental.jitclass.boxing" and hasattr(
        value, "_numba_type_"
    )


def _is_mapping(value: Any) -> bool:
    return isinstance(value, Mapping) or type(value).__name__ == "Dict"


def _random_state(value: Any) -> Any:
    """The state of a NumPy random generator (compared instead of the object), else None."""
    import numpy.random as npr

    if isinstance(value, npr.Generator):
        return value.bit_generator.state
    if isinstance(value, npr.RandomState):
        return value.get_state(legacy=False)
    return None


def compare(expected: Any, got: Any, path: str, tol: Tolerance) -> Mismatch | None:
    """Return the first difference between expected (Python) and got (Numba), or None."""
    state_e, state_g = _random_state(expected), _random_state(got)
    if state_e is not None and state_g is not None:
        exact = Tolerance(0.0, 0.0, True)
        m = compare(state_e, state_g, f"{path}.bit_generator.state", exact)
        if m is not None:
            return replace(m, reason=f"random generator state differs: {m.reason}")
        return None
    if (_is_jitclass(got) or _is_jitclass(expected)) and all(
        _is_jitclass(v) or hasattr(v, "__dict__") for v in (expected, got)
    ):
        # The reference holds a plain instance of the jitclass's Python class (pure.py):
        # compared field by field, as two jitclass instances are.
        jitted = got if _is_jitclass(got) else expected
        for name in jitted._numba_type_.struct:
            if not (hasattr(expected, name) and hasattr(got, name)):
                return Mismatch(
                    f"{path}.{name}",
                    "field missing on one side",
                    _short(getattr(expected, name, "(missing)")),
                    _short(getattr(got, name, "(missing)")),
                )
            m = compare(getattr(expected, name), getattr(got, name), f"{path}.{name}", tol)
            if m:
                return m
        return None
    if isinstance(expected, np.ndarray) or isinstance(got, np.ndarray):
        if not (isinstance(expected, np.ndarray) and isinstance(got, np.ndarray)):
            return Mismatch(
                path,
                f"type differs: Python gives {type(expected).__name__}, "
                f"Numba gives {type(got).__name__}",
                _short(expected),
                _short(got),
            )
        return _array_mismatch(path, expected, got, tol)
    if _kind(expected) is not None and _kind(got) is not None:
        return _scalar_mismatch(path, expected, got, tol)
    if _is_sequence(expected) and _is_sequence(got):
        if len(expected) != len(got):
            return Mismatch(
                path,
                f"length differs: {len(expected)} vs {len(got)}",
                _short(expected),
                _short(got),
            )
        for i, (e, g) in enumerate(zip(expected, got, strict=True)):
            m = compare(e, g, f"{path}[{i}]", tol)
            if m:
                return m
        return None
    if _is_mapping(expected) and _is_mapping(got):
        if set(expected.keys()) != set(got.keys()):
            return Mismatch(
                path,
                "keys differ",
                _short(sorted(expected.keys(), key=repr)),
                _short(sorted(got.keys(), key=repr)),
            )
        for k in expected:
            m = compare(expected[k], got[k], f"{path}[{k!r}]", tol)
            if m:
                return m
        return None
    if isinstance(expected, (set, frozenset)) and isinstance(got, (set, frozenset)):
        if expected == got:
            return None
        return Mismatch(path, "sets differ", _short(expected), _short(got))
    try:
        equal = bool(expected == got)
    except Exception:  # noqa: BLE001 - objects whose == is not a truth value
        equal = repr(expected) == repr(got)
    if equal and (expected is None) == (got is None):
        return None
    reason = (
        f"type differs: Python gives {type(expected).__name__}, Numba gives {type(got).__name__}"
        if type(expected) is not type(got)
        else "values differ"
    )
    return Mismatch(path, reason, _short(expected), _short(got))
