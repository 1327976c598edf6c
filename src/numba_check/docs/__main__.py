"""``python -m numba_check.docs [--check] [--docs-dir DIR]``: regenerate the generated pages."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from numba_check.docs import COMMAND, PAGES, stale_pages, write_pages


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=COMMAND,
        description=f"Regenerate the generated documentation pages: {', '.join(PAGES)}.",
    )
    parser.add_argument(
        "--docs-dir",
        type=Path,
        default=Path("docs"),
        help="the documentation folder (default: docs, run from the repository root)",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a page is stale"
    )
    args = parser.parse_args(argv)
    if not args.docs_dir.is_dir():
        parser.error(f"--docs-dir: no such folder: {args.docs_dir} (run from the repository root)")
    if args.check:
        stale = stale_pages(args.docs_dir)
        for name in stale:
            sys.stderr.write(f"{args.docs_dir / name} is stale: run `{COMMAND}`\n")
        return 1 if stale else 0
    for name in write_pages(args.docs_dir):
        sys.stderr.write(f"wrote {args.docs_dir / name}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
