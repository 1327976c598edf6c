"""The ``numba_speedup`` marker: registration text, validation and reading."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pytest

NAME = "numba_speedup"
DESCRIPTION = (
    f"{NAME}(min=1.0, rtol=None, atol=None, max_time=None, check_dtype=True, forked=None): "
    "numba-check: the compiled function must compute what Python computes (within rtol/atol, "
    "same numeric kind unless check_dtype=False) and be at least `min` times faster, measured "
    "within `max_time` seconds; forked=True runs its checks in a child process."
)
KEYWORDS = ("min", "rtol", "atol", "max_time", "check_dtype", "forked")


@dataclass(frozen=True)
class MarkerSpec:
    """What one test's marker asks for; None means 'use the run's default'."""

    min: float | None = None
    rtol: float | None = None
    atol: float | None = None
    max_time: float | None = None
    check_dtype: bool = True
    present: bool = False
    forked: bool | None = None

    def describe(self) -> str:
        return f"@pytest.mark.{NAME}(min={self.min:g})" if self.min is not None else ""


def _number(name: str, value: Any, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name}= must be a number, got {value!r}")
    value = float(value)
    if math.isnan(value) or value < 0 or (positive and value == 0):
        raise ValueError(f"{name}= must be {'> 0' if positive else '>= 0'}, got {value!r}")
    return value


def parse(mark: pytest.Mark) -> MarkerSpec:
    """Validate a marker's arguments; raise ValueError with a message a user can act on."""
    kwargs = dict(mark.kwargs)
    if len(mark.args) > 1:
        raise ValueError(f"takes at most one positional argument (min), got {len(mark.args)}")
    if mark.args:
        if "min" in kwargs:
            raise ValueError("got min both as positional argument and as keyword")
        kwargs["min"] = mark.args[0]
    unknown = sorted(set(kwargs) - set(KEYWORDS))
    if unknown:
        raise ValueError(
            f"unknown keyword{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
            f"allowed: {', '.join(KEYWORDS)}"
        )
    check_dtype = kwargs.get("check_dtype", True)
    if not isinstance(check_dtype, bool):
        raise ValueError(f"check_dtype= must be True or False, got {check_dtype!r}")
    forked = kwargs.get("forked")
    if forked is not None and not isinstance(forked, bool):
        raise ValueError(f"forked= must be True or False, got {forked!r}")
    return MarkerSpec(
        min=_number("min", kwargs["min"]) if "min" in kwargs else None,
        rtol=_number("rtol", kwargs["rtol"]) if "rtol" in kwargs else None,
        atol=_number("atol", kwargs["atol"]) if "atol" in kwargs else None,
        max_time=_number("max_time", kwargs["max_time"], positive=True)
        if "max_time" in kwargs
        else None,
        check_dtype=check_dtype,
        present=True,
        forked=forked,
    )


def read(item: pytest.Item) -> MarkerSpec:
    """The closest marker on a test item, parsed; an absent marker gives the defaults."""
    mark = item.get_closest_marker(NAME)
    if mark is None:
        return MarkerSpec()
    return parse(mark)


FIXTURE = "numba_check"


class NumbaMarkerUnused(pytest.PytestWarning):
    """A numba_speedup marker on a test that never uses the numba_check fixture."""


def validate_items(items: list[pytest.Item], without_fixture: str = "error") -> None:
    """Reject bad markers at collection time, naming every offending test.

    A marker on a test that does not request the fixture asks for a check that never runs:
    an error, or a warning when ``numba_check_marker_without_fixture = warn``.
    """
    problems = []
    for item in items:
        mark = item.get_closest_marker(NAME)
        if mark is None:
            continue
        try:
            parse(mark)
        except ValueError as exc:
            problems.append(f"  {item.nodeid}: @pytest.mark.{NAME}: {exc}")
            continue
        problems.extend(unused(item, NAME, without_fixture))
    if problems:
        raise pytest.UsageError(
            f"numba-check: invalid @pytest.mark.{NAME} marker(s):\n" + "\n".join(problems)
        )


def unused(item: pytest.Item, name: str, without_fixture: str) -> list[str]:
    """The problem (none, or one line) of a marker `name` written on a test that does not
    request the fixture; under ``without_fixture = "warn"`` a warning instead."""
    own = any(m.name == name for m in getattr(item, "own_markers", ()))
    # A module's or class's pytestmark covers its tests broadly; only a marker written on
    # the test itself promises a check.
    if not own or FIXTURE in getattr(item, "fixturenames", ()):
        return []
    text = (
        f"@pytest.mark.{name} but the test does not use the {FIXTURE} fixture: "
        "nothing is checked or timed"
    )
    if without_fixture == "warn":
        item.warn(NumbaMarkerUnused(f"numba-check: {text}"))
        return []
    return [
        f"  {item.nodeid}: {text} (numba_check_marker_without_fixture = warn makes this a warning)"
    ]
