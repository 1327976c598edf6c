"""NB5xx: code that compiles but computes something different from Python."""

from __future__ import annotations

from numba_check.rules.semantics.async_def_compiled import AsyncDefCompiled
from numba_check.rules.semantics.float_truncated_to_int import FloatTruncatedToInt
from numba_check.rules.semantics.global_changed_after_compile import GlobalChangedAfterCompile
from numba_check.rules.semantics.int64_overflow import Int64Overflow
from numba_check.rules.semantics.int_constant_too_large import IntConstantTooLarge
from numba_check.rules.semantics.int_list_assigned_float import IntListAssignedFloat
from numba_check.rules.semantics.invert_bool import InvertBool
from numba_check.rules.semantics.prange_shared_update import PrangeSharedUpdate
from numba_check.rules.semantics.raise_in_except_handler import RaiseInExceptHandler
from numba_check.rules.semantics.str_of_float import StrOfFloat
from numba_check.rules.semantics.type_compared_with_eq import TypeComparedWithEq
from numba_check.rules.semantics.type_is_builtin import TypeIsBuiltin
from numba_check.rules.semantics.uint64_mixed_with_signed import Uint64MixedWithSigned

RULES = (
    IntListAssignedFloat,
    RaiseInExceptHandler,
    GlobalChangedAfterCompile,
    Int64Overflow,
    StrOfFloat,
    AsyncDefCompiled,
    TypeIsBuiltin,
    PrangeSharedUpdate,
    InvertBool,
    IntConstantTooLarge,
    TypeComparedWithEq,
    Uint64MixedWithSigned,
    FloatTruncatedToInt,
)
