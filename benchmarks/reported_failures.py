"""How many of the compile failures users reported does numba-check catch, and how often does it
cry wolf on the look-alikes that compile?

Reads a folder of cases (one small module each, reduced from a public report with the user's own
code shape, decorator spelling and call) and its ``manifest.json``: a list of
``{file, kind: "failure"|"lookalike", verdict: "refused"|"miscomputes"|"compiles", line,
category, ...}``, the verdict being what the installed Numba did. Lints every case with the
default rule selection, alone and with ``--verify``, and prints:

- failures caught: a refused case with an error anywhere in the module, a miscomputed one with
  an error or a warning (and, apart, how many of them on the line Numba names);
- false alarms: look-alikes (which compile) with an error; warnings on them counted apart;
- the same per category.

    python benchmarks/reported_failures.py CASES_DIR [--no-verify] [--json out.json]

The cases are linted as one project (a folder of modules), each case's results read back from
the JSON output; ``--verify`` adds the compiler's verdict where argument types are known.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any


def lint(cases: Path, verify: bool) -> tuple[dict[str, list[dict[str, Any]]], float]:
    """Diagnostics by file name, and the wall time of the run."""
    command = [sys.executable, "-m", "numba_check", "check", "--no-cache"]
    command += ["--output-format", "json", "--exit-zero"]
    if verify:
        command.append("--verify")
    start = time.perf_counter()
    done = subprocess.run([*command, "."], cwd=cases, capture_output=True, text=True, timeout=3600)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"numba-check failed ({done.returncode}):\n{done.stderr[-3000:]}")
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in json.loads(done.stdout or "[]"):
        found[Path(item["filename"]).name].append(item)
    return found, elapsed


def score(manifest: list[dict[str, Any]], found: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    totals: Counter[str] = Counter()
    by_category: dict[str, Counter[str]] = defaultdict(Counter)
    missed, alarms = [], []
    for case in manifest:
        name = Path(case["file"]).name
        diags = found.get(name, [])
        errors = [d for d in diags if d["severity"] == "error"]
        warnings = [d for d in diags if d["severity"] == "warning"]
        category = by_category[case.get("category") or "other"]
        if case["kind"] == "failure":
            totals["failures"] += 1
            category["failures"] += 1
            flagged = errors if case["verdict"] == "refused" else errors + warnings
            if flagged:
                totals["caught"] += 1
                category["caught"] += 1
                line = case.get("line")
                if line and any(d["location"]["row"] == line for d in flagged):
                    totals["caught on the line"] += 1
            else:
                missed.append(name)
        else:
            totals["look-alikes"] += 1
            category["look-alikes"] += 1
            if errors:
                totals["false errors"] += 1
                category["false errors"] += 1
                alarms.append((name, [f"{d['code']} {d['message'][:90]}" for d in errors]))
            if warnings:
                totals["look-alikes with warnings"] += 1
    return {
        "totals": dict(totals),
        "by_category": {k: dict(v) for k, v in sorted(by_category.items())},
        "missed": missed,
        "false_alarms": alarms,
    }


def _print(title: str, result: dict[str, Any], elapsed: float) -> None:
    t = result["totals"]
    failures, lookalikes = t.get("failures", 0), t.get("look-alikes", 0)
    caught, false = t.get("caught", 0), t.get("false errors", 0)
    print(f"\n== {title} ({elapsed:.1f} s)")
    print(
        f"failures caught: {caught}/{failures} ({100 * caught / max(failures, 1):.0f} %), "
        f"on Numba's line: {t.get('caught on the line', 0)}"
    )
    print(
        f"false errors on look-alikes: {false}/{lookalikes}; "
        f"look-alikes with a warning: {t.get('look-alikes with warnings', 0)}"
    )
    print(f"{'category':<22}{'caught':>10}{'false errors':>14}")
    for name, c in result["by_category"].items():
        print(
            f"{name:<22}{c.get('caught', 0):>4}/{c.get('failures', 0):<5}"
            f"{c.get('false errors', 0):>8}/{c.get('look-alikes', 0):<5}"
        )
    for name, errors in result["false_alarms"]:
        print(f"  false alarm {name}: {'; '.join(errors)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", type=Path, help="the folder holding manifest.json")
    parser.add_argument("--no-verify", action="store_true", help="only the static rules")
    parser.add_argument("--json", type=Path, help="write the scores here")
    args = parser.parse_args(argv)
    folder = args.cases.resolve()
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    cases = folder / "cases" if (folder / "cases").is_dir() else folder
    report: dict[str, Any] = {}
    for verify in (False,) if args.no_verify else (False, True):
        title = "static rules + --verify" if verify else "static rules"
        found, elapsed = lint(cases, verify)
        result = score(manifest, found)
        result["seconds"] = round(elapsed, 1)
        report[title] = result
        _print(title, result, elapsed)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
