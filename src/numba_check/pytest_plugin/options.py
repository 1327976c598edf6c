"""Command-line options and ini settings, and the one resolver that reads them.

Every setting is resolved in the same order: command line > environment variable > ini file >
default. A bad value raises ``pytest.UsageError`` naming where it came from.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

GROUP = "numba-check"
TIMING_CHOICES = ("auto", "on", "off")
CUDASIM_CHOICES = ("auto", "on", "off")


@dataclass(frozen=True)
class Setting:
    """One option: its flag, its ini key, its environment variable, its default and its parser."""

    dest: str
    flag: str
    ini: str
    env: str | None
    default: Any
    help: str
    parse: Callable[[str], Any]
    metavar: str | None = None


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ValueError(f"must be > 0, got {text!r}")
    return value


def _non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise ValueError(f"must be >= 0, got {text!r}")
    return value


def _choice(choices: tuple[str, ...]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.strip().lower()
        aliases = {"1": "on", "true": "on", "yes": "on", "0": "off", "false": "off", "no": "off"}
        value = aliases.get(value, value)
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}, got {text!r}")
        return value

    return parse


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(f"must be an integer >= 1, got {text!r}")
    return value


def _path(text: str) -> str:
    return text.strip()


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "numba_timing",
        "--numba-timing",
        "numba_check_timing",
        "NUMBA_CHECK_TIMING",
        "auto",
        "Measure speed-ups: auto or on (yes, also on xdist workers: serial code is timed in "
        "thread CPU time), off. Equality is always checked.",
        _choice(TIMING_CHOICES),
        "auto|on|off",
    ),
    Setting(
        "numba_report",
        "--numba-report",
        "numba_check_report",
        "NUMBA_CHECK_REPORT",
        "",
        "Write the numba-check results as JSON to this path.",
        _path,
        "PATH",
    ),
    Setting(
        "numba_min_speedup",
        "--numba-min-speedup",
        "numba_check_min_speedup",
        "NUMBA_CHECK_MIN_SPEEDUP",
        1.0,
        "Required speed-up when a test has no numba_speedup(min=...) marker (default 1: the "
        "compiled version must not be slower). 0 turns the requirement off.",
        _non_negative_float,
        "FACTOR",
    ),
    Setting(
        "numba_max_time",
        "--numba-max-time",
        "numba_check_max_time",
        "NUMBA_CHECK_MAX_TIME",
        1.0,
        "Time budget in seconds for measuring one speed-up (default 1.0).",
        _positive_float,
        "SECONDS",
    ),
    Setting(
        "numba_rtol",
        "--numba-rtol",
        "numba_check_rtol",
        "NUMBA_CHECK_RTOL",
        1e-7,
        "Relative tolerance for float comparisons. Default: from the dtype (1e-7 for float64, "
        "1e-5 for float32, 1e-3 for float16).",
        _non_negative_float,
        "RTOL",
    ),
    Setting(
        "numba_atol",
        "--numba-atol",
        "numba_check_atol",
        "NUMBA_CHECK_ATOL",
        0.0,
        "Default absolute tolerance for float comparisons (default 0).",
        _non_negative_float,
        "ATOL",
    ),
    Setting(
        "numba_cudasim",
        "--numba-cudasim",
        "numba_check_cudasim",
        # NUMBA_ENABLE_CUDASIM itself is the environment layer, read in cuda.py because
        # the plugin sets it too.
        None,
        "auto",
        "Run CUDA kernels in Numba's CUDA simulator: auto (when no GPU driver is found), on, off.",
        _choice(CUDASIM_CHOICES),
        "auto|on|off",
    ),
)

SETTINGS += (
    Setting(
        "numba_forked",
        "--numba-forked",
        "numba_check_forked",
        "NUMBA_CHECK_FORKED",
        False,
        "Run every check in a forked child process (on|off, default off): a segfault or an "
        "endless loop in compiled code fails that test and the session goes on.",
        lambda text: _choice(("on", "off"))(text) == "on",
        "on|off",
    ),
    Setting(
        "numba_timeout",
        "--numba-timeout",
        "numba_check_timeout",
        "NUMBA_CHECK_TIMEOUT",
        60.0,
        "Seconds one Python reference call, or one forked check, may run before it is stopped "
        "and the test fails (default 60).",
        _positive_float,
        "SECONDS",
    ),
    Setting(
        "numba_marker_without_fixture",
        "--numba-marker-without-fixture",
        "numba_check_marker_without_fixture",
        None,
        "error",
        "A numba_speedup or numba_fuzz marker on a test that does not use the numba_check "
        "fixture: error (a collection error, the default) or warn.",
        _choice(("error", "warn")),
        "error|warn",
    ),
)

SETTINGS += (
    Setting(
        "numba_fuzz_examples",
        "--numba-fuzz-examples",
        "numba_check_fuzz_examples",
        "NUMBA_CHECK_FUZZ_EXAMPLES",
        200,
        "Most inputs a fuzz run draws when numba_check.fuzz or @pytest.mark.numba_fuzz gives "
        "no n= (default 200).",
        _positive_int,
        "N",
    ),
    Setting(
        "numba_fuzz_max_time",
        "--numba-fuzz-max-time",
        "numba_check_fuzz_max_time",
        "NUMBA_CHECK_FUZZ_MAX_TIME",
        10.0,
        "Seconds after which a fuzz run draws no more inputs when it gives no max_time= "
        "(default 10).",
        _positive_float,
        "SECONDS",
    ),
)

BY_DEST = {s.dest: s for s in SETTINGS}


@dataclass(frozen=True)
class Options:
    """The resolved settings of one pytest run, with where each value came from."""

    timing: str
    report: str
    min_speedup: float
    max_time: float
    rtol: float
    atol: float
    cudasim: str
    forked: bool = False
    timeout: float = 60.0
    marker_without_fixture: str = "error"
    fuzz_examples: int = 200
    fuzz_max_time: float = 10.0
    sources: tuple[tuple[str, str], ...] = ()

    def source(self, dest: str) -> str:
        return dict(self.sources).get(dest, "default")

    def any_set(self) -> bool:
        """Whether the user set any numba-check option (command line, environment or ini)."""
        return any(source != "default" for _, source in self.sources)


def addoption(parser: pytest.Parser) -> None:
    """Register every option in one group, and its ini setting beside it."""
    group = parser.getgroup(GROUP, "numba-check: compare and time Numba-compiled functions")
    for s in SETTINGS:
        group.addoption(s.flag, dest=s.dest, default=None, metavar=s.metavar, help=s.help)
        parser.addini(s.ini, help=s.help, default=None)


def _raw(config: pytest.Config, s: Setting, namespace: Any = None) -> tuple[Any, str]:
    ns = namespace if namespace is not None else config.option
    cli = getattr(ns, s.dest, None)
    if cli is not None:
        return cli, f"command line option {s.flag}"
    if s.env and os.environ.get(s.env, "") != "":
        return os.environ[s.env], f"environment variable {s.env}"
    ini = config.getini(s.ini)
    if ini not in (None, "", []):
        return ini, f"ini setting {s.ini}"
    return s.default, "default"


def resolve_one(config: pytest.Config, dest: str, namespace: Any = None) -> tuple[Any, str]:
    """Resolve one setting: CLI > environment > ini > default. Errors name the source."""
    s = BY_DEST[dest]
    raw, source = _raw(config, s, namespace)
    if source == "default":
        return raw, source
    try:
        return s.parse(str(raw)), source
    except ValueError as exc:
        raise pytest.UsageError(f"numba-check: invalid value for {source}: {exc}") from None


def resolve(config: pytest.Config, namespace: Any = None) -> Options:
    """Resolve all settings into one frozen Options."""
    values: dict[str, Any] = {}
    sources = []
    for s in SETTINGS:
        values[s.dest], src = resolve_one(config, s.dest, namespace)
        sources.append((s.dest, src))
    return Options(
        timing=values["numba_timing"],
        report=values["numba_report"],
        min_speedup=values["numba_min_speedup"],
        max_time=values["numba_max_time"],
        rtol=values["numba_rtol"],
        atol=values["numba_atol"],
        cudasim=values["numba_cudasim"],
        forked=values["numba_forked"],
        timeout=values["numba_timeout"],
        marker_without_fixture=values["numba_marker_without_fixture"],
        fuzz_examples=values["numba_fuzz_examples"],
        fuzz_max_time=values["numba_fuzz_max_time"],
        sources=tuple(sources),
    )
