"""GitLab code quality: the Code Climate subset that GitLab reads, shaped as ruff writes it.

GitLab shows these issues in the merge request widget and the diff, and compares the report of
the branch with the target branch's by ``fingerprint``: a fingerprint must therefore be unique in
one report and stable when unrelated lines move, so it hashes the file, the rule and the message,
not the position.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from numba_check.model import Diagnostic, Severity
from numba_check.output.base import FormatContext, display_name, json_text, one_line, row_col

NAME = "gitlab"

# Code Climate's scale is info, minor, major, critical, blocker. "critical" and "blocker" are
# meant for security and breakage of the whole product; a function Numba refuses is a "major".
SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(diagnostics: Sequence[Diagnostic], ctx: FormatContext) -> str:
    """A JSON list with one Code Climate issue per diagnostic."""
    fingerprints = _Fingerprints()
    issues = [to_issue(d, fingerprints.next(d)) for d in diagnostics]
    return json_text(json.dumps(issues, indent=2, ensure_ascii=False)) + "\n"


def to_issue(diagnostic: Diagnostic, fingerprint: str) -> dict[str, Any]:
    """One diagnostic as a GitLab code quality issue."""
    description = f"{diagnostic.code}: {one_line(diagnostic.message)}"
    if diagnostic.cell is None:
        begin, _ = row_col(diagnostic.location)
        end, _ = row_col(diagnostic.end_location)
    else:
        # GitLab cannot point into a notebook cell: as ruff does, the issue points at the top of
        # the file, and the description says where it is.
        row, col = row_col(diagnostic.location)
        description += f" (cell {diagnostic.cell}, line {row}, column {col})"
        begin = end = 1
    return {
        "check_name": diagnostic.code,
        "description": description,
        "fingerprint": fingerprint,
        "location": {
            "lines": {"begin": begin, "end": end},
            "path": display_name(diagnostic.filename.replace("\\", "/")),
        },
        "severity": SEVERITY[diagnostic.severity],
    }


class _Fingerprints:
    """Hashes of what each issue is, made unique within the report by rehashing a repeat."""

    def __init__(self) -> None:
        self._taken: set[str] = set()
        # The last fingerprint given for each key: the next repeat goes on from it, rather than
        # down the whole chain again (a message repeated thousands of times in one file).
        self._last: dict[bytes, str] = {}

    def next(self, diagnostic: Diagnostic) -> str:
        key = "\0".join(
            (diagnostic.filename.replace("\\", "/"), diagnostic.code, diagnostic.message)
        ).encode("utf-8", "surrogatepass")
        last = self._last.get(key)
        digest = hashlib.blake2b(key, digest_size=16).hexdigest() if last is None else last
        while digest in self._taken:
            # The same message twice in one file: the second gets the hash of the first, and so
            # on, so each keeps its fingerprint as long as their order does not change.
            digest = hashlib.blake2b(digest.encode("ascii") + key, digest_size=16).hexdigest()
        self._taken.add(digest)
        self._last[key] = digest
        return digest
