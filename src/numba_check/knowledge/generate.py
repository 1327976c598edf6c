"""Ask the installed Numba which NumPy names, ndarray attributes, builtins, standard-library
functions and methods of Python's containers it can type.

Run it with the interpreter of any environment that has Numba (numba-check itself need not be
installed there)::

    python src/numba_check/knowledge/generate.py --out src/numba_check/knowledge/data
    PYTHONPATH=src python -m numba_check.knowledge.generate --out src/numba_check/knowledge/data

It writes ``numpy-<major>.<minor>.json`` and ``python-<major>.<minor>.json`` for the Numba it
runs under. The answer is the one a real compile gets: the typing context's
``resolve_value_type`` raises ValueError exactly for the globals that compilation reports as
"Use of unsupported NumPy function" or "Untyped global name", and ``resolve_getattr`` returns
None for the attributes it reports as "Unknown attribute". The registry answers "is this
name known?", not "is this argument form accepted?": those limits live in ``numpy-limits.toml``.

This module imports nothing from numba_check, so running it by path works anywhere.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import types as pytypes
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# The NumPy namespaces whose public callables are checked, in the order they are reported.
NAMESPACES = (
    "numpy",
    "numpy.linalg",
    "numpy.random",
    "numpy.fft",
    "numpy.emath",
    "numpy.polynomial.polynomial",
    "numpy.polynomial.polyutils",
    "numpy.lib.stride_tricks",
)

# Other types Numba supports whose attributes could share a name with an ndarray method
# (`l.copy()` on a list, `d.items()`, `s.count()`): the linter must not take such a call for an
# array method without knowing that the receiver is an array.
OTHER_TYPES = (
    ("reflected list", lambda t: t.List(t.float64, reflected=True)),
    ("typed.List", lambda t: t.ListType(t.float64)),
    ("typed.Dict", lambda t: t.DictType(t.int64, t.float64)),
    ("set", lambda t: t.Set(t.int64)),
    ("str", lambda t: t.unicode_type),
    ("bytes", lambda t: t.Bytes(t.uint8, 1, "C")),
    ("tuple", lambda t: t.UniTuple(t.float64, 2)),
    ("int64", lambda t: t.int64),
    ("float64", lambda t: t.float64),
    ("complex128", lambda t: t.complex128),
    ("bool", lambda t: t.boolean),
    ("np.random.Generator", lambda t: t.NumPyRandomGeneratorType("Generator")),
)


# Python's own namespaces whose public callables are checked: the builtins and the standard
# modules Numba implements.
PYTHON_MODULES = ("builtins", "math", "cmath", "random", "operator")

# Python's containers whose public methods are checked: (label, the Python type whose names are
# asked, the Numba type a compiled function sees). A dict display builds the same typed dict
# as `numba.typed.Dict`; a list or set argument arrives reflected, a display is not: their
# methods are the same.
METHOD_TYPES = (
    ("str", str, lambda t: t.unicode_type),
    ("bytes", bytes, lambda t: t.Bytes(t.uint8, 1, "C")),
    ("list", list, lambda t: t.List(t.int64, reflected=True)),
    ("dict", dict, lambda t: t.DictType(t.int64, t.float64)),
    ("set", set, lambda t: t.Set(t.int64, reflected=True)),
    ("tuple", tuple, lambda t: t.UniTuple(t.int64, 2)),
    ("typed.List", list, lambda t: t.ListType(t.int64)),
    ("typed.Dict", dict, lambda t: t.DictType(t.int64, t.float64)),
)


def public_callables(module: pytypes.ModuleType) -> Iterable[tuple[str, Any]]:
    for name in sorted(dir(module)):
        if name.startswith("_"):
            continue
        with warnings.catch_warnings():
            # Deprecated aliases warn (or raise) on access; they are still worth recording.
            warnings.simplefilter("ignore")
            try:
                obj = getattr(module, name)
            except Exception:  # noqa: BLE001 - NumPy raises AttributeError subclasses and more
                continue
        if isinstance(obj, pytypes.ModuleType) or not callable(obj):
            continue
        yield name, obj


def _module(name: str) -> pytypes.ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        pass
    # `numpy.emath` is an attribute of numpy (numpy.lib.scimath), not an importable module.
    parent, _, attr = name.rpartition(".")
    outer = _module(parent) if parent else None
    found = getattr(outer, attr, None)
    return found if isinstance(found, pytypes.ModuleType) else None


def typable(typing_context: Any, obj: Any) -> bool:
    try:
        typing_context.resolve_value_type(obj)
    except ValueError:
        return False
    except Exception:  # noqa: BLE001 - some objects make typeof fail in other ways
        return False
    return True


def has_attribute(typing_context: Any, ty: Any, name: str) -> bool:
    try:
        return typing_context.resolve_getattr(ty, name) is not None
    except Exception:  # noqa: BLE001 - a template that raises does not type the attribute
        return False


def collect() -> dict[str, Any]:
    import numba
    import numpy as np
    from numba.core import types
    from numba.core.registry import cpu_target

    # typing_context.refresh() alone loads only the core registries (np.sum is then unknown):
    # the NumPy implementations are registered by the target context's additional registries.
    cpu_target.target_context.refresh()
    tc = cpu_target.typing_context

    namespaces: dict[str, dict[str, list[str]]] = {}
    ufuncs: list[str] = []
    for modname in NAMESPACES:
        module = _module(modname)
        if module is None:
            continue
        yes, no = [], []
        for name, obj in public_callables(module):
            qualified = f"{modname}.{name}"
            if typable(tc, obj):
                yes.append(qualified)
                if isinstance(obj, np.ufunc):
                    ufuncs.append(qualified)
            else:
                no.append(qualified)
        namespaces[modname] = {"typable": yes, "not_typable": no}

    # Methods and attributes of NumPy ufuncs (np.add.reduce), asked of one typable ufunc.
    add_type = tc.resolve_value_type(np.add)
    ufunc_names = sorted(n for n in dir(np.add) if not n.startswith("_"))
    ufunc_yes = [n for n in ufunc_names if has_attribute(tc, add_type, n)]

    array_type = types.Array(types.float64, 2, "C")
    array_names = sorted(n for n in dir(np.ndarray) if not n.startswith("_"))
    array_yes = [n for n in array_names if has_attribute(tc, array_type, n)]

    elsewhere: dict[str, list[str]] = {}
    for label, make in OTHER_TYPES:
        try:
            ty = make(types)
        except Exception:  # noqa: BLE001 - a type this Numba does not have
            continue
        for name in array_names:
            if has_attribute(tc, ty, name):
                elsewhere.setdefault(name, []).append(label)

    return {
        "numba": numba.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "generated_by": "python -m numba_check.knowledge.generate",
        "namespaces": namespaces,
        "ufuncs": sorted(ufuncs),
        # How many inputs each supported ufunc takes: its output argument comes right after.
        "ufunc_nin": {name: _ufunc(np, name).nin for name in sorted(ufuncs)},
        "ufunc_attributes": {
            "typable": ufunc_yes,
            "not_typable": [n for n in ufunc_names if n not in ufunc_yes],
        },
        "array_attributes": {
            "typable": array_yes,
            "not_typable": [n for n in array_names if n not in array_yes],
        },
        # ndarray attribute names that some other Numba type also has, and which types.
        "array_names_on_other_types": dict(sorted(elsewhere.items())),
    }


def collect_python() -> dict[str, Any]:
    """What the registry types of Python itself: builtins, stdlib modules, container methods."""
    import numba
    import numpy as np
    from numba.core import types
    from numba.core.registry import cpu_target

    cpu_target.target_context.refresh()
    tc = cpu_target.typing_context

    modules: dict[str, dict[str, list[str]]] = {}
    for modname in PYTHON_MODULES:
        module = importlib.import_module(modname)
        yes, no = [], []
        for name, obj in public_callables(module):
            (yes if typable(tc, obj) else no).append(f"{modname}.{name}")
        modules[modname] = {"typable": yes, "not_typable": no}

    methods: dict[str, dict[str, list[str]]] = {}
    for label, python_type, make in METHOD_TYPES:
        ty = make(types)
        names = sorted(n for n in dir(python_type) if not n.startswith("_"))
        yes = [n for n in names if has_attribute(tc, ty, n)]
        methods[label] = {"typable": yes, "not_typable": [n for n in names if n not in yes]}

    return {
        "numba": numba.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "generated_by": "python -m numba_check.knowledge.generate",
        "modules": modules,
        "methods": methods,
    }


def _ufunc(np: Any, qualified: str) -> Any:
    obj: Any = np
    for part in qualified.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def file_name(numba_version: str, kind: str = "numpy") -> str:
    major, minor = numba_version.split(".")[:2]
    return f"{kind}-{major}.{minor}.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="directory to write into")
    args = parser.parse_args(argv)
    data = collect()
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / file_name(data["numba"])
    path.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    counts = ", ".join(
        f"{ns} {len(v['typable'])}/{len(v['typable']) + len(v['not_typable'])}"
        for ns, v in data["namespaces"].items()
    )
    print(f"{path}: numba {data['numba']}, numpy {data['numpy']}: {counts}", file=sys.stderr)
    python = collect_python()
    path = args.out / file_name(python["numba"], "python")
    path.write_text(json.dumps(python, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    counts = ", ".join(
        f"{name} {len(v['typable'])}/{len(v['typable']) + len(v['not_typable'])}"
        for name, v in (*python["modules"].items(), *python["methods"].items())
    )
    print(f"{path}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
