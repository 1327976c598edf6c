"""The generated pages of the documentation site, and the command that regenerates them.

``python -m numba_check.docs`` rewrites every generated page under ``docs/``;
``python -m numba_check.docs --check`` only says which are stale (exit 1). The pages are written
by the code they describe, so the two never drift.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from numba_check.docs import configuration, rules
from numba_check.docs.rules import reference

__all__ = ["COMMAND", "PAGES", "reference", "stale_pages", "write_pages"]

COMMAND = "python -m numba_check.docs"


def _errors_page() -> str:
    # "Why did Numba refuse this?" belongs to `numba-check explain`, which renders it from the
    # same patterns it matches messages with.
    from numba_check.explain.page import markdown_page

    return markdown_page()


# Page (relative to docs/) -> the function that renders it.
PAGES: Mapping[str, Callable[[], str]] = {
    "configuration.md": configuration.page,
    "errors.md": _errors_page,
    "rules.md": rules.page,
    # One page per rule, where each diagnostic's link (JSON `url`, SARIF `helpUri`) points.
    **rules.rule_pages(),
}


def stale_pages(docs_dir: Path) -> list[str]:
    """The generated pages whose file is missing or differs from what the code renders now."""
    return [name for name, render in PAGES.items() if _read(docs_dir / name) != render()]


def write_pages(docs_dir: Path) -> list[str]:
    """Render every page into `docs_dir`; returns the pages whose file changed."""
    changed = []
    for name, render in PAGES.items():
        text = render()
        path = docs_dir / name
        if _read(path) != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            changed.append(name)
    return changed


def _read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
