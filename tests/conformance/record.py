"""Run the conformance corpus under another interpreter's Numba and show disagreements.

    python tests/conformance/record.py --python /tmp/nb057/bin/python [--only FILE.toml]

It prints, per snippet whose recorded verdict for that Numba version is wrong, the recorded
and observed verdicts and why; then a summary line. Exit status 1 when anything disagrees.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.conformance.corpus import (  # noqa: E402
    VERSIONS,
    installed_version_key,
    load_corpus,
    run_corpus,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="interpreter with Numba")
    parser.add_argument("--only", action="append", default=[], help="corpus file name(s)")
    parser.add_argument("--id", action="append", default=[], help="snippet id prefix(es)")
    parser.add_argument("--all", action="store_true", help="print every snippet, not only misses")
    args = parser.parse_args(argv)
    key = installed_version_key(args.python)
    if key not in VERSIONS:
        print(f"note: Numba {key} has no recorded verdicts; comparing with the newest older one")
    older = [v for v in VERSIONS if v <= key] or [VERSIONS[0]]
    recorded_key = older[-1]
    snippets = [
        s
        for s in load_corpus()
        if (not args.only or any(s.file == Path(f).name for f in args.only))
        and (not args.id or any(s.id.startswith(p) for p in args.id))
    ]
    observed = run_corpus(snippets, python=args.python)
    tally: Counter[str] = Counter()
    for snippet in snippets:
        seen = observed[snippet.id]
        recorded = snippet.verdict_for(recorded_key)
        if seen.verdict == "unavailable":
            status = "unavailable"
        elif seen.verdict == "compiled":  # a race, not compared: it compiled, as recorded
            status = "agree" if recorded in ("ok", "differs") else "DISAGREE"
        else:
            status = "agree" if seen.verdict == recorded else "DISAGREE"
        tally[status] += 1
        if status != "agree" or args.all:
            print(
                f"{status:11} {snippet.file}:{snippet.id}: recorded {recorded}, "
                f"observed {seen.verdict}: {seen.detail}"
            )
    print(
        f"Numba {key}: {len(snippets)} snippets, "
        + ", ".join(f"{n} {k}" for k, n in sorted(tally.items()))
    )
    return 1 if tally["DISAGREE"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
