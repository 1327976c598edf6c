"""Speed-ups of real functions that call compiled helpers: before and after the pure reference.

For each case three figures:

- **before**: what the plugin measured when the reference was ``func.py_func`` as it stands
  (its helpers still compiled), timed by the plugin's own ``timing.speedup_check``;
- **after**: what the plugin measures now, with every reachable dispatcher run as Python
  (``pure.pure_reference``), timed the same way;
- **true**: the program written in Python against the compiled function, timed independently
  with ``timeit`` (best of ``--repeat`` runs of calibrated loops, ``time.thread_time`` as the
  timer so neighbours do not count).

    python benchmarks/plugin_nested.py                # default budget 1 s per check
    python benchmarks/plugin_nested.py --budget 0.5 --repeat 7 --only fastdist

Needs fastdist (the ``test`` extra); the resampy and quantecon functions come from
``examples/real_code/vendored.py``. Two cases come from Numba itself: ``stencil1_kernel`` of
Numba's test suite (``numba/tests/test_stencils.py``, installed with Numba) called from an
``@njit`` function, and the ``Bag`` jitclass of Numba's documentation (``docs/source/user/
jitclass.rst``, BSD-2-Clause, (c) Anaconda, Inc. and others) built and used by one.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from numba_check.pytest_plugin import timing
from numba_check.pytest_plugin.pure import pure_reference
from numba_check.pytest_plugin.target import GufuncReference

EXAMPLES = str(Path(__file__).resolve().parent.parent / "examples" / "real_code")


def _numba_cases() -> list[tuple[str, Any, tuple]]:
    """The stencil and jitclass cases, each called from an @njit function."""
    import numba
    from numba.experimental import jitclass
    from numba.tests.test_stencils import stencil1_kernel

    @numba.njit
    def smooth(a):
        return stencil1_kernel(a)

    @jitclass([("value", numba.int32), ("array", numba.float32[:])])
    class Bag:
        def __init__(self, value):
            self.value = value
            self.array = np.zeros(value, dtype=np.float32)

        @property
        def size(self):
            return self.array.size

        def increment(self, val):
            for i in range(self.size):
                self.array[i] += val
            return self.array

        @staticmethod
        def add(x, y):
            return x + y

    @numba.njit
    def use_bag(n):
        bag = Bag(n)
        bag.increment(bag.add(1, 2))
        return bag.array.sum()

    grid = np.random.default_rng(0).random((100, 100))
    return [
        ("numba tests: smooth -> @stencil stencil1_kernel", smooth, (grid,)),
        ("numba docs: use_bag -> @jitclass Bag", use_bag, (1000,)),
    ]


def cases() -> list[tuple[str, Any, Callable[..., Any], Callable[..., Any], tuple]]:
    """(name, compiled, reference before, reference after, args)."""
    if EXAMPLES not in sys.path:
        sys.path.insert(0, EXAMPLES)
    import vendored
    from fastdist import fastdist

    rng = np.random.default_rng(0)
    u, v = rng.random((2, 1000))
    x = rng.random(2000)
    t_out = np.linspace(0, 1998, 1500)
    win = np.hanning(257)
    delta = np.diff(win, append=0.0)
    nodes = (np.linspace(0, 1, 11), np.linspace(-1, 1, 21))
    points = rng.random((300, 2))
    out: list[tuple[str, Any, Callable[..., Any], Callable[..., Any], tuple]] = []
    for name, f, args in (
        ("fastdist.braycurtis -> init_w", fastdist.braycurtis, (u, v)),
        ("fastdist.seuclidean -> euclidean", fastdist.seuclidean, (u, v, rng.random(1000) + 0.5)),
        (
            "quantecon cartesian_nearest_indices -> cartesian_index",
            vendored.cartesian_nearest_indices,
            (points, nodes),
        ),
        *_numba_cases(),
    ):
        out.append((name, f, f.py_func, pure_reference(f.py_func)[0], args))
    g = vendored.resample_f_s
    py = g.gufunc_builder.py_func
    gargs = (x, t_out, win, delta, 16, 1.0, np.zeros(1500))
    out.append(
        (
            "resampy resample_f_s (gufunc) -> resample_loop_s",
            g,
            GufuncReference(py, g.signature),
            GufuncReference(pure_reference(py)[0], g.signature),
            gargs,
        )
    )
    return out


def plugin_speedup(compiled: Any, reference: Any, args: tuple, budget: float) -> float:
    def inputs() -> tuple[tuple, dict]:
        return args, {}

    python = timing.Side(reference, inputs)
    numba = timing.Side(compiled, inputs)
    return timing.speedup_check(python, numba, budget, 0.0).speedup


def true_speedup(compiled: Any, reference: Any, args: tuple, repeat: int) -> float:
    def best(fn: Callable[[], object]) -> float:
        timer = timeit.Timer(fn, timer=time.thread_time)
        loops, _ = timer.autorange()
        return min(timer.repeat(repeat, loops)) / loops

    return best(lambda: reference(*args)) / best(lambda: compiled(*args))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--budget", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="", help="run the cases whose name holds this text")
    opts = parser.parse_args(argv)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    print("| function -> compiled helper | before (py_func) | after (pure reference) | true |")
    print("|---|---|---|---|")
    for name, compiled, before, after, args in cases():
        if opts.only not in name:
            continue
        compiled(*args)  # compile outside every measurement
        b = plugin_speedup(compiled, before, args, opts.budget)
        a = plugin_speedup(compiled, after, args, opts.budget)
        t = true_speedup(compiled, after, args, opts.repeat)
        print(f"| {name} | {b:.3g}x | {a:.3g}x | {t:.3g}x |")
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
