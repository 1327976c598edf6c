"""NB2xx: calls to functions and libraries Numba cannot type."""

from __future__ import annotations

from numba_check.rules.calls.unsupported_library_call import UnsupportedLibraryCall
from numba_check.rules.calls.untyped_global_function import UntypedGlobalFunction

RULES = (
    UnsupportedLibraryCall,
    UntypedGlobalFunction,
)
