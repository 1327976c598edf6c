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


def test_no_module_context_outlives_its_lint():
    """Every rule's own cases, linted with every rule: afterwards no module's parse, scopes or
    rule state is still reachable. (Visitor classes made inside a helper, remembered by class
    in a table, once kept each module they had seen.)"""
    before = _live_contexts()
    settings = all_rules()
    for _rule, case in all_cases():
        check_source(case.code, "case.py", settings=settings)
    assert _live_contexts() == before


def test_a_lint_leaves_no_cyclic_garbage():
    """Each module is linted with the cyclic collector paused, so what it builds must die by
    reference counting when the module is done: one reference cycle anywhere (a scope and its
    bindings, a closure that calls itself, the last module's index) keeps a whole tree alive
    until the collector runs, and the collector then walks every node of it."""
    settings = all_rules()
    gc.collect()
    gc.disable()
    try:
        for _rule, case in all_cases():
            check_source(case.code, "case.py", settings=settings)
        left = gc.collect()
    finally:
        gc.enable()
    assert left == 0
