"""Each rule flags its INVALID snippets where they say, leaves its VALID ones alone, and fixes."""

from __future__ import annotations

import ast

import pytest

from numba_check.engine import build_config, check_text
from numba_check.fixes import apply_fixes, resolve
from numba_check.rules import RULES_BY_CODE
from numba_check.rules.base import Invalid, Valid, parse_version
from numba_check.selection import Selection

from ..each import check_each
from .cases import cases_of, rule_code, rules_with_cases

INSTALLED = (0, 68, 1)


def lint(source: str, code: str, target: str | None):
    version = parse_version(target) if target else INSTALLED
    config = build_config(Selection(select=(code,)), version)
    return check_text(source, "case.py", config)


@pytest.mark.parametrize("rule", rules_with_cases(), ids=rule_code)
def test_cases(rule) -> None:
    """The VALID cases are clean, the INVALID ones flagged where they say, and fixed."""

    def check(case: Valid | Invalid) -> None:
        if isinstance(case, Valid):
            assert lint(case.code, rule.code, case.target_numba) == ()
        else:
            _check_invalid(rule, case)

    check_each(cases_of(rule), check)


def _check_invalid(rule, case: Invalid) -> None:
    found = lint(case.code, rule.code, case.target_numba)
    assert len(found) == case.count, found
    first = found[0]
    assert first.code == rule.code and first.name == rule.name
    assert first.severity is rule.severity
    if case.line is not None:
        assert first.location.line == case.line
    if case.column is not None:
        assert first.location.column + 1 == case.column
    # A structural fix gets its edits from libcst, as --fix gets them (fixes.resolve).
    fixes = resolve(case.code, [d.fix for d in found if d.fix])
    if case.fixed is not None:
        assert first.fix is not None and all(fixes)
        fixed, _ = apply_fixes(case.code, [f for f in fixes if f])
        assert fixed == case.fixed
        ast.parse(fixed)
        assert lint(fixed, rule.code, case.target_numba) == ()
    elif case.no_fix:
        assert all(d.fix is None for d in found)
    elif rule.fix_applicability is not None:
        # A fixable rule fixes every case it flags, and the fix parses.
        assert first.fix is not None and all(fixes)
        ast.parse(apply_fixes(case.code, [f for f in fixes if f])[0])


def test_every_fixable_rule_has_a_fixed_case() -> None:
    for rule in RULES_BY_CODE.values():
        if rule.code.startswith("NB9"):
            continue  # the tool's own (NB904's fix: tests/cli/test_ruff_habits.py)
        if rule.fix_applicability is not None:
            assert any(c.fixed for c in rule.INVALID), rule.code


@pytest.mark.parametrize(
    "rule",
    [r for r in rules_with_cases() if any(c.fixed is not None for c in r.INVALID)],
    ids=rule_code,
)
def test_a_second_fix_with_every_rule_changes_nothing(rule) -> None:
    # What `numba-check --fix --unsafe-fixes` does to each fixed case, then again: every rule on.
    from numba_check.fixes import fix_source

    def check(case: Invalid) -> None:
        version = parse_version(case.target_numba) if case.target_numba else INSTALLED
        config = build_config(Selection(select=("NB",)), version)

        def everything(text: str):
            return check_text(text, "case.py", config)

        once = fix_source(case.code, everything, unsafe=True)
        assert rule.code in once.fixed
        twice = fix_source(once.source, everything, unsafe=True)
        assert twice.source == once.source
        assert not twice.fixed

    fixed = [(i, c) for i, c in cases_of(rule) if isinstance(c, Invalid) and c.fixed is not None]
    check_each(fixed, check)
