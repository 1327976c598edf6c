"""Worker processes for --verify: one recipe at a time each, a deadline per recipe.

Spawned, not forked, so that a worker starts from a clean interpreter. A worker that crashes
(Numba can take the process down) or runs past its deadline costs its one recipe: it is
killed, the recipe is reported as crashed or timed out, and a fresh worker takes its place.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from numba_check.verify.recipe import Recipe, Result

# How long a worker may take to start (importing Numba), apart from the per-recipe timeout.
START_TIMEOUT = 180.0


class PoolError(Exception):
    """No worker could be started; the message says why."""


@dataclass
class _Worker:
    process: Any
    connection: Connection
    ready: bool = False
    job: int | None = None
    deadline: float = 0.0
    started: float = 0.0


@contextlib.contextmanager
def _main_hidden() -> Iterator[None]:
    """A spawned child runs the parent's ``__main__`` again unless it cannot find it: a
    script that calls numba-check's API without an ``if __name__ == "__main__":`` guard would
    start workers forever, and the console script would be imported for nothing. The worker
    needs nothing of it."""
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved = {
        name: main.__dict__[name] for name in ("__file__", "__spec__") if name in main.__dict__
    }
    main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


def run_all(
    recipes: Sequence[Recipe],
    *,
    workers: int,
    timeout: float,
    done: Callable[[int, Result], None],
    target: Callable[[Any], None] | None = None,
) -> None:
    """Runs every recipe; `done(index, result)` is called once for each, in any order.
    `target` is the workers' main function (`worker.worker_main`)."""
    if not recipes:
        return
    if target is None:
        from numba_check.verify.worker import worker_main as target

    context = multiprocessing.get_context("spawn")
    todo = deque(range(len(recipes)))
    pool: list[_Worker] = []

    def start() -> _Worker:
        parent, child = context.Pipe()
        process = context.Process(target=target, args=(child,), daemon=True)
        with _main_hidden():
            process.start()
        child.close()
        return _Worker(process, parent, started=time.monotonic())

    def stop(worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(5)
        worker.connection.close()

    try:
        for _ in range(max(1, min(workers, len(recipes)))):
            pool.append(start())
        remaining = len(recipes)
        while remaining:
            for worker in pool:
                if worker.ready and worker.job is None and todo:
                    worker.job = todo.popleft()
                    worker.deadline = time.monotonic() + timeout
                    worker.connection.send((worker.job, recipes[worker.job]))
            now = time.monotonic()
            deadlines = [w.deadline for w in pool if w.job is not None]
            deadlines += [w.started + START_TIMEOUT for w in pool if not w.ready]
            wait_for = max(0.0, min(deadlines) - now) if deadlines else None
            ready = wait([w.connection for w in pool], wait_for)
            for index, worker in enumerate(pool):
                failure = ""
                if worker.connection in ready:
                    try:
                        kind, payload = worker.connection.recv()
                    except (EOFError, OSError):
                        failure = "crashed"
                    else:
                        if kind == "ready":
                            worker.ready = True
                            continue
                        if kind == "error":
                            raise PoolError(f"a worker could not start: {payload}")
                        assert kind == worker.job
                        result = payload if isinstance(payload, Result) else Result(failure=payload)
                        done(kind, result)
                        remaining -= 1
                        worker.job = None
                        continue
                elif worker.job is not None and time.monotonic() > worker.deadline:
                    failure = f"timed out after {timeout:g} s"
                elif not worker.ready and time.monotonic() > worker.started + START_TIMEOUT:
                    raise PoolError("a worker did not start in time (importing Numba)")
                else:
                    continue
                if not worker.ready:
                    raise PoolError("a worker stopped while starting (importing Numba)")
                job = worker.job
                stop(worker)
                pool[index] = start()
                if job is not None:
                    done(job, Result(failure=failure))
                    remaining -= 1
    finally:
        for worker in pool:
            try:
                if worker.process.is_alive() and worker.ready and worker.job is None:
                    worker.connection.send(None)
                    worker.process.join(2)
            except (OSError, ValueError):
                pass
            stop(worker)
