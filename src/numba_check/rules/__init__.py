"""The rule catalogue. Built-in rules are listed here; plugins add theirs through hooks."""

from __future__ import annotations

from collections.abc import Mapping

from numba_check.rules import tool
from numba_check.rules.base import Rule, RuleClass
from numba_check.rules.calls.unsupported_library_call import UnsupportedLibraryCall
from numba_check.rules.calls.untyped_global_function import UntypedGlobalFunction
from numba_check.rules.numpy_api.sequence_argument_as_list import SequenceArgumentAsList
from numba_check.rules.numpy_api.shape_as_list import ShapeAsList
from numba_check.rules.semantics.int_list_assigned_float import IntListAssignedFloat
from numba_check.rules.semantics.raise_in_except_handler import RaiseInExceptHandler
from numba_check.rules.statements.bare_reraise import BareReraise
from numba_check.rules.statements.class_definition import ClassDefinition
from numba_check.rules.statements.comprehensions import (
    GeneratorExpression,
    ListComprehensionUnsupported,
    SetComprehension,
)
from numba_check.rules.statements.exception_bound_to_name import ExceptionBoundToName
from numba_check.rules.statements.exception_class_match import ExceptionClassMatch
from numba_check.rules.statements.raise_from import RaiseFrom
from numba_check.rules.statements.try_unsupported_on_target import TryUnsupportedOnTarget
from numba_check.rules.statements.unsupported_context_manager import UnsupportedContextManager
from numba_check.rules.statements.yield_from import YieldFrom

BUILTIN_RULES: tuple[RuleClass, ...] = (
    ExceptionClassMatch,
    ExceptionBoundToName,
    BareReraise,
    RaiseFrom,
    TryUnsupportedOnTarget,
    UnsupportedContextManager,
    YieldFrom,
    ClassDefinition,
    ListComprehensionUnsupported,
    SetComprehension,
    GeneratorExpression,
    UnsupportedLibraryCall,
    UntypedGlobalFunction,
    SequenceArgumentAsList,
    ShapeAsList,
    IntListAssignedFloat,
    RaiseInExceptHandler,
    tool.SyntaxErrorRule,
    tool.NotUtf8,
    tool.EmptyFile,
    tool.UnusedNoqa,
    tool.UnreadableFile,
)

RULES_BY_CODE: Mapping[str, RuleClass] = {r.code: r for r in BUILTIN_RULES}

__all__ = ["BUILTIN_RULES", "RULES_BY_CODE", "Rule", "RuleClass"]
