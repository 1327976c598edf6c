"""Keep pytest from rewriting the asserts of numba-check's own modules. PYTEST_DONT_REWRITE

pytest marks every top-level package of a distribution that registers a ``pytest11`` plugin for
assertion rewriting, so loading numba-check's plugin would have every module of the linter
imported through pytest's rewriting import hook. Their asserts state invariants of the linter,
not test outcomes: under pytest they must behave as they do everywhere else. pytest has no
public way to unmark a package (``PYTEST_DONT_REWRITE`` works module by module), so the mark
is taken back here, before the package imports anything else; an unknown pytest leaves it.
"""

from __future__ import annotations

import sys

PACKAGE = __name__.partition(".")[0]


def unmark(hook: object | None = None) -> None:
    """Take `PACKAGE` off the marks of `hook` (by default, of every rewriting hook installed)."""
    if hook is None:
        rewrite = sys.modules.get("_pytest.assertion.rewrite")
        kind = getattr(rewrite, "AssertionRewritingHook", None)
        if kind is None:
            return  # pytest is not running, or does not rewrite
        hooks = [finder for finder in sys.meta_path if isinstance(finder, kind)]
    else:
        hooks = [hook]
    for found in hooks:
        marked = getattr(found, "_must_rewrite", None)
        if isinstance(marked, set) and PACKAGE in marked:
            marked.discard(PACKAGE)
            cache = getattr(found, "_marked_for_rewrite_cache", None)
            if isinstance(cache, dict):
                cache.clear()
