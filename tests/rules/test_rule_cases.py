"""Each rule flags its INVALID snippets where they say, leaves its VALID ones alone, and fixes."""

from __future__ import annotations

import ast

import pytest

from numba_check.engine import build_config, check_text
from numba_check.fixes import apply_fixes
from numba_check.rules import RULES_BY_CODE
from numba_check.rules.base import Invalid, Valid, parse_version
from numba_check.selection import Selection

from .cases import params

INSTALLED = (0, 68, 1)


def lint(source: str, code: str, target: str | None):
    version = parse_version(target) if target else INSTALLED
    config = build_config(Selection(select=(code,)), version)
    return check_text(source, "case.py", config)


@pytest.mark.parametrize(("rule", "case"), params(Valid))
def test_valid_case_is_clean(rule, case: Valid) -> None:
    assert lint(case.code, rule.code, case.target_numba) == ()


@pytest.mark.parametrize(("rule", "case"), params(Invalid))
def test_invalid_case_is_flagged(rule, case: Invalid) -> None:
    found = lint(case.code, rule.code, case.target_numba)
    assert len(found) == case.count, found
    first = found[0]
    assert first.code == rule.code and first.name == rule.name
    assert first.severity is rule.severity
    if case.line is not None:
        assert first.location.line == case.line
    if case.column is not None:
        assert first.location.column + 1 == case.column
    if case.fixed is not None:
        assert first.fix is not None
        fixed, _ = apply_fixes(case.code, [d.fix for d in found if d.fix])
        assert fixed == case.fixed
        ast.parse(fixed)
        assert lint(fixed, rule.code, case.target_numba) == ()
    elif rule.fix_applicability is not None:
        # A fixable rule fixes every case it flags, and the fix parses.
        assert first.fix is not None
        ast.parse(apply_fixes(case.code, [d.fix for d in found if d.fix])[0])


def test_every_fixable_rule_has_a_fixed_case() -> None:
    for rule in RULES_BY_CODE.values():
        if rule.fix_applicability is not None:
            assert any(c.fixed for c in rule.INVALID), rule.code
