"""A plugin whose hook name is misspelt: numba-check must refuse it, naming it."""

from __future__ import annotations

from numba_check import hookimpl


@hookimpl
def numba_check_add_rule() -> list[type]:  # the hook is numba_check_add_rules
    return []
