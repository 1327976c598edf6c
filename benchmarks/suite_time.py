"""How long the linter's own tests take: `pytest -m "not compiler" -n auto`, timed from outside.

Issue 16 asks that the tests which do not run Numba take under a minute on their own. This runs
them `--runs` times (pytest-xdist on every core, as the README says to run them) and prints, per
run, the wall time, the CPU time of pytest and everything it started, and the tests that ran;
then the median wall time against the one-minute anchor. The load average before each run is
printed beside it: on a shared machine a run beside other work is slower, and says so.

    python benchmarks/suite_time.py               # 3 runs
    python benchmarks/suite_time.py --runs 1 --workers 0   # one serial run
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANCHOR_S = 60.0  # the goal of issue 16, point 6
PASSED = re.compile(r"(\d+) passed")


@dataclass(frozen=True)
class Run:
    wall_s: float
    cpu_s: float
    passed: int
    load: float
    code: int
    tail: str  # the end of pytest's output: what failed, when something did


def command(workers: str) -> list[str]:
    cmd = [sys.executable, "-m", "pytest", "-m", "not compiler", "-q", "-p", "no:cacheprovider"]
    if workers != "0":
        cmd += ["-n", workers]
    return cmd


def run_once(workers: str) -> Run:
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command(workers), cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    found = PASSED.findall(done.stdout.splitlines()[-1] if done.stdout else "")
    tail = "\n".join((done.stdout + done.stderr).splitlines()[-15:])
    return Run(wall, cpu, int(found[-1]) if found else 0, load, done.returncode, tail)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs to take the median of")
    parser.add_argument(
        "--workers", default="auto", help="pytest-xdist's -n (0: no xdist); default auto"
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    print(f"{' '.join(command(args.workers)[1:])}  ({os.cpu_count()} cores)")
    print(f"{'run':>3} {'wall s':>8} {'cpu s':>8} {'passed':>7} {'load before':>12}")
    runs = []
    for i in range(args.runs):
        run = run_once(args.workers)
        runs.append(run)
        print(f"{i + 1:>3} {run.wall_s:>8.1f} {run.cpu_s:>8.1f} {run.passed:>7} {run.load:>12.2f}")
        if run.code != 0:
            print(f"pytest exited with {run.code}: the times are not of a passing suite")
            print(run.tail)
            return 1
    median = statistics.median(r.wall_s for r in runs)
    verdict = "PASS" if median < ANCHOR_S else "MISS"
    print(
        f"median wall {median:.1f} s = {median / ANCHOR_S:.2f} x the {ANCHOR_S:.0f} s goal: {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
