"""How well the linter agrees with the recorded compiler verdicts, per Numba version.

    python tests/conformance/scorecard.py [--markdown]

For each recorded version: corpus size, compile failures and how many the linter reports as
errors (recall), clean snippets the linter raises an error or warning on (false alarms), and
silent differences it reports as warnings. Static: it needs no Numba.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from numba_check.api import check_source  # noqa: E402
from numba_check.model import Severity  # noqa: E402
from numba_check.rules.base import parse_version  # noqa: E402
from numba_check.settings import Settings  # noqa: E402
from tests.conformance.corpus import VERSIONS, load_corpus  # noqa: E402


def scorecard() -> list[dict]:
    snippets = load_corpus()
    rows = []
    for version in VERSIONS:
        settings = Settings(cache=False, target_numba=parse_version(version))
        row = {"version": version, "snippets": len(snippets)}
        for key in ("refuses", "refuses_caught", "ok", "false_alarms", "differs", "differs_caught"):
            row[key] = 0
        for snippet in snippets:
            found = check_source(snippet.source, "snippet.py", settings=settings)
            errors = any(d.severity is Severity.ERROR for d in found)
            warnings = any(d.severity is Severity.WARNING for d in found)
            verdict = snippet.verdict_for(version)
            row[verdict] += 1
            if verdict == "refuses" and errors:
                row["refuses_caught"] += 1
            elif verdict == "differs" and warnings and not errors:
                row["differs_caught"] += 1
            elif verdict == "ok" and (errors or warnings):
                row["false_alarms"] += 1
        rows.append(row)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="a Markdown table")
    args = parser.parse_args()
    rows = scorecard()
    head = ("Numba", "snippets", "refused", "recall", "clean", "false alarms", "differ", "caught")
    lines = [head]
    for r in rows:
        recall = r["refuses_caught"] / r["refuses"] if r["refuses"] else 1.0
        lines.append(
            (
                r["version"],
                str(r["snippets"]),
                str(r["refuses"]),
                f"{r['refuses_caught']} ({recall:.0%})",
                str(r["ok"]),
                str(r["false_alarms"]),
                str(r["differs"]),
                str(r["differs_caught"]),
            )
        )
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for line in lines[1:]:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
        for line in lines:
            print("  ".join(cell.rjust(w) for cell, w in zip(line, widths, strict=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
