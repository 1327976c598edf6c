"""NB1xx: Python statements and syntax Numba refuses."""

from __future__ import annotations

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

RULES = (
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
)
