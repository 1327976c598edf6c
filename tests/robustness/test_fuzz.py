"""Property-based: no generated program crashes the linter, and `--fix --unsafe-fixes` output
parses and is a fixed point.

The programs are hypothesmith's, wrapped so that Numba compiles them (see programs.py), linted
with every rule selected for each Numba version the rules know about. CI runs a few dozen
derandomized examples; a long run sets NUMBA_CHECK_FUZZ_EXAMPLES (and, for new programs on
each run, NUMBA_CHECK_FUZZ_RANDOM=1):

    NUMBA_CHECK_FUZZ_EXAMPLES=10000 NUMBA_CHECK_FUZZ_RANDOM=1 pytest tests/robustness/test_fuzz.py

which is what `tox -e fuzz` runs (`tox -e fuzz -- --hypothesis-seed=N` repeats a run's programs).
"""

from __future__ import annotations

import ast
import os

import libcst as cst
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from numba_check.api import check_source
from numba_check.fixes import fix_source, line_offsets
from numba_check.rules import RULES_BY_CODE
from tests.robustness.helpers import all_rules
from tests.robustness.programs import numba_programs

EXAMPLES = int(os.environ.get("NUMBA_CHECK_FUZZ_EXAMPLES", "30"))
RANDOM = os.environ.get("NUMBA_CHECK_FUZZ_RANDOM", "") not in ("", "0")
VERSIONS = ((0, 57, 1), (0, 60, 0), (0, 63, 1), (0, 68, 1))

fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,
    database=None,  # nothing written under the project; a failure prints its program
    suppress_health_check=list(HealthCheck),
)


def _parser_of(source: str):
    """The parser that accepts `source`: Python's when it can, else libcst's (newer syntax)."""
    try:
        ast.parse(source)
        return ast.parse
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pass
    try:
        cst.parse_module(source)
        return cst.parse_module
    except Exception:  # noqa: BLE001 - neither accepts it: only NB901 can come of it
        return None


def _check_diagnostics(source: str, diagnostics) -> None:
    last_line = len(line_offsets(source))
    assert list(diagnostics) == sorted(diagnostics, key=lambda d: d.sort_key())
    for d in diagnostics:
        assert d.code in RULES_BY_CODE, d
        assert d.filename == "fuzz.py"
        assert 1 <= d.location.line <= d.end_location.line <= last_line, d
        assert d.location <= d.end_location, d


@fuzz
@given(program=numba_programs(), version=st.sampled_from(VERSIONS))
def test_generated_programs_never_crash_and_fixes_are_a_fixed_point(program, version):
    note(f"program:\n{program}")
    settings_ = all_rules(target_numba=version)

    def lint(text: str):
        return check_source(text, "fuzz.py", settings=settings_)

    found = lint(program)
    _check_diagnostics(program, found)

    fixed = fix_source(program, lint, unsafe=True, diagnostics=found)
    note(f"fixed:\n{fixed.source}")
    _check_diagnostics(fixed.source, fixed.remaining)
    parser = _parser_of(program)
    if parser is not None:
        parser(fixed.source)  # a fix never breaks what parsed
    again = fix_source(fixed.source, lint, unsafe=True)
    assert again.source == fixed.source
    assert again.fixed_count == 0
    assert again.remaining == fixed.remaining
