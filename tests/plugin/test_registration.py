"""Point 1: the installed plugin, its marker and its options."""

from __future__ import annotations

import subprocess
import sys

import pytest

PASSING = """
import pytest

def add(a, b):
    return a + b

@pytest.mark.numba_speedup(min=0)
def test_add(numba_check):
    assert numba_check(add, 1.5, 2.0).value == 3.5
"""


def test_entry_point_loads_without_conftest(nc_sub: pytest.Pytester) -> None:
    nc_sub.makepyfile(PASSING)
    result = nc_sub.runpytest_subprocess("--strict-markers")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["numba-check: timing auto*"])


LINTER_MODULES = """
import pkgutil
import sys

import numba_check


def test_the_linter_is_not_assertion_rewritten():
    # Everything the test suite may import: the whole package, the plugin included.
    for info in pkgutil.walk_packages(numba_check.__path__, "numba_check."):
        if not info.name.endswith("__main__"):
            __import__(info.name)
    mine = {n: m for n, m in sys.modules.items() if n.split(".")[0] == "numba_check"}
    assert len(mine) > 50
    # A module pytest rewrote imports its helpers under names no source can spell.
    rewritten = sorted(n for n, m in mine.items() if "@pytest_ar" in vars(m))
    assert rewritten == []


def test_a_test_module_still_is():
    assert "@pytest_ar" in globals()
"""


def test_package_modules_are_not_assertion_rewritten(nc_sub: pytest.Pytester) -> None:
    # pytest marks every package of a distribution with a pytest11 entry point for rewriting;
    # numba-check takes its mark back before importing anything (numba_check._no_rewrite).
    nc_sub.makepyfile(LINTER_MODULES)
    result = nc_sub.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_marker_listed_by_pytest_markers(nc_sub: pytest.Pytester) -> None:
    result = nc_sub.runpytest_subprocess("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.numba_speedup(min=1.0, rtol=None*"])


def test_options_and_ini_in_one_group(nc: pytest.Pytester) -> None:
    result = nc.runpytest("--help")
    result.stdout.fnmatch_lines(
        [
            "numba-check: compare and time Numba-compiled functions:",
            "*--numba-timing=auto|on|off*",
            "*--numba-report=PATH*",
            "*--numba-min-speedup=FACTOR*",
            "*--numba-max-time=SECONDS*",
            "*--numba-rtol=RTOL*",
            "*--numba-atol=ATOL*",
            "*--numba-cudasim=auto|on|off*",
        ]
    )
    for key in ("timing", "report", "min_speedup", "max_time", "rtol", "atol", "cudasim"):
        result.stdout.fnmatch_lines([f"*numba_check_{key} (string):*"])


def test_plugin_import_does_not_import_numba() -> None:
    code = (
        "import sys, numba_check.pytest_plugin.plugin\n"
        "assert 'numba' not in sys.modules, 'numba imported'\n"
        "assert 'libcst' not in sys.modules, 'libcst imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_unknown_marker_keyword_fails_early(nc: pytest.Pytester) -> None:
    nc.makepyfile(
        """
        import pytest

        @pytest.mark.numba_speedup(mn=10)
        def test_typo(numba_check):
            raise AssertionError("must not run")

        def test_other():
            raise AssertionError("must not run either: the run stops at collection")
        """
    )
    result = nc.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "*invalid @pytest.mark.numba_speedup marker*",
            "*test_typo: @pytest.mark.numba_speedup: unknown keyword 'mn'; allowed: min, rtol,"
            " atol, max_time, check_dtype, forked",
        ]
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("min='ten'", "min= must be a number, got 'ten'"),
        ("min=-1", "min= must be >= 0"),
        ("max_time=0", "max_time= must be > 0"),
        ("check_dtype='no'", "check_dtype= must be True or False"),
        ("1, 2", "at most one positional argument"),
    ],
)
def test_bad_marker_values(nc: pytest.Pytester, args: str, message: str) -> None:
    nc.makepyfile(
        f"""
        import pytest

        @pytest.mark.numba_speedup({args})
        def test_it(numba_check):
            pass
        """
    )
    result = nc.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*{message}*"])


def test_positional_min_is_accepted(nc: pytest.Pytester) -> None:
    nc.makepyfile(
        """
        import pytest

        def f(x):
            return x * 2.0

        @pytest.mark.numba_speedup(1e9)
        def test_it(numba_check):
            numba_check(f, 1.0)
        """
    )
    result = nc.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*required 1e+09x faster (@pytest.mark.numba_speedup(min=1e+09))*"]
    )


SLOW_REQUIRED = """
def f(x):
    return x * 2.0

def test_it(numba_check):
    numba_check(f, 1.0)
"""


def test_cli_beats_ini(nc: pytest.Pytester) -> None:
    nc.makeini(
        "[pytest]\naddopts = -p no:cacheprovider\nnumba_check_max_time = 0.05\n"
        "numba_check_min_speedup = 1e9\n"
    )
    nc.makepyfile(SLOW_REQUIRED)
    nc.runpytest().assert_outcomes(failed=1)
    nc.runpytest("--numba-min-speedup=0").assert_outcomes(passed=1)


def test_env_between_cli_and_ini(nc: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    nc.makeini(
        "[pytest]\naddopts = -p no:cacheprovider\nnumba_check_max_time = 0.05\n"
        "numba_check_min_speedup = 0\n"
    )
    nc.makepyfile(SLOW_REQUIRED)
    monkeypatch.setenv("NUMBA_CHECK_MIN_SPEEDUP", "1e9")
    result = nc.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*environment variable NUMBA_CHECK_MIN_SPEEDUP*"])
    nc.runpytest("--numba-min-speedup=0").assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("cli", "*invalid value for command line option --numba-max-time: must be > 0, got '0'*"),
        ("ini", "*invalid value for ini setting numba_check_max_time: must be > 0, got '0'*"),
        ("env", "*invalid value for environment variable NUMBA_CHECK_MAX_TIME: must be > 0*"),
    ],
)
def test_bad_values_name_their_source(
    nc: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, where: str, expected: str
) -> None:
    nc.makepyfile(SLOW_REQUIRED)
    args = []
    if where == "cli":
        args = ["--numba-max-time=0"]
    elif where == "ini":
        nc.makeini("[pytest]\nnumba_check_max_time = 0\n")
    else:
        monkeypatch.setenv("NUMBA_CHECK_MAX_TIME", "0")
    result = nc.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([expected])


def test_bad_choice_names_choices(nc: pytest.Pytester) -> None:
    result = nc.runpytest("--numba-timing=sometimes")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--numba-timing: must be one of auto, on, off, got 'sometimes'*"])
