"""How fast a cold run can be while rules match on libcst trees: the CPU time of the parsing
that design cannot skip, on the real-code tree, against the budget the speed goal leaves.

For every module of the tree that may use Numba it times Python's `ast` parse (the prefilter
and the outline need it), then finds the compiled functions as the engine does (untimed) and
times libcst's parse of their text alone: each outermost compiled function, decorators
included, parsed on its own. Nothing else (scopes, the finder, the rules, the
host code module rules look at) is counted, so the sum is a floor.

    .venv/bin/python benchmarks/libcst_floor.py
    .venv/bin/python benchmarks/libcst_floor.py --dir .realcode --flake8-seconds 22.5
"""

from __future__ import annotations

import argparse
import ast
import gc
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("numba-0.68.1", "pyts-0.14.1", "tslearn-0.10.0", "interpolation-2.2.7")


def compiled_texts(source: str) -> list[tuple[str, int]]:
    """The text of each outermost function the engine finds compiled in `source`, to parse
    alone (an indented one under `if True:`: dedenting would break on a comment in the first
    column), with its number of rows."""
    import libcst as cst

    from numba_check.module_context import ModuleContext

    ctx = ModuleContext(
        cst.MetadataWrapper(cst.parse_module(source), unsafe_skip_copy=True), source
    )
    rows = source.splitlines(keepends=True)
    spans = set()
    for function in ctx.compiled:
        node = function.node
        start = ctx.positions[node.decorators[0] if node.decorators else node].start.line
        spans.add((start, ctx.positions[node].end.line))
    outermost = [
        s for s in spans if not any(o != s and o[0] <= s[0] <= s[1] <= o[1] for o in spans)
    ]
    texts = [("".join(rows[a - 1 : b]), b - a + 1) for a, b in sorted(outermost)]
    return [("if True:\n" + t if t[:1].isspace() else t, n) for t, n in texts]


def measure(files: list[Path]) -> dict[str, float]:
    import libcst as cst

    from numba_check.prefilter import may_use_numba

    totals = {"files": 0, "ast_s": 0.0, "compiled_lines": 0, "libcst_compiled_s": 0.0}
    for path in files:
        source = path.read_bytes().decode("utf-8-sig", "replace")
        if not may_use_numba(source):
            continue
        start = time.process_time()
        try:
            ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        totals["ast_s"] += time.process_time() - start
        totals["files"] += 1
        try:
            texts = compiled_texts(source)
        except Exception:  # noqa: BLE001 - a module libcst refuses has nothing to time here
            continue
        for text, rows in texts:
            totals["compiled_lines"] += rows
            start = time.process_time()
            cst.parse_module(text)
            totals["libcst_compiled_s"] += time.process_time() - start
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="libcst_floor.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=REPO / ".realcode", help="the tree's folder")
    parser.add_argument(
        "--flake8-seconds",
        type=float,
        default=22.5,
        help="flake8 + flake8-numba's cold time on the tree (speed.py measures it; default 22.5)",
    )
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the machine (default 2)")
    args = parser.parse_args(argv)
    roots = [args.dir / name for name in PACKAGES if (args.dir / name).is_dir()]
    if not roots:
        parser.error(f"no package folder under {args.dir}; run benchmarks/real_code.py first")
    files = sorted(p for root in roots for p in root.rglob("*.py"))
    sys.setrecursionlimit(20_000)  # generated arithmetic nests deeply
    gc.disable()  # as the engine does while it lints a module
    totals = measure(files)
    floor = totals["ast_s"] + totals["libcst_compiled_s"]
    budget = args.flake8_seconds / 6 * args.cpus
    print(f"modules that may use Numba: {totals['files']} (of {len(files)} files)")
    print(f"ast parse of those modules: {totals['ast_s']:.1f} CPU-s")
    print(
        f"libcst parse of their compiled functions alone ({totals['compiled_lines']:,} lines): "
        f"{totals['libcst_compiled_s']:.1f} CPU-s"
    )
    print(f"floor, before any scope, finder or rule work: {floor:.1f} CPU-s")
    print(
        f"budget of a run 6x faster than flake8 ({args.flake8_seconds} s) on {args.cpus} CPUs: "
        f"{budget:.1f} CPU-s, worker start-up included"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
