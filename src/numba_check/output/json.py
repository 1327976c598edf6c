"""ruff's JSON shape, plus our ``name`` and ``severity``: a list with one object per diagnostic."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from numba_check.model import Diagnostic, Fix, Location
from numba_check.output.base import FormatContext, display_name, json_text, row_col

NAME = "json"


def render(diagnostics: Sequence[Diagnostic], ctx: FormatContext) -> str:
    """A JSON list, indented by two, keys sorted as ruff sorts them."""
    text = json.dumps([to_dict(d) for d in diagnostics], indent=2, ensure_ascii=False)
    return json_text(text) + "\n"


def to_dict(diagnostic: Diagnostic) -> dict[str, Any]:
    """One diagnostic as ruff's JSON object; rows and columns are 1-based."""
    return {
        "cell": diagnostic.cell,
        "code": diagnostic.code,
        "end_location": _location(diagnostic.end_location),
        "filename": display_name(diagnostic.filename),
        "fix": _fix(diagnostic.fix),
        "location": _location(diagnostic.location),
        "message": diagnostic.message,
        "name": diagnostic.name,
        # We only know the diagnostic's own line; ruff moves it for multi-line strings.
        "noqa_row": diagnostic.location.line,
        "severity": diagnostic.severity.value,
        "url": diagnostic.url,
    }


def _location(location: Location) -> dict[str, int]:
    row, column = row_col(location)
    return {"column": column, "row": row}


def _fix(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {
        "applicability": fix.applicability.value,
        "edits": [
            {
                "content": edit.content,
                "end_location": _location(edit.end),
                "location": _location(edit.start),
            }
            for edit in fix.edits
        ],
        "message": fix.message,
    }
