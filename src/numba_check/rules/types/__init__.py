"""NB4xx: types and containers Numba cannot infer or pass in."""

from __future__ import annotations

from numba_check.rules.types.incompatible_return_types import IncompatibleReturnTypes
from numba_check.rules.types.literal_container_dynamic_index import LiteralContainerDynamicIndex
from numba_check.rules.types.unsupported_container_argument import UnsupportedContainerArgument
from numba_check.rules.types.untyped_empty_container import UntypedEmptyContainer

RULES = (
    UntypedEmptyContainer,
    UnsupportedContainerArgument,
    LiteralContainerDynamicIndex,
    IncompatibleReturnTypes,
)
