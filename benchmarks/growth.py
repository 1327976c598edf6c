"""How numba-check's time grows with the size of one input, shape by shape.

Each shape is a generated module (or notebook) whose size is set by one number n: module-level
rebindings of one name, imports repeated before each function, one long `+` chain, notebook
cells, functions, elif branches, calls, literal elements, noqa comments, the length of one
line... For each, the script lints the shape at n and at 4n, in this process, every rule on and
no cache, and prints the CPU time of each and their ratio: about 4 when the time grows linearly,
16 when it grows with the square of n.

    python benchmarks/growth.py                      # every shape, at its default n
    python benchmarks/growth.py --only rebind,chain --scale 2
    python benchmarks/growth.py --runs 3 --json growth.json

The shapes are used by tests/robustness/test_growth.py too, which counts the function calls
the engine makes at several sizes instead of timing them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

IMPORTS = "import numpy as np\nfrom numba import njit\n"


@dataclass(frozen=True)
class Shape:
    name: str
    what: str  # one line for the table
    n: int  # the default size: big enough that a quadratic piece shows
    make: Callable[[int], str]  # the source (a notebook's JSON text when `notebook`)
    notebook: bool = False
    # What is timed: "lint", "fix" (the fixes applied, re-linted until done) or the name of an
    # output format (the lint, then its diagnostics rendered in that format, fixes shown).
    run: str = "lint"

    @property
    def filename(self) -> str:
        return f"{self.name}.ipynb" if self.notebook else f"{self.name}.py"


def _rebind(n: int) -> str:
    body = "".join(f"x = {i}\n" for i in range(n))
    return IMPORTS + body + "@njit\ndef f(a):\n    return a + x\n"


def _imports(n: int) -> str:
    return "".join(f"{IMPORTS}@njit\ndef f{i}(a):\n    return np.sum(a)\n" for i in range(n))


def _chain(n: int) -> str:
    terms = " + ".join(f"a[{i}]" for i in range(n))
    return f"{IMPORTS}@njit\ndef f(a):\n    return {terms}\n"


def _int_chain(n: int) -> str:
    return f"{IMPORTS}@njit\ndef f(a):\n    return a + " + " + ".join(["1"] * n) + "\n"


def _notebook(n: int) -> str:
    cells = [
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": f"{IMPORTS}@njit\ndef f{i}(a):\n    return np.zeros(a, dtype=int)\n",
        }
        for i in range(n)
    ]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def _functions(n: int) -> str:
    # Each calls the one before and reads a global, so call and name resolution have work.
    parts = [IMPORTS, "K = 3\n@njit\ndef f0(a):\n    return a\n"]
    parts += [f"@njit\ndef f{i}(a):\n    return f{i - 1}(a) * K\n" for i in range(1, n)]
    return "".join(parts)


def _elif(n: int) -> str:
    # `ast` nests each elif in the orelse of the one before: n levels deep.
    branches = "".join(f"    elif a == {i}:\n        b = {i}\n" for i in range(1, n))
    head = f"{IMPORTS}@njit\ndef f(a):\n    b = 0\n    if a == 0:\n        b = 0\n"
    return f"{head}{branches}    return b\n"


def _unary(n: int) -> str:
    return f"{IMPORTS}@njit\ndef f(a):\n    return {'-' * n}a\n"


def _subscripts(n: int) -> str:
    return f"{IMPORTS}@njit\ndef f(a):\n    return a{'[0]' * n}\n"


def _calls(n: int) -> str:
    body = "".join(f"    s += g(a, {i}) + np.sqrt(a[{i % 7}])\n" for i in range(n))
    return (
        f"{IMPORTS}@njit\ndef g(a, i):\n    return a[i % 3]\n"
        f"@njit\ndef f(a):\n    s = 0.0\n{body}    return s\n"
    )


def _literal(n: int) -> str:
    items = ", ".join(f"{i}.5" for i in range(n))
    return f"{IMPORTS}@njit\ndef f(i):\n    t = np.array([{items}])\n    return t[i]\n"


def _dict_literal(n: int) -> str:
    items = ", ".join(f"{i}: {i}" for i in range(n))
    return f"{IMPORTS}@njit\ndef f(i):\n    d = {{{items}}}\n    return d[i]\n"


def _noqa(n: int) -> str:
    # Half the comments suppress a diagnostic; the other half are unused.
    lines = "".join(
        f"    x{i} = np.zeros(n, dtype=int)  # noqa: NB307\n    y{i} = n + {i}  # noqa: NB101\n"
        for i in range(n)
    )
    return f"{IMPORTS}@njit\ndef f(n):\n{lines}    return n\n"


def _long_line(n: int) -> str:
    terms = ", ".join(f"a[{i}]" for i in range(n))
    return f"{IMPORTS}@njit\ndef f(a):\n    return max([{terms}])\n"


def _fixable(n: int) -> str:
    # One fixable diagnostic per function, all with the same message.
    return IMPORTS + "".join(
        f"@njit\ndef f{i}(n):\n    return np.zeros(n, dtype=int)\n" for i in range(n)
    )


def _long_string(n: int) -> str:
    return f'{IMPORTS}@njit\ndef f(a):\n    s = "{"x" * n}"\n    return len(s) + a\n'


SHAPES: dict[str, Shape] = {
    s.name: s
    for s in (
        Shape("rebind", "module-level rebindings of one name, one @njit reading it", 2000, _rebind),
        Shape("imports", "imports repeated before each of n @njit functions", 500, _imports),
        Shape("chain", "one n-term `+` chain of subscripts", 600, _chain),
        Shape("int-chain", "one n-term `+` chain of int literals", 600, _int_chain),
        Shape("notebook", "notebook cells, each importing and defining", 500, _notebook, True),
        Shape("functions", "@njit functions, each calling the one before", 500, _functions),
        Shape("elif", "elif branches in one function (nested n deep)", 500, _elif),
        Shape("unary", "unary minus nested n deep", 500, _unary),
        Shape("subscripts", "subscripts chained n deep", 500, _subscripts),
        Shape("calls", "calls in one function", 1000, _calls),
        Shape("literal", "elements of one array literal", 5000, _literal),
        Shape("dict", "entries of one dict literal", 2000, _dict_literal),
        Shape("noqa", "noqa comments (half unused)", 1000, _noqa),
        Shape("long-line", "elements of a list on one line", 5000, _long_line),
        Shape("long-string", "characters of one string literal", 200_000, _long_string),
        Shape("fix", "fixable diagnostics, fixed (--fix)", 1000, _fixable, run="fix"),
        Shape("full", "diagnostics shown with their source and fix", 1000, _fixable, run="full"),
        Shape(
            "gitlab",
            "diagnostics with the same message, as GitLab JSON",
            1000,
            _fixable,
            run="gitlab",
        ),
    )
}


def lint(shape: Shape, source: str) -> int:
    """Run the shape on `source` (every rule on, no cache); the number of diagnostics left."""
    from numba_check import notebooks
    from numba_check.api import lint_config
    from numba_check.engine import check_text
    from numba_check.fixes import fix_source
    from numba_check.output import get_formatter
    from numba_check.output.base import FormatContext
    from numba_check.rules import RULES_BY_CODE
    from numba_check.settings import Settings

    off = tuple(sorted(c for c, r in RULES_BY_CODE.items() if not r.enabled_by_default))
    config = lint_config(Settings(cache=False, select=("ALL",), extend_select=off))
    check = notebooks.check_notebook if shape.notebook else check_text
    if shape.run == "fix":
        return len(fix_source(source, lambda text: check(text, shape.filename, config)).remaining)
    found = check(source, shape.filename, config)
    if shape.run != "lint":
        context = FormatContext(tool_version="0", sources={shape.filename: source}, show_fixes=True)
        get_formatter(shape.run)(found, context)
    return len(found)


def cpu_time(shape: Shape, n: int, runs: int) -> tuple[float, int]:
    """The least CPU time of `runs` lints of the shape at size n, and its diagnostics."""
    source = shape.make(n)
    best, found = float("inf"), 0
    for _ in range(runs):
        start = time.process_time()
        found = lint(shape, source)
        best = min(best, time.process_time() - start)
    return best, found


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only", help="comma-separated shapes (default: all): " + ", ".join(SHAPES)
    )
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every n by this")
    parser.add_argument("--runs", type=int, default=1, help="best of this many lints per size")
    parser.add_argument("--json", help="also write the table to this file")
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else list(SHAPES)
    unknown = [n for n in names if n not in SHAPES]
    if unknown:
        parser.error(f"unknown shape(s): {', '.join(unknown)}; known: {', '.join(SHAPES)}")
    if args.scale <= 0 or args.runs < 1:
        parser.error("--scale must be positive and --runs at least 1")
    args.shapes = [SHAPES[n] for n in names]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    lint(SHAPES["rebind"], _rebind(1))  # imports and rule tables, outside the timing
    rows = []
    print(f"{'shape':<12} {'n':>7} {'time n':>9} {'4n':>7} {'time 4n':>9} {'ratio':>6}  what")
    for shape in args.shapes:
        n = max(1, round(shape.n * args.scale))
        small, _ = cpu_time(shape, n, args.runs)
        big, found = cpu_time(shape, 4 * n, args.runs)
        ratio = big / small if small else float("inf")
        rows.append(
            {
                "shape": shape.name,
                "n": n,
                "time_n": small,
                "time_4n": big,
                "ratio": ratio,
                "diagnostics_4n": found,
            }
        )
        print(
            f"{shape.name:<12} {n:>7} {small:>8.3f}s {4 * n:>7} {big:>8.3f}s {ratio:>6.1f}"
            f"  {shape.what}",
            flush=True,
        )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(rows, out, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
