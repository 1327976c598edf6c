"""NB5xx: code that compiles but computes something different from Python."""

from __future__ import annotations

from numba_check.rules.semantics.int_list_assigned_float import IntListAssignedFloat
from numba_check.rules.semantics.raise_in_except_handler import RaiseInExceptHandler

RULES = (
    IntListAssignedFloat,
    RaiseInExceptHandler,
)
