"""What Numba supports of NumPy and of Python, per Numba version, read from data files without
importing Numba.

Three kinds of data live in ``data/``:

- ``numpy-<major>.<minor>.json``, one per recorded Numba version, written by ``generate.py``
  from that Numba's typing registry: which NumPy names and ndarray attributes it can type.
- ``python-<major>.<minor>.json``, written beside it from the same registry: which builtins,
  functions of ``math``, ``cmath``, ``random`` and ``operator``, and methods of str, bytes,
  list, dict, set, tuple and the typed containers it can type.
- ``numpy-limits.toml``: argument forms the registry cannot tell about (`axis=` on `np.mean`,
  `order=` on `np.zeros`, ufunc keywords), each checked by compiling, with the Numba version
  that changed it.

A target version between two recorded ones is judged by the newest recorded version not newer
than it, except that what the next recorded version supports is not called unsupported: the
data cannot tell when in between it arrived. Targets older than every recorded version use the
oldest data, newer ones the newest.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

Version = tuple[int, ...]

_REGISTRY_FILE = re.compile(r"^numpy-(\d+)\.(\d+)\.json$")
LIMITS_FILE = "numpy-limits.toml"
# Effects of a rejected argument form: compilation fails, or the compiled code misbehaves.
REFUSED = frozenset({"refused"})
NOT_APPLIED = frozenset({"ignored", "raises"})

__all__ = [
    "NOT_APPLIED",
    "REFUSED",
    "ArgumentLimit",
    "BuiltinDtype",
    "accepted_arguments",
    "all_argument_limits",
    "NumpyLimits",
    "NumpySupport",
    "PythonSupport",
    "data_version_for",
    "first_typable_version",
    "numpy_limits",
    "numpy_support",
    "python_support",
    "registry_versions",
]


@dataclass(frozen=True)
class NumpySupport:
    """What the typing registry of one Numba version knows of NumPy."""

    numba: str
    numpy: str
    # Qualified names (`numpy.tile`, `numpy.linalg.norm`) Numba can type, and those it cannot.
    typable: frozenset[str]
    not_typable: frozenset[str]
    # The NumPy ufuncs Numba supports (`numpy.add`), with their number of inputs.
    ufunc_nin: Mapping[str, int]
    ufunc_attributes_not_typable: frozenset[str]
    array_attributes: frozenset[str]
    array_attributes_not_typable: frozenset[str]
    # ndarray attribute names that some other Numba type also has (`copy` on lists).
    array_names_on_other_types: Mapping[str, tuple[str, ...]]

    def unsupported(self, qualified: str) -> bool:
        """True only for a name the registry was asked about and could not type."""
        return qualified in self.not_typable

    @property
    def ufuncs(self) -> frozenset[str]:
        return frozenset(self.ufunc_nin)


@dataclass(frozen=True)
class PythonSupport:
    """What the typing registry of one Numba version knows of Python's builtins, standard
    modules and containers."""

    numba: str
    # Qualified names (`builtins.any`, `math.fsum`) Numba can type, and those it cannot.
    typable: frozenset[str]
    not_typable: frozenset[str]
    # Container (`str`, `bytes`, `list`, `dict`, `set`, `tuple`, `typed.List`, `typed.Dict`) ->
    # the names of its Python methods Numba can type, and those it cannot.
    methods: Mapping[str, frozenset[str]]
    methods_not_typable: Mapping[str, frozenset[str]]

    def unsupported(self, qualified: str) -> bool:
        """True only for a name the registry was asked about and could not type."""
        return qualified in self.not_typable

    def method_unsupported(self, container: str, method: str) -> bool:
        """True only for a method of `container` the registry was asked about and could not
        type."""
        return method in self.methods_not_typable.get(container, frozenset())


@dataclass(frozen=True)
class ArgumentLimit:
    """One argument of some NumPy functions (and ndarray methods) that Numba rejects."""

    argument: str
    # Qualified function name -> NumPy's 0-based position of the argument (None: keyword-only).
    functions: Mapping[str, int | None]
    # ndarray method name -> position among the method's arguments (None: keyword-only).
    methods: Mapping[str, int | None]
    # Which values: "any", "not-none" (any but a literal None), "none", "tuple" (a display).
    rejected: str
    # "refused": compilation fails; it compiles but "ignored" (the argument has no effect) or
    # "raises" (the call raises at run time).
    effect: str
    # Numba versions in which it is rejected: since <= v < until (None: unbounded).
    since: Version | None
    until: Version | None
    instead: str

    def applies(self, version: Version) -> bool:
        if self.since is not None and version < self.since:
            return False
        return self.until is None or version < self.until


@dataclass(frozen=True)
class BuiltinDtype:
    """How one function or method treats Python's builtin types given as its dtype."""

    # NumPy's 0-based position of `dtype` (None: keyword only).
    position: int | None
    # builtin name (`int`) -> "refused" (compilation fails) or "ignored" (dtype not applied).
    builtins: Mapping[str, str]


@dataclass(frozen=True)
class NumpyLimits:
    """Argument forms the registry cannot tell about, for one Numba version."""

    arguments: tuple[ArgumentLimit, ...]
    # Functions that take a sequence of arrays as a tuple only: name -> (position, keyword).
    sequence_functions: Mapping[str, tuple[int, str | None]]
    # Whether keyword arguments to NumPy ufuncs (`out=`, `where=`, `dtype=`) are rejected.
    ufunc_keywords_rejected: bool
    # ndarray method names no other Numba type has, safe to judge without knowing the receiver.
    distinctive_array_methods: frozenset[str]
    # Builtin types given as a dtype: function -> (position, how it fails: "refused"/"ignored").
    builtin_dtype: Mapping[str, BuiltinDtype]
    builtin_dtype_methods: Mapping[str, BuiltinDtype]
    # The NumPy spelling of each builtin's dtype (`int` -> `np.int_`).
    builtin_dtype_replacements: Mapping[str, str]

    def for_function(
        self, qualified: str, effects: frozenset[str] = REFUSED
    ) -> list[ArgumentLimit]:
        return [a for a in self.arguments if qualified in a.functions and a.effect in effects]

    def for_method(self, method: str, effects: frozenset[str] = REFUSED) -> list[ArgumentLimit]:
        return [a for a in self.arguments if method in a.methods and a.effect in effects]


def registry_versions() -> list[Version]:
    """The Numba versions (major, minor) with a registry file, oldest first."""
    return list(_registry_versions())


@lru_cache(maxsize=1)
def _registry_versions() -> tuple[Version, ...]:
    out = []
    for entry in resources.files(__name__).joinpath("data").iterdir():
        found = _REGISTRY_FILE.match(entry.name)
        if found:
            out.append((int(found.group(1)), int(found.group(2))))
    if not out:
        raise FileNotFoundError("numba_check.knowledge has no numpy-*.json data files")
    return tuple(sorted(out))


def data_version_for(version: Version) -> Version:
    """The recorded version whose registry describes `version`: the newest not newer than it."""
    known = _registry_versions()
    older = [v for v in known if v <= tuple(version[:2])]
    return older[-1] if older else known[0]


def _next_version(version: Version) -> Version:
    """The oldest recorded version not older than `version` (the newest for newer targets)."""
    known = _registry_versions()
    newer = [v for v in known if v >= tuple(version[:2])]
    return newer[0] if newer else known[-1]


def numpy_support(version: Version) -> NumpySupport:
    """What Numba `version` (e.g. ``(0, 68, 1)``) can type of NumPy."""
    return _support_between(data_version_for(version), _next_version(version))


@cache
def _support_between(floor: Version, ceiling: Version) -> NumpySupport:
    low = _load_registry(floor)
    if floor == ceiling:
        return low
    high = _load_registry(ceiling)
    # Supported by the next recorded version: it may have arrived at any version in between.
    return NumpySupport(
        numba=low.numba,
        numpy=low.numpy,
        typable=low.typable | high.typable,
        not_typable=low.not_typable - high.typable,
        ufunc_nin={**high.ufunc_nin, **low.ufunc_nin},
        ufunc_attributes_not_typable=low.ufunc_attributes_not_typable
        & high.ufunc_attributes_not_typable,
        array_attributes=low.array_attributes | high.array_attributes,
        array_attributes_not_typable=low.array_attributes_not_typable - high.array_attributes,
        array_names_on_other_types={
            **high.array_names_on_other_types,
            **low.array_names_on_other_types,
        },
    )


def python_support(version: Version) -> PythonSupport:
    """What Numba `version` (e.g. ``(0, 68, 1)``) can type of Python's builtins, standard
    modules and containers."""
    return _python_between(data_version_for(version), _next_version(version))


@cache
def _python_between(floor: Version, ceiling: Version) -> PythonSupport:
    low = _load_python(floor)
    if floor == ceiling:
        return low
    high = _load_python(ceiling)
    # Supported by the next recorded version: it may have arrived at any version in between.
    return PythonSupport(
        numba=low.numba,
        typable=low.typable | high.typable,
        not_typable=low.not_typable - high.typable,
        methods={k: v | high.methods.get(k, frozenset()) for k, v in low.methods.items()},
        methods_not_typable={
            k: v - high.methods.get(k, frozenset()) for k, v in low.methods_not_typable.items()
        },
    )


@cache
def _load_python(data_version: Version) -> PythonSupport:
    name = f"python-{data_version[0]}.{data_version[1]}.json"
    raw = json.loads(resources.files(__name__).joinpath("data", name).read_text("utf-8"))
    typable: set[str] = set()
    not_typable: set[str] = set()
    for module in raw["modules"].values():
        typable.update(module["typable"])
        not_typable.update(module["not_typable"])
    return PythonSupport(
        numba=raw["numba"],
        typable=frozenset(typable),
        not_typable=frozenset(not_typable),
        methods={k: frozenset(v["typable"]) for k, v in raw["methods"].items()},
        methods_not_typable={k: frozenset(v["not_typable"]) for k, v in raw["methods"].items()},
    )


def first_typable_version(qualified: str, after: Version) -> Version | None:
    """The oldest recorded Numba version newer than `after` that can type `qualified`."""
    for version in _registry_versions():
        if version > tuple(after[:2]) and qualified in _load_registry(version).typable:
            return version
    return None


@cache
def _load_registry(data_version: Version) -> NumpySupport:
    name = f"numpy-{data_version[0]}.{data_version[1]}.json"
    raw = json.loads(resources.files(__name__).joinpath("data", name).read_text("utf-8"))
    typable: set[str] = set()
    not_typable: set[str] = set()
    for namespace in raw["namespaces"].values():
        typable.update(namespace["typable"])
        not_typable.update(namespace["not_typable"])
    return NumpySupport(
        numba=raw["numba"],
        numpy=raw["numpy"],
        typable=frozenset(typable),
        not_typable=frozenset(not_typable),
        ufunc_nin=dict(raw["ufunc_nin"]),
        ufunc_attributes_not_typable=frozenset(raw["ufunc_attributes"]["not_typable"]),
        array_attributes=frozenset(raw["array_attributes"]["typable"]),
        array_attributes_not_typable=frozenset(raw["array_attributes"]["not_typable"]),
        array_names_on_other_types={
            k: tuple(v) for k, v in raw["array_names_on_other_types"].items()
        },
    )


def all_argument_limits() -> tuple[ArgumentLimit, ...]:
    """Every argument limit of the data, whatever the version."""
    return tuple(_argument_limits(_raw_limits()))


def numpy_limits(version: Version) -> NumpyLimits:
    """The argument limits that hold for Numba `version`."""
    return _limits_for(tuple(version[:3]))


@cache
def _limits_for(version: Version) -> NumpyLimits:
    raw = _raw_limits()
    arguments = tuple(a for a in _argument_limits(raw) if a.applies(version))
    sequences = {
        name: (entry.get("position", 0), entry.get("keyword"))
        for name, entry in raw["sequence_as_tuple"]["functions"].items()
    }
    dtype = raw["builtin_dtype"]
    return NumpyLimits(
        arguments=arguments,
        sequence_functions=sequences,
        ufunc_keywords_rejected=bool(raw["ufunc"]["keywords_rejected"]),
        distinctive_array_methods=frozenset(raw["array_methods"]["distinctive"]),
        builtin_dtype={
            name: BuiltinDtype(_position(entry), dict(entry["builtins"]))
            for name, entry in dtype["functions"].items()
        },
        builtin_dtype_methods={
            name: BuiltinDtype(_position(entry), dict(entry["builtins"]))
            for name, entry in dtype["methods"].items()
        },
        builtin_dtype_replacements=dict(dtype["replacements"]),
    )


@lru_cache(maxsize=1)
def _raw_limits() -> dict[str, Any]:
    text = resources.files(__name__).joinpath("data", LIMITS_FILE).read_text("utf-8")
    return _read_toml(text)


def accepted_arguments() -> tuple[ArgumentLimit, ...]:
    """Argument forms recorded as working (`axis=` on `np.sum`), for documentation and checks.

    They have ``effect == "accepted"``; `since` says from which version, where that changed.
    """
    return tuple(_argument_limits(_raw_limits(), table="accepted", effect="accepted"))


def _argument_limits(
    raw: dict[str, Any], table: str = "argument", effect: str = "refused"
) -> list[ArgumentLimit]:
    out = []
    for entry in raw.get(table, ()):
        out.append(
            ArgumentLimit(
                argument=entry["argument"],
                functions=_positions(entry.get("functions", {})),
                methods=_positions(entry.get("methods", {})),
                rejected=entry.get("rejected", "any"),
                effect=entry.get("effect", effect),
                since=_version(entry.get("since")),
                until=_version(entry.get("until")),
                instead=entry.get("instead", ""),
            )
        )
    return out


def _positions(table: Mapping[str, int]) -> dict[str, int | None]:
    # TOML has no null: a negative position marks a keyword-only parameter.
    return {name: (None if pos < 0 else pos) for name, pos in table.items()}


def _position(entry: Mapping[str, Any]) -> int | None:
    pos = entry.get("position", -1)
    return None if pos < 0 else pos


def _version(text: str | None) -> Version | None:
    if text is None:
        return None
    parts = tuple(int(p) for p in text.split("."))
    return parts + (0,) * (3 - len(parts))


def _read_toml(text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib.loads(text)
