"""Lint the benchmark tree with two versions of numba-check and show they say the same thing.

An optimisation of the engine must not change a single diagnostic. This lints every file of the
tree `real_code.py` downloads (or `--dir`) with every rule, once with the working tree's
``src/`` and once with the ``src/`` of an older commit (checked out with ``git worktree`` into
a temporary folder), in worker processes, and compares the diagnostics file by file: code,
position, end, message and fix. It prints the CPU time each version spent linting.

    python benchmarks/same_output.py --old 7b801a5
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("numba-0.68.1", "pyts-0.14.1", "tslearn-0.10.0", "interpolation-2.2.7")

_CONFIG: Any = None


def _lint(path: str) -> tuple[str, Any, float]:
    global _CONFIG
    import numba_check.engine as engine
    from numba_check.api import lint_config
    from numba_check.selection import Selection
    from numba_check.settings import Settings

    if _CONFIG is None:
        base = lint_config(Settings())
        # Every rule, the ones off by default included.
        _CONFIG = engine.LintConfig(Selection(), base.numba_version, base.rules)
    text = Path(path).read_bytes().decode("utf-8-sig", "replace")
    start = time.process_time()
    try:
        found: Any = [
            [d.code, d.location.line, d.location.column, d.end_location.line]
            + [d.end_location.column, d.message, repr(d.fix)]
            for d in engine.check_text(text, path, _CONFIG)
        ]
    except Exception as exc:  # noqa: BLE001 - reported as a difference, not a crash
        found = f"crashed: {exc!r}"
    return path, found, time.process_time() - start


def collect(src: Path, tree: Path, jobs: int) -> dict[str, Any]:
    """Run in a child interpreter whose numba_check is the one in `src`."""
    files = sorted(
        (str(p) for name in PACKAGES for p in (tree / name).rglob("*.py")),
        key=lambda p: -Path(p).stat().st_size,
    )
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2]);"
        "import same_output as s;"
        "from concurrent.futures import ProcessPoolExecutor;"
        "files = json.loads(sys.stdin.read());"
        "ex = ProcessPoolExecutor(int(sys.argv[3]));"
        "out = {p: [d, t] for p, d, t in ex.map(s._lint, files, chunksize=1)};"
        "print(json.dumps(out))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(src), str(Path(__file__).parent), str(jobs)],
        input=json.dumps(files),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def _collect_commit(rev: str, tree: Path, jobs: int) -> dict[str, Any]:
    """`collect` with the ``src/`` of commit `rev`, checked out into a temporary worktree."""
    with tempfile.TemporaryDirectory() as tmp:
        old_tree = Path(tmp) / "old"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(old_tree), rev],
            check=True,
        )
        try:
            return collect(old_tree / "src", tree, jobs)
        finally:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(old_tree)],
                check=False,
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", metavar="REV", required=True, help="the commit to compare with")
    parser.add_argument("--dir", type=Path, default=REPO / ".realcode", help="the tree's folder")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="worker processes (2)")
    args = parser.parse_args(argv)
    missing = [name for name in PACKAGES if not (args.dir / name).is_dir()]
    if missing:
        parser.error(f"{', '.join(missing)} not in {args.dir}: run benchmarks/real_code.py first")
    old = _collect_commit(args.old, args.dir, args.jobs)
    new = collect(REPO / "src", args.dir, args.jobs)
    differ = sorted(p for p in old if old[p][0] != new.get(p, [None])[0])
    count = sum(len(d) for d, _ in new.values() if isinstance(d, list))
    crashed = sorted(p for p, (d, _) in new.items() if not isinstance(d, list))
    print(
        f"files: {len(new)}; diagnostics: {count}; files that differ: {len(differ)}; "
        f"crashed (working tree): {len(crashed)}"
    )
    print(
        f"CPU time linting: {args.old} {sum(t for _, t in old.values()):.1f} s, "
        f"working tree {sum(t for _, t in new.values()):.1f} s"
    )
    for path in differ[:20]:
        print(f"  {path}\n    old: {old[path][0]}\n    new: {new[path][0]}")
    for path in crashed[:20]:
        print(f"  crashed: {path}: {new[path][0]}")
    return 1 if differ or crashed else 0


if __name__ == "__main__":
    sys.exit(main())
