"""The generated catalogue of built-in rules matches the rules, and the light paths stay light."""

from __future__ import annotations

import subprocess
import sys

from numba_check import catalogue
from numba_check.plugins import Plugins
from numba_check.rules import BUILTIN_RULES


def test_generated_catalogue_is_up_to_date():
    assert catalogue.GENERATED.read_text("utf-8") == catalogue.render(), (
        "src/numba_check/_builtin_catalogue.py is stale: run `python -m numba_check.catalogue`"
    )


def test_summaries_match_the_rule_classes():
    plugins = Plugins()
    assert list(plugins.rule_summaries) == [r.code for r in plugins.rules]
    for rule in BUILTIN_RULES:
        assert plugins.rule_summaries[rule.code] == catalogue.RuleSummary.of(rule)


LIGHT = """
import sys
from numba_check.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("libcst", "numba")
               or m.startswith(("numba_check.rules", "numba_check.engine")))
print(code, heavy)
"""


def _heavy_modules(tmp_path, *args):
    done = subprocess.run(
        [sys.executable, "-c", LIGHT, "check", "--no-cache", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


def test_a_file_without_numba_loads_neither_the_engine_nor_libcst(tmp_path):
    (tmp_path / "plain.py").write_text("import numpy as np\n\ndef f(x):\n    return np.sum(x)\n")
    assert _heavy_modules(tmp_path, "plain.py") == "0 []"


def test_a_cached_run_loads_neither_the_engine_nor_libcst(tmp_path):
    (tmp_path / "fast.py").write_text(
        "from numba import njit\n\n@njit\ndef f(x):\n    try:\n        return x\n"
        "    except ValueError:\n        return 0\n"
    )
    args = ["--cache-dir", str(tmp_path / "cache"), "--exit-zero", "fast.py"]
    subprocess.run(
        [sys.executable, "-m", "numba_check", "check", *args],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [sys.executable, "-c", LIGHT, "check", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert "NB101" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "0 []"
