"""Keeping one bad check from taking the session down.

In-process, a Python call that never returns is interrupted by a watchdog (``SIGALRM``, the
way pytest-timeout's signal method works) and a generator is materialised up to a length limit.
Compiled code cannot be interrupted from inside the process: a segfault or an endless loop in it
needs ``--numba-forked``, which runs the whole check in a forked child (``run_forked``).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import Any

MAX_ITEMS = 1_000_000  # items taken from a generator before it is declared endless


class TooManyItems(Exception):
    """A generator yielded more than MAX_ITEMS items."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"the generator yielded more than {limit:,} items; numba-check stops "
            "materialising it there (an endless generator?)"
        )


class ReferenceTimeout(BaseException):
    """The Python call ran past its time limit. A BaseException: user code's ``except
    Exception`` must not swallow it."""

    def __init__(self, limit: float) -> None:
        super().__init__(limit)
        self.limit = limit


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def watchdog(limit: float | None) -> Iterator[None]:
    """Interrupt the Python code running inside after ``limit`` seconds (main thread, Unix).

    The previous SIGALRM handler and timer (pytest-timeout's, say) are restored afterwards.
    Compiled code is not interrupted: the signal is handled when it returns to Python.
    """
    if not limit or not _can_alarm():
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise ReferenceTimeout(limit)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if old_delay:
            signal.setitimer(signal.ITIMER_REAL, old_delay, old_interval)


# -- forked checks -----------------------------------------------------------------------------

SIGNAL_NAMES = {
    getattr(signal, n): n
    for n in ("SIGSEGV", "SIGBUS", "SIGFPE", "SIGABRT", "SIGILL", "SIGKILL")
    if hasattr(signal, n)
}


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "win32"


def run_forked(work: Callable[[], Any], timeout: float) -> tuple[str, Any]:
    """Run ``work()`` in a forked child; ('ok', value), ('raised', exc) or ('crashed', text).

    The child sends back a pickle of what ``work`` returned or raised; an exception that does
    not pickle comes back as its text. A child that dies by a signal, or runs past ``timeout``
    seconds (then killed), is 'crashed' with a message that says which.
    """
    import selectors
    import time

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_fd)
        code = 0
        try:
            try:
                payload = pickle.dumps(("ok", work()))
            except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
                try:
                    payload = pickle.dumps(("raised", exc))
                except Exception:  # noqa: BLE001
                    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                    payload = pickle.dumps(("raised", RuntimeError(text)))
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(payload)
        except BaseException:  # noqa: BLE001
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    chunks = []
    deadline = time.monotonic() + timeout
    timed_out = False
    with os.fdopen(read_fd, "rb") as pipe, selectors.DefaultSelector() as sel:
        sel.register(pipe, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            if not sel.select(left):
                continue
            chunk = os.read(pipe.fileno(), 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if timed_out:
        return "crashed", (
            f"the check ran past {timeout:g} s in its child process and was killed (an "
            "endless loop in compiled code?)"
        )
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = SIGNAL_NAMES.get(sig, f"signal {sig}")
        hint = (
            " (a memory error in compiled code: an out-of-bounds access with boundscheck off?)"
            if name in ("SIGSEGV", "SIGBUS")
            else ""
        )
        return "crashed", f"the check's child process died with {name}{hint}"
    if not chunks:
        return "crashed", f"the check's child process exited ({os.WEXITSTATUS(status)}) silently"
    return pickle.loads(b"".join(chunks))  # noqa: S301 - our own child's payload
