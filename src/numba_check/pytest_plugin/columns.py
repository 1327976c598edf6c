"""Tables that fit the terminal, as pytest-benchmark's do: fewer columns, then shorter cells."""

from __future__ import annotations

from collections.abc import Sequence

MIN_FIRST = 12  # the test id keeps at least its last 12 characters
MIN_LAST = 10


def fit(
    header: Sequence[str], body: Sequence[Sequence[str]], width: int, drop: Sequence[int] = ()
) -> list[str]:
    """The table's lines within ``width`` characters.

    Columns in ``drop`` go first, in that order, until the table fits. Then the first column
    (test ids, which share their start) loses characters on the left, and the last column
    (a status) on the right.
    """
    keep = list(range(len(header)))
    rows = [tuple(str(c) for c in header), *(tuple(str(c) for c in r) for r in body)]

    def natural() -> list[int]:
        return [max(len(r[i]) for r in rows) for i in keep]

    def total(w: list[int]) -> int:
        return sum(w) + 2 * (len(w) - 1)

    for column in drop:
        if total(natural()) <= width:
            break
        if column in keep and len(keep) > 1:
            keep.remove(column)
    w = natural()
    over = total(w) - width
    if over > 0 and len(w) > 1:
        cut = min(over, max(0, w[0] - MIN_FIRST))
        w[0] -= cut
        over -= cut
    if over > 0:
        w[-1] = max(MIN_LAST, w[-1] - over)

    def cell(text: str, i: int) -> str:
        if len(text) > w[i]:
            text = "..." + text[-(w[i] - 3) :] if i == 0 else text[: w[i] - 3] + "..."
        return text.ljust(w[i])

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(cell(row[c], i) for i, c in enumerate(keep)).rstrip()

    return [line(rows[0]), "  ".join("-" * x for x in w), *(line(r) for r in rows[1:])]
