"""How much `--verify` verifies, how fast, and what it finds, on real code and on the corpus.

Real code: the packages `real_code.py` downloads (into ``.realcode/``, reusing what is there).
For each, every file is verified twice with a fresh cache folder: cold (everything compiled)
then warm (the cache answers). It prints the compiled functions found, those whose argument
types were known, verified, refused, could not be verified, not verified (types unknown or a
target --verify does not compile), the cold and warm wall times, and the time per verified
function; then every refusal (NB950) and the reasons functions could not be verified.

Corpus (`--corpus`): each snippet of ``fixtures/corpus`` is a module of its own, with its
recorded call in an ``if __name__ == "__main__":`` block; it counts clean snippets that stay
clean and refused snippets whose types are known that --verify catches.

    python benchmarks/verify.py                       # the four default packages
    python benchmarks/verify.py pyts --json out.json
    python benchmarks/verify.py --corpus
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

import real_code  # noqa: E402 - benchmarks/ is not a package

STATUSES = ("verified", "refused", "could-not-verify", "not-verified", "unsupported")


def _files(root: Path) -> list[tuple[str, Path, str]]:
    from numba_check.discovery import discover
    from numba_check.settings import Settings

    found = []
    # The tree lives in .realcode/, which the repository's .gitignore lists.
    # Paths are shown from the tree's root, as a check run there shows them (a namespace
    # package's imports resolve by that path).
    for file in discover([root], Settings(cache=False, respect_gitignore=False), cwd=root):
        if file.kind != "python":
            continue
        try:
            text = file.path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        found.append((file.display, file.path, text))
    return found


def verify_tree(name: str, root: Path, jobs: int, cache_dir: Path | None = None) -> dict[str, Any]:
    """Cold and warm verification of one tree, in a fresh cache folder (or `cache_dir`, kept:
    a run cut short then resumes, and its "cold" run compiles only what is not cached)."""
    from numba_check.settings import Settings
    from numba_check.verify import verify_sources

    files = _files(root)
    done: Counter[str] = Counter()
    started = time.perf_counter()

    def progress(recipe: Any, result: Any) -> None:
        # A long run shows how far it got, and what it found so far.
        done["compiled"] += 1
        for outcome in result.outcomes:
            if outcome.status == "refused":
                done["refused"] += 1
                print(f"    ... refused: {recipe.filename}:{recipe.name}", file=sys.stderr)
        if done["compiled"] % 25 == 0:
            elapsed = time.perf_counter() - started
            print(f"    ... {done['compiled']} compiled in {elapsed:.0f} s", file=sys.stderr)

    cache = cache_dir or Path(tempfile.mkdtemp(prefix="numba-check-verify-"))
    try:
        settings = Settings(cache_dir=cache, project_root=REPO)
        start = time.perf_counter()
        cold = verify_sources(files, settings, jobs=jobs, progress=progress)
        cold_s = time.perf_counter() - start
        start = time.perf_counter()
        warm = verify_sources(files, settings, jobs=jobs)
        warm_s = time.perf_counter() - start
    finally:
        if cache_dir is None:
            shutil.rmtree(cache, ignore_errors=True)
    counts = cold.counts()
    verified = counts["verified"]
    diagnostics = [d for found in cold.diagnostics.values() for d in found]
    return {
        "package": name,
        "files": len(files),
        "found": counts["found"],
        "types_known": counts["types-known"],
        **{status: counts[status] for status in STATUSES},
        "compiled_cold": cold.compiled_recipes,
        "compiled_warm": warm.compiled_recipes,
        "cold_s": round(cold_s, 2),
        "warm_s": round(warm_s, 2),
        "s_per_verified": round(cold_s / verified, 3) if verified else None,
        "warm_same": warm.functions_without_times() == cold.functions_without_times(),
        "refusals": [
            {"file": d.filename, "line": d.location.line, "message": d.message}
            for d in diagnostics
            if d.code == "NB950"
        ],
        "could_not_verify": Counter(_reason(d.message) for d in cold.could_not_verify),
        "could_not_verify_messages": [
            f"{d.filename}:{d.location.line}: {d.message}" for d in cold.could_not_verify
        ],
    }


def _reason(message: str) -> str:
    """An NB951 message reduced to its kind of reason, for counting."""
    for marker, kind in (
        ("is not imported by --verify", "a module --verify does not import"),
        ("is not rebuilt by --verify", "an import it cannot resolve"),
        ("bound more than once", "a global bound more than once"),
        ("its value is not computed", "a value computed at run time"),
        ("not defined in its module", "a name not defined in its module"),
        ("decorated function", "a decorated function"),
        ("extends Numba", "the project's own Numba extensions"),
        ("timed out", "timed out"),
        ("crashed", "crashed"),
        ("Numba stumbled", "Numba stumbled (not a NumbaError)"),
        ("bound by a", "a name bound by another statement"),
    ):
        if marker in message:
            return kind
    return "other"


# -- the corpus -----------------------------------------------------------------------------


def verify_corpus(jobs: int) -> dict[str, Any]:
    sys.path.insert(0, str(REPO))
    from numba_check.settings import Settings
    from numba_check.verify import verify_sources
    from tests.conformance.corpus import load_corpus

    snippets = [s for s in load_corpus() if not s.is_cuda and s.call]
    folder = Path(tempfile.mkdtemp(prefix="numba-check-corpus-"))
    try:
        files = []
        by_file = {}
        for snippet in snippets:
            path = folder / f"{snippet.id.replace('-', '_')}.py"
            text = (
                snippet.source
                + "\n\nimport numpy as np\n\nif __name__ == '__main__':\n"
                + f"    {snippet.call}\n"
            )
            path.write_text(text, encoding="utf-8")
            files.append((path.name, path, text))
            by_file[path.name] = snippet
        start = time.perf_counter()
        # Each snippet is a project of its own: one call's module must not see another's.
        results = {}
        settings = Settings(cache=False, project_root=folder)
        from numba_check.verify import Verification

        merged = Verification()
        merged_functions = []
        for batch in _batches(files, 40):
            found = verify_sources(batch, settings, jobs=jobs)
            merged_functions += found.functions
            for name, diags in found.diagnostics.items():
                merged.diagnostics.setdefault(name, []).extend(diags)
        seconds = time.perf_counter() - start
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for name, snippet in by_file.items():
        functions = [f for f in merged_functions if f.filename == name]
        errors = [d for d in merged.diagnostics.get(name, []) if d.code == "NB950"]
        typed = any(f.status in ("verified", "refused", "could-not-verify") for f in functions)
        results[snippet.id] = (snippet.verdict_for("0.68"), typed, errors, functions)
    tally: Counter[str] = Counter()
    false_alarms, missed = [], []
    for snippet_id, (verdict, typed, errors, _functions) in results.items():
        tally[f"{verdict}"] += 1
        if verdict == "refuses":
            tally["refuses, types known"] += typed
            if errors:
                tally["refuses, caught"] += 1
            elif typed:
                missed.append(snippet_id)
        elif errors:
            false_alarms.append((snippet_id, [e.message for e in errors]))
        else:
            tally[f"{verdict}, clean"] += 1
    return {
        "snippets": len(results),
        "tally": dict(tally),
        "false_alarms": false_alarms,
        "missed_with_types": missed,
        "seconds": round(seconds, 1),
    }


def _batches(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


# -- output ---------------------------------------------------------------------------------


def print_tree(row: dict[str, Any], verbose: bool = False) -> None:
    print(
        f"{row['package']}: {row['files']} files, {row['found']} compiled functions, "
        f"{row['types_known']} with types known: {row['verified']} verified, "
        f"{row['refused']} refused, {row['could-not-verify']} could not verify; "
        f"{row['not-verified']} types unknown, {row['unsupported']} not compiled by --verify"
    )
    per = row["s_per_verified"]
    print(
        f"    cold {row['cold_s']} s ({row['compiled_cold']} compiled), warm {row['warm_s']} s "
        f"({row['compiled_warm']} compiled, same verdicts: {row['warm_same']}), "
        f"{per if per is not None else '-'} s per verified function"
    )
    for refusal in row["refusals"]:
        print(f"    NB950 {refusal['file']}:{refusal['line']}: {refusal['message']}")
    for reason, n in row["could_not_verify"].most_common():
        print(f"    could not verify: {n:4} {reason}")
    if verbose:
        for message in row["could_not_verify_messages"]:
            print(f"    NB951 {message}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("packages", nargs="*", help="requirements (default: real_code's four)")
    parser.add_argument("--tree", type=Path, help="verify this folder instead of packages")
    parser.add_argument("--dir", type=Path, default=real_code.DEFAULT_DIR)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, help="also write the numbers as JSON")
    parser.add_argument("--corpus", action="store_true", help="verify the conformance corpus")
    parser.add_argument(
        "--cache-dir", type=Path, help="keep the cache here (a run cut short then resumes)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print every NB951 too")
    args = parser.parse_args(argv)
    if args.corpus:
        data: Any = verify_corpus(args.jobs)
        print(json.dumps(data, indent=2))
    else:
        specs = [real_code.parse_spec(p) for p in (args.packages or real_code.PINS.values())]
        if args.tree:
            packages = [real_code.Package(str(args.tree), "", args.tree)]
        else:
            packages = real_code.fetch(specs, args.dir, sys.stderr)
        data = []
        for package in packages:
            row = verify_tree(package.name, package.root, args.jobs, args.cache_dir)
            print_tree(row, args.verbose)
            data.append(row)
        total = {
            key: sum(row[key] for row in data)
            for key in ("files", "found", "types_known", *STATUSES, "compiled_cold")
        }
        cold = sum(row["cold_s"] for row in data)
        warm = sum(row["warm_s"] for row in data)
        print(
            f"all: {total['found']} compiled functions, {total['types_known']} with types "
            f"known, {total['verified']} verified, {total['refused']} refused, "
            f"{total['could-not-verify']} could not verify; cold {cold:.1f} s, warm {warm:.1f} s"
        )
    if args.json:
        args.json.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
