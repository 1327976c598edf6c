"""The rule catalogue. Each family package lists its rules in ``RULES``. The plugin manager
contributes them through the hook third-party plugins use (``plugins._BuiltinRules``)."""

from __future__ import annotations

from collections.abc import Mapping

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
    tool.NumbaRefused,
    tool.CouldNotVerify,
)

RULES_BY_CODE: Mapping[str, RuleClass] = {r.code: r for r in BUILTIN_RULES}


__all__ = ["BUILTIN_RULES", "RULES_BY_CODE", "Rule", "RuleClass"]
