"""Every VALID/INVALID case of every built-in rule: as pytest parameters (one per case, for the
tests that compile), or grouped by rule (for the linter's own tests: see tests/each.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from numba_check.rules import BUILTIN_RULES
from numba_check.rules.base import Invalid, RuleClass, Valid


def all_cases() -> Iterator[tuple[RuleClass, Valid | Invalid]]:
    for rule in BUILTIN_RULES:
        for case in (*rule.VALID, *rule.INVALID):
            yield rule, case


def case_id(rule: RuleClass, case: Valid | Invalid) -> str:
    """`NB302-invalid-3`: the rule, the list, the index in it."""
    kind = "valid" if isinstance(case, Valid) else "invalid"
    index = (rule.VALID if kind == "valid" else rule.INVALID).index(case)
    return f"{rule.code}-{kind}-{index}"


def params(only: type | None = None, with_call: bool = False) -> list:
    out = []
    for rule, case in all_cases():
        if only is not None and not isinstance(case, only):
            continue
        if with_call and (case.call is None or case.target_numba is not None):
            continue
        out.append(pytest.param(rule, case, id=case_id(rule, case)))
    return out


def rules_with_cases() -> list[RuleClass]:
    return [rule for rule in BUILTIN_RULES if rule.VALID or rule.INVALID]


def rule_code(rule: RuleClass) -> str:
    """A rule's test id."""
    return rule.code


def cases_of(rule: RuleClass) -> list[tuple[str, Valid | Invalid]]:
    """(id, case) for every case of `rule`, the VALID ones first."""
    return [(case_id(rule, case), case) for case in (*rule.VALID, *rule.INVALID)]
