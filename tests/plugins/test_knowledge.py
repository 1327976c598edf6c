"""Knowledge plugins: names a Numba extension makes compilable silence the rules that would
refuse them (NB201 for libraries, NB303 for NumPy functions), and nothing else."""

from __future__ import annotations

import pytest

from numba_check import hookimpl
from numba_check.engine import build_config, check_text
from numba_check.plugins import Knowledge, Plugins
from numba_check.selection import Selection

SCIPY = """\
import scipy.special
from scipy import optimize
from scipy.special import erf as error_function
from numba import njit


@njit
def f(x):
    a = scipy.special.gamma(x) + error_function(x)
    return a + optimize.brentq(x)
"""

OVERLOADED = """\
import numpy as np
from numba import njit


@njit
def f(a):
    return np.tile(a, 2) + np.pad(a, 1)
"""


class NumbaScipy:
    """What a plugin for numba-scipy declares."""

    @hookimpl
    def numba_check_add_knowledge(self) -> Knowledge:
        return Knowledge(["scipy.special.*"], label="numba-scipy")


class OwnOverloads:
    """A project that implements np.tile for Numba with @overload."""

    @hookimpl
    def numba_check_add_knowledge(self) -> list[Knowledge]:
        return [Knowledge(["numpy.tile"], label="mypackage.overloads")]


def found(source: str, *plugins: object) -> list[tuple[str, int]]:
    manager = Plugins(extra=plugins)
    config = build_config(
        Selection(select=("NB2", "NB3")),
        (0, 68, 1),
        extra_rules=manager.plugin_rules,
        compilable=manager.compilable,
    )
    return [(d.code, d.location.line) for d in check_text(source, "m.py", config)]


def test_library_calls_are_refused_without_knowledge() -> None:
    assert found(SCIPY) == [("NB201", 9), ("NB201", 9), ("NB201", 10)]


def test_knowledge_silences_library_calls() -> None:
    # scipy.special, however imported, is compilable; scipy.optimize is still not.
    assert found(SCIPY, NumbaScipy()) == [("NB201", 10)]


@pytest.mark.parametrize("plugins", [(), (NumbaScipy(),)], ids=["alone", "with-scipy"])
def test_numpy_functions_are_refused_without_knowledge(plugins: tuple[object, ...]) -> None:
    assert found(OVERLOADED, *plugins) == [("NB303", 7), ("NB303", 7)]


def test_knowledge_silences_numpy_functions() -> None:
    assert found(OVERLOADED, OwnOverloads()) == [("NB303", 7)]
    message = check_text(
        OVERLOADED,
        "m.py",
        build_config(Selection(select=("NB303",)), (0, 68, 1), compilable={"numpy.tile"}),
    )[0].message
    assert "np.pad" in message
