"""Explaining a compile failure: Numba's message trimmed, the rules the message maps to
(`numba-check explain`), and what the linter says about the function."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAX_LINES = 12
# Rules named after the message; `numba-check explain` lists them all.
MAX_RULES = 3


def trim_numba_error(exc: BaseException) -> str:
    """The lines of a Numba compile error that say what is wrong and where, followed by the
    rules its message maps to."""
    from numba_check.explain.trim import trim_lines

    kept = trim_lines(str(exc))
    head = f"{type(exc).__name__}"
    if len(kept) > MAX_LINES:
        dropped = len(kept) - MAX_LINES
        kept = kept[:MAX_LINES] + [f"... ({dropped} more lines)"]
    trimmed = head + ":\n" + "\n".join("    " + line for line in kept)
    rules = format_message_rules(exc)
    return f"{trimmed}\n{rules}" if rules else trimmed


def format_message_rules(exc: BaseException) -> str:
    """The rules the error message maps to, most likely first ("" when none does)."""
    try:
        from numba_check.explain import exception_text, explain

        # The linter's view of the function comes separately (format_diagnostics).
        candidates = explain(exception_text(exc), lint=False).candidates
    except Exception as error:  # noqa: BLE001 - the explanation must never break the test run
        return f"numba-check explain: failed ({type(error).__name__}: {error})"
    if not candidates:
        return ""
    lines = ["numba-check explain: the message maps to"]
    for c in candidates[:MAX_RULES]:
        lines.append(f"  {c.code} {c.name} ({c.confidence.value} confidence)")
    more = len(candidates) - MAX_RULES
    tail = f"; {more} more with `numba-check explain`" if more > 0 else ""
    lines.append(f"  (details: `numba-check rule {candidates[0].code}`{tail})")
    return "\n".join(lines)


def function_lines(func: Callable[..., Any]) -> tuple[str, int, int] | None:
    """(file, first line, last line) of a function's source, decorators included."""
    try:
        filename = inspect.getsourcefile(func)
        lines, start = inspect.getsourcelines(func)
    except (TypeError, OSError):
        return None
    if not filename:
        return None
    return filename, max(start, 1), max(start, 1) + len(lines) - 1


def lint_function(
    func: Callable[..., Any] | None, compiled_by_plugin: bool = False
) -> tuple[list[Any], str | None]:
    """The linter's diagnostics inside ``func``'s lines, and a note when it could not run.

    A plain function that the plugin compiled has no Numba decorator the linter could see, so
    ``name = njit(name)`` is appended to the source (after the end: line numbers do not move).
    """
    if func is None:
        return [], None
    where = function_lines(func)
    if where is None:
        return [], "the linter could not run: the function's source is not available"
    filename, first, last = where
    try:
        import numba_check

        check_source = numba_check.check_source
    except (ImportError, AttributeError) as exc:
        return [], f"the linter is not available ({type(exc).__name__}: {exc})"
    try:
        source = Path(filename).read_text(encoding="utf-8")
        name = getattr(func, "__name__", "")
        if compiled_by_plugin and name.isidentifier() and "." not in func.__qualname__:
            source += f"\n\nimport numba as _nc_numba\n{name} = _nc_numba.njit({name})\n"
        diagnostics = check_source(source, filename)
    except Exception as exc:  # noqa: BLE001 - the explanation must never break the test run
        return [], f"the linter failed on {filename} ({type(exc).__name__}: {exc})"
    inside = [d for d in diagnostics if first <= d.location.line <= last]
    return sorted(inside, key=lambda d: (d.location.line, d.location.column, d.code)), None


def format_diagnostics(
    func: Callable[..., Any] | None, name: str, compiled_by_plugin: bool = False
) -> str:
    diagnostics, note = lint_function(func, compiled_by_plugin)
    if note:
        return f"numba-check linter: {note}"
    if not diagnostics:
        return f"numba-check linter: no diagnostics for '{name}'"
    lines = [f"numba-check linter on '{name}':"]
    for d in diagnostics:
        severity = getattr(d.severity, "value", d.severity)
        path = Path(d.filename).name
        lines.append(
            f"  {path}:{d.location.line}:{d.location.column + 1}: {d.code} [{severity}] "
            f"{d.name}: {d.message}"
        )
    return "\n".join(lines)
