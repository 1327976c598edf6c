"""Nothing of a module outlives its lint: a long run (a worker process, an editor's server, the
fuzz test) must not grow with the number of files it has checked."""

from __future__ import annotations

import gc

from numba_check.api import check_source
from numba_check.module_context import ModuleContext
from tests.robustness.helpers import all_rules
from tests.rules.cases import all_cases


def _live_contexts() -> int:
    gc.collect()
    # By type: isinstance() would look through a dead weakref.proxy (numba makes some) and raise.
    return sum(1 for o in gc.get_objects() if issubclass(type(o), ModuleContext))


def test_a_lint_leaves_nothing_behind():
    """Every rule's own cases, linted with every rule, in one pass that checks two things.

    No module's parse, scopes or rule state is still reachable afterwards. (Visitor classes
    made inside a helper, remembered by class in a table, once kept each module they had seen.)

    And nothing needs the cyclic collector: each module is linted with the collector paused, so
    what it builds must die by reference counting when the module is done. One reference cycle
    anywhere (a scope and its bindings, a closure that calls itself, the last module's index)
    keeps a whole tree alive until the collector runs, and the collector then walks every node
    of it."""
    before = _live_contexts()
    settings = all_rules()
    gc.disable()
    try:
        for _rule, case in all_cases():
            check_source(case.code, "case.py", settings=settings)
        left = gc.collect()
    finally:
        gc.enable()
    assert left == 0, f"{left} objects were left in reference cycles"
    assert _live_contexts() == before
