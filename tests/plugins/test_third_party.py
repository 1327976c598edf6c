"""A third-party plugin, installed as a real distribution, works like the built-in rules and
formats: its rule fires and is selected, ignored and suppressed like any other, its format is
usable with --output-format, `numba-check plugins` lists it, and it can be disabled.

The console script finds the plugin in a process of its own in the first test, and its worker
processes run the plugin's rules; the other tests run the same command line in this process.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.plugins.conftest import Result

Run = Callable[..., Result]

KERNELS = """\
import numba
import scipy.special


@numba.njit
def debug(x):
    print(x)
    return scipy.special.gamma(x)


@numba.njit
def quiet(x):
    print(x)  # noqa: NB801
    return x
"""


TAP_REPORT = (
    "TAP version 13\n1..1\nnot ok 1 - kernels.py:7:5 NB801 `print()` left in a compiled "
    "function; remove it (it takes the GIL)\n"
)
TYPO_ERROR = (
    "numba-check: error: plugin 'typo' (from numba-check-typo 0.3.0) implements unknown "
    "hook 'numba_check_add_rule'; did you mean 'numba_check_add_rules'? (the hooks are: "
    "numba_check_add_rules, numba_check_add_output_formats, numba_check_add_knowledge) "
    "(disable it with --disable-plugins typo or NUMBA_CHECK_DISABLE_PLUGINS=typo)\n"
)


@pytest.fixture
def kernels(tmp_path: Path) -> Path:
    path = tmp_path / "kernels.py"
    path.write_text(KERNELS, encoding="utf-8")
    return path


def codes(result: Result) -> list[str]:
    return [d["code"] for d in json.loads(result.out)]


def test_rule_fires_like_a_builtin(numba_check_cli: Run, demo_site: Path, kernels: Path) -> None:
    result = numba_check_cli("kernels.py", "--output-format", "concise", sites=[demo_site])
    assert result.code == 1, result.err
    # Line 7 fires; the noqa comment on line 13 suppresses it; the demo's knowledge says
    # scipy.special is compilable, so NB201 stays silent on line 8.
    assert result.out.splitlines() == [
        "kernels.py:7:5: NB801 info: `print()` left in a compiled function; remove it (it takes "
        "the GIL)",
        "Found 1 info.",
    ]


def test_rule_is_selectable(cli_in_process: Run, demo_site: Path, kernels: Path) -> None:
    as_json = ("kernels.py", "--output-format", "json")
    assert codes(cli_in_process(*as_json, "--select", "NB801", sites=[demo_site])) == ["NB801"]
    assert codes(cli_in_process(*as_json, "--select", "NB8", sites=[demo_site])) == ["NB801"]
    result = cli_in_process(
        *as_json, "--select", "NB2,NB801", "--ignore", "NB801", sites=[demo_site]
    )
    assert result.code == 0, result.err
    assert codes(result) == []


def test_rule_is_ignored_per_file_and_in_pyproject(
    cli_in_process: Run, demo_site: Path, kernels: Path, tmp_path: Path
) -> None:
    as_json = ("kernels.py", "--output-format", "json")
    assert (
        codes(cli_in_process(*as_json, "--per-file-ignores", "kernels.py:NB801", sites=[demo_site]))
        == []
    )
    (tmp_path / "pyproject.toml").write_text('[tool.numba-check]\nignore = ["NB801"]\n')
    assert codes(cli_in_process(*as_json, sites=[demo_site])) == []


def test_rule_documentation(cli_in_process: Run, demo_site: Path) -> None:
    result = cli_in_process("rule", "NB801", sites=[demo_site])
    assert result.code == 0, result.err
    assert result.out.startswith("# print-in-compiled-code (NB801)\n")
    assert "Plugin: demo (numba-check-demo 1.2.0)" in result.out
    assert "## What it does" in result.out
    record = json.loads(
        cli_in_process("rule", "nb801", "--output-format", "json", sites=[demo_site]).out
    )
    assert record["plugin"] == {
        "name": "demo",
        "distribution": "numba-check-demo",
        "version": "1.2.0",
    }
    listed = cli_in_process("rules", sites=[demo_site]).out.splitlines()
    assert any(line.split()[:3] == ["NB801", "print-in-compiled-code", "info"] for line in listed)


def test_output_format(cli_in_process: Run, demo_site: Path, kernels: Path, tmp_path: Path) -> None:
    expected = TAP_REPORT
    result = cli_in_process("kernels.py", "--output-format", "tap", sites=[demo_site])
    assert result.code == 1, result.err
    assert result.out == expected
    # Formats that describe the rules describe plugin rules too.
    sarif = json.loads(
        cli_in_process("kernels.py", "--output-format", "sarif", sites=[demo_site]).out
    )
    described = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert described["NB801"]["name"] == "print-in-compiled-code"
    # The configuration file may name it too.
    (tmp_path / "pyproject.toml").write_text('[tool.numba-check]\noutput-format = "tap"\n')
    assert cli_in_process("kernels.py", sites=[demo_site]).out == expected


def test_plugins_lists_it(cli_in_process: Run, demo_site: Path) -> None:
    result = cli_in_process("plugins", sites=[demo_site])
    assert result.code == 0, result.err
    rows = [line.split() for line in result.out.splitlines()]
    assert rows[0][:3] == ["Name", "Version", "Distribution"]
    assert [row[0] for row in rows[1:]] == ["numba_check.rules", "numba_check.output", "demo"]
    demo = result.out.splitlines()[3]
    assert demo.split()[:3] == ["demo", "1.2.0", "numba-check-demo"]
    assert "add_rules, add_output_formats, add_knowledge" in demo
    assert "rule NB801; format tap; compilable scipy.special.* (numba-scipy)" in demo

    data = json.loads(cli_in_process("plugins", "--output-format", "json", sites=[demo_site]).out)
    demo_record = data["plugins"][-1]
    assert demo_record == {
        "name": "demo",
        "distribution": "numba-check-demo",
        "version": "1.2.0",
        "builtin": False,
        "hooks": [
            "numba_check_add_rules",
            "numba_check_add_output_formats",
            "numba_check_add_knowledge",
        ],
        "rules": ["NB801"],
        "formats": ["tap"],
        "knowledge": [{"label": "numba-scipy", "compilable": ["scipy.special.*"]}],
    }
    assert data["disabled"] == []


@pytest.mark.parametrize(
    "how",
    [
        pytest.param({"args": ("--disable-plugins", "demo")}, id="option"),
        pytest.param({"env": {"NUMBA_CHECK_DISABLE_PLUGINS": "other, demo"}}, id="environment"),
        pytest.param({"pyproject": 'disable-plugins = ["demo"]\n'}, id="pyproject"),
    ],
)
def test_disabling(
    cli_in_process: Run, demo_site: Path, kernels: Path, tmp_path: Path, how: dict[str, Any]
) -> None:
    if "pyproject" in how:
        (tmp_path / "pyproject.toml").write_text("[tool.numba-check]\n" + how["pyproject"])
    args, env = how.get("args", ()), how.get("env")

    result = cli_in_process(
        "kernels.py", "--output-format", "json", *args, sites=[demo_site], env=env
    )
    # Without the plugin, no NB801, and SciPy is not compilable any more.
    assert codes(result) == ["NB201"]
    listing = cli_in_process("plugins", *args, sites=[demo_site], env=env)
    assert "numba-check-demo" not in listing.out
    assert listing.out.splitlines()[-1].startswith("Disabled: ")
    assert "demo" in listing.out.splitlines()[-1]


def test_disabled_plugin_codes_and_formats_are_unknown(
    cli_in_process: Run, demo_site: Path, kernels: Path
) -> None:
    disabled = ("--disable-plugins", "demo")
    selecting = cli_in_process("kernels.py", "--select", "NB801", *disabled, sites=[demo_site])
    assert selecting.code == 2
    assert selecting.err == (
        "numba-check: error: --select: unknown rule selector 'NB801' (NB800-NB899 are plugins' "
        "rules: is the plugin installed and enabled? See `numba-check plugins`)\n"
    )
    formatting = cli_in_process(
        "kernels.py", "--output-format", "tap", *disabled, sites=[demo_site]
    )
    assert formatting.code == 2
    assert "--output-format: unknown output format 'tap'" in formatting.err


def test_misspelt_hook_fails_loudly(
    cli_in_process: Run, installed: Callable[[str], Path], demo_site: Path, kernels: Path
) -> None:
    sites = [demo_site, installed("numba-check-typo")]
    for args in (("kernels.py",), ("plugins",)):
        result = cli_in_process(*args, sites=sites)
        assert result.code == 2
        assert result.out == ""
        assert result.err == TYPO_ERROR
    # Disabled, it is not even imported, and the rest works.
    result = cli_in_process(
        "kernels.py", "--output-format", "tap", "--disable-plugins", "typo", sites=sites
    )
    assert result.code == 1, result.err
    assert "NB801" in result.out


def test_plugin_that_cannot_be_imported(
    cli_in_process: Run, installed: Callable[[str], Path], kernels: Path
) -> None:
    result = cli_in_process("kernels.py", sites=[installed("numba-check-broken")])
    assert result.code == 2
    assert result.err == (
        "numba-check: error: plugin 'broken' cannot be loaded: ModuleNotFoundError: No module "
        "named 'numba_check_broken_missing_dependency' (disable it with --disable-plugins broken "
        "or NUMBA_CHECK_DISABLE_PLUGINS=broken)\n"
    )


def test_worker_processes_run_plugin_rules(
    numba_check_cli: Run, demo_site: Path, tmp_path: Path
) -> None:
    # More files than api.PARALLEL_THRESHOLD: the rules travel to worker processes by name.
    from numba_check.api import PARALLEL_THRESHOLD

    for i in range(PARALLEL_THRESHOLD + 2):
        (tmp_path / f"k{i}.py").write_text(
            "import numba\n@numba.njit\ndef f(x):\n    print(x)\n    return x\n"
        )
    result = numba_check_cli(".", "--select", "NB801", "--output-format", "json", sites=[demo_site])
    assert codes(result) == ["NB801"] * (PARALLEL_THRESHOLD + 2)


def test_cache_follows_the_plugins(
    cli_in_process: Run, demo_site: Path, kernels: Path, tmp_path: Path
) -> None:
    args = ("kernels.py", "--output-format", "json", "--select", "NB2")
    assert codes(cli_in_process(*args, sites=[demo_site])) == []
    assert (tmp_path / ".numba_check_cache").is_dir()
    # Same file, same settings, but the plugin and its knowledge are gone: no stale result.
    assert codes(cli_in_process(*args)) == ["NB201"]
    assert codes(cli_in_process(*args, sites=[demo_site])) == []
