"""``--add-noqa``: a ``# noqa: CODES`` comment on each line with diagnostics, as ruff adds them.

A directive suppresses the diagnostics that start on its line (see `noqa`), so it goes at the
end of that line. A line whose end is inside a string literal or continued with a backslash
cannot carry a comment without changing the code: such lines are left alone (their diagnostics
stay). An existing directive is extended rather than doubled (``# noqa: NB101`` becomes
``# noqa: NB101, NB302``); a bare ``# noqa`` already covers every code.
"""

from __future__ import annotations

import io
import tokenize
from collections.abc import Iterable

from numba_check.fixes import split_lines
from numba_check.model import Diagnostic
from numba_check.noqa import CODE_RE, LINE_RE


def add_noqa(source: str, diagnostics: Iterable[Diagnostic]) -> tuple[str, int]:
    """`source` with directives added for `diagnostics`; how many lines got one."""
    wanted: dict[int, set[str]] = {}
    for d in diagnostics:
        wanted.setdefault(d.location.line, set()).add(d.code)
    if not wanted:
        return source, 0
    ends = _comment_lines(source)
    if ends is None:
        return source, 0  # does not tokenize: nowhere is known to be safe
    lines = split_lines(source)
    added = 0
    for number, codes in sorted(wanted.items()):
        if number not in ends or number > len(lines):
            continue
        text = lines[number - 1]
        body = text.rstrip("\r\n")
        newline = text[len(body) :]
        new = _with_directive(body, sorted(codes), ends[number])
        if new != body:
            lines[number - 1] = new + newline
            added += 1
    return "".join(lines), added


def _comment_lines(source: str) -> dict[int, int | None] | None:
    """Lines whose end is code, not inside a string: the column of their comment, or None."""
    found: dict[int, int | None] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source, newline=None).readline):
            if tok.type == tokenize.COMMENT:
                found[tok.start[0]] = tok.start[1]
            elif tok.type in (tokenize.NEWLINE, tokenize.NL) and tok.start[0] == tok.end[0]:
                found.setdefault(tok.start[0], None)
    except (tokenize.TokenError, SyntaxError):
        return None
    return found


def _with_directive(body: str, codes: list[str], comment: int | None) -> str:
    if comment is None:
        return f"{body.rstrip()}  # noqa: {', '.join(codes)}"
    match = LINE_RE.search(body, comment)
    if match is None:
        return f"{body.rstrip()}  # noqa: {', '.join(codes)}"
    if match.group("codes") is None:
        return body  # a bare noqa suppresses every code already
    present = [c.upper() for c in CODE_RE.findall(match.group("codes"))]
    missing = [c for c in codes if c not in present]
    if not missing:
        return body
    listed = ", ".join([*present, *missing])
    return f"{body[: match.start()]}# noqa: {listed}{body[match.end() :]}"
