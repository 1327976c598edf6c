"""The rule catalogue. Each family package lists its rules in ``RULES``. This module is also
the built-in plugin that contributes them, through the hook third-party plugins use."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from numba_check.plugins import hookimpl
from numba_check.rules import calls, cuda, numpy_api, semantics, statements, tool, types, ufuncs
from numba_check.rules.base import Rule, RuleClass

BUILTIN_RULES: tuple[RuleClass, ...] = (
    *statements.RULES,
    *calls.RULES,
    *numpy_api.RULES,
    *types.RULES,
    *ufuncs.RULES,
    *semantics.RULES,
    *cuda.RULES,
    tool.SyntaxErrorRule,
    tool.NotUtf8,
    tool.EmptyFile,
    tool.UnusedNoqa,
    tool.UnreadableFile,
)

RULES_BY_CODE: Mapping[str, RuleClass] = {r.code: r for r in BUILTIN_RULES}


@hookimpl
def numba_check_add_rules() -> Sequence[RuleClass]:
    return BUILTIN_RULES


__all__ = ["BUILTIN_RULES", "RULES_BY_CODE", "Rule", "RuleClass", "numba_check_add_rules"]
