"""NB1xx: Python statements and syntax Numba refuses."""

from __future__ import annotations

from numba_check.rules.statements.bare_reraise import BareReraise
from numba_check.rules.statements.class_definition import ClassDefinition
from numba_check.rules.statements.comprehensions import (
    GeneratorExpression,
    ListComprehensionUnsupported,
    SetComprehension,
)
from numba_check.rules.statements.del_attribute import DelAttribute
from numba_check.rules.statements.del_item_of_literal_container import DelItemOfLiteralContainer
from numba_check.rules.statements.del_variable import DelVariable
from numba_check.rules.statements.double_star_argument import DoubleStarArgument
from numba_check.rules.statements.exception_bound_to_name import ExceptionBoundToName
from numba_check.rules.statements.exception_class_match import ExceptionClassMatch
from numba_check.rules.statements.global_assignment import GlobalAssignment
from numba_check.rules.statements.import_in_compiled_function import ImportInCompiledFunction
from numba_check.rules.statements.nonlocal_reassigned import NonlocalReassigned
from numba_check.rules.statements.nonlocal_reassignment_dropped import NonlocalReassignmentDropped
from numba_check.rules.statements.raise_from import RaiseFrom
from numba_check.rules.statements.star_argument_not_tuple import StarArgumentNotTuple
from numba_check.rules.statements.star_unpacking_assignment import StarUnpackingAssignment
from numba_check.rules.statements.structural_match_pattern import StructuralMatchPattern
from numba_check.rules.statements.try_unsupported_on_target import TryUnsupportedOnTarget
from numba_check.rules.statements.unsupported_context_manager import UnsupportedContextManager
from numba_check.rules.statements.var_keyword_parameter import VarKeywordParameter
from numba_check.rules.statements.walrus_in_comprehension import WalrusInComprehension
from numba_check.rules.statements.walrus_value_used import WalrusValueUsed
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
    GlobalAssignment,
    DelVariable,
    DelAttribute,
    DelItemOfLiteralContainer,
    StarUnpackingAssignment,
    VarKeywordParameter,
    DoubleStarArgument,
    StarArgumentNotTuple,
    ImportInCompiledFunction,
    WalrusValueUsed,
    WalrusInComprehension,
    StructuralMatchPattern,
    NonlocalReassigned,
    NonlocalReassignmentDropped,
)
