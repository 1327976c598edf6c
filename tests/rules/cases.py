"""Every VALID/INVALID case of every built-in rule, as pytest parameters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from numba_check.rules import BUILTIN_RULES
from numba_check.rules.base import Invalid, RuleClass, Valid


def all_cases() -> Iterator[tuple[RuleClass, Valid | Invalid]]:
    for rule in BUILTIN_RULES:
        for case in (*rule.VALID, *rule.INVALID):
            yield rule, case


def params(only: type | None = None, with_call: bool = False) -> list:
    out = []
    for rule, case in all_cases():
        if only is not None and not isinstance(case, only):
            continue
        if with_call and (case.call is None or case.target_numba is not None):
            continue
        kind = "valid" if isinstance(case, Valid) else "invalid"
        index = (rule.VALID if kind == "valid" else rule.INVALID).index(case)
        out.append(pytest.param(rule, case, id=f"{rule.code}-{kind}-{index}"))
    return out
