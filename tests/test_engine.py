"""The engine end to end on one file: NB9xx, noqa, object-mode blocks, versions, prefilter."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from numba_check import engine
from numba_check.engine import build_config, check_file, check_text
from numba_check.rules import RULES_BY_CODE
from numba_check.selection import Selection

DEFAULT_OFF = frozenset(c for c, r in RULES_BY_CODE.items() if not r.enabled_by_default)
CONFIG = build_config(Selection(default_off=DEFAULT_OFF), (0, 68, 1))

BAD = """\
import numba

@numba.njit
def f(n):
    try:
        return 1 / n
    except ZeroDivisionError:
        return 0.0
"""


def codes(source: str, config=CONFIG, filename: str = "m.py") -> list[str]:
    return [d.code for d in check_text(source, filename, config)]


def test_error_found() -> None:
    assert codes(BAD) == ["NB101"]


def test_line_noqa() -> None:
    assert codes(BAD.replace("ZeroDivisionError:", "ZeroDivisionError:  # noqa: NB101")) == []
    assert codes(BAD.replace("ZeroDivisionError:", "ZeroDivisionError:  # noqa")) == []
    assert codes(BAD.replace("ZeroDivisionError:", "ZeroDivisionError:  # noqa: E501")) == ["NB101"]


def test_file_noqa() -> None:
    assert codes("# numba-check: noqa\n" + BAD) == []
    assert codes("# numba-check: noqa: NB101\n" + BAD) == []
    assert codes("# numba-check: noqa: NB202\n" + BAD) == ["NB101"]


def test_noqa_in_a_string_is_not_a_comment() -> None:
    source = BAD.replace("return 0.0", "return '# noqa'")
    assert codes(source) == ["NB101"]


def test_unused_noqa_when_selected() -> None:
    config = build_config(Selection(extend_select=("NB904",), default_off=DEFAULT_OFF), (0, 68, 1))
    source = BAD.replace("return 0.0", "return 0.0  # noqa: NB202")
    assert codes(source, config) == ["NB101", "NB904"]
    assert "NB904" not in codes(source)  # off by default


def test_objmode_block_is_not_checked() -> None:
    source = """\
import numba
import os

@numba.njit
def f(n):
    with numba.objmode(cwd='unicode_type'):
        cwd = os.getcwd()
    return n
"""
    assert codes(source) == []


def test_objmode_block_still_refuses_what_object_mode_cannot_compile() -> None:
    # Numba compiles the block in object mode: a generator expression is refused there too.
    source = """\
import numba

@numba.njit
def f(n):
    with numba.objmode(y='int64'):
        y = sum(i for i in range(n))
    return y
"""
    assert codes(source) == ["NB111"]


def test_target_version_changes_verdict() -> None:
    old = build_config(Selection(), (0, 46, 0))
    assert codes(BAD, old) == ["NB105"]


def test_plain_jit_on_old_numba_falls_back() -> None:
    # Before 0.59 a plain @jit that fails in nopython mode is compiled in object mode, where
    # calling an undecorated helper works ...
    source = (
        "import numba\ndef helper(x):\n    return x\n@numba.jit\ndef f(x):\n    return helper(x)\n"
    )
    assert codes(source, build_config(Selection(), (0, 58, 0))) == []
    assert codes(source) == ["NB202"]
    # ... but bytecode Numba cannot analyse is refused in object mode too (checked on 0.57.1).
    assert codes(
        BAD.replace("@numba.njit", "@numba.jit"), build_config(Selection(), (0, 58, 0))
    ) == ["NB101"]


def test_file_without_numba_is_skipped() -> None:
    assert codes("def f(:\n") == []  # the prefilter stops before parsing


def test_syntax_error_is_a_diagnostic() -> None:
    (diag,) = check_text("from numba import njit\ndef f(:\n", "m.py", CONFIG)
    assert diag.code == "NB901" and diag.location.line == 2


def test_empty_file(tmp_path: Path) -> None:
    assert codes("", filename="empty.py") == ["NB903"]
    assert codes("\n\n", filename="pkg/__init__.py") == []


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.py"
    path.write_bytes(b"import numba\nx = '\xe9'\n")
    result = check_file(path, CONFIG)
    assert [d.code for d in result.diagnostics] == ["NB902"]
    assert result.diagnostics[0].location.line == 2


def test_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "bom.py"
    path.write_bytes(b"\xef\xbb\xbf" + BAD.replace("\n", "\r\n").encode())
    assert [d.code for d in check_file(path, CONFIG).diagnostics] == ["NB101"]


def test_unreadable_file(tmp_path: Path) -> None:
    result = check_file(tmp_path / "gone.py", CONFIG)
    assert [d.code for d in result.diagnostics] == ["NB905"]


def test_deep_nesting_does_not_crash() -> None:
    source = "import numba\nx = " + "(" * 500 + "1" + ")" * 500 + "\n"
    assert codes(source) in ([], ["NB901"])


def test_threads_checking_at_once_get_what_one_at_a_time_gets() -> None:
    # One thread at a time has the engine's deep-stack worker; the others start their own.
    deep = BAD + "\nx = " + " + ".join(["1"] * 400) + "\n"
    sources = [BAD, deep, "import numba\n", BAD.replace("ZeroDivisionError", "ValueError")]
    alone = [codes(s) for s in sources]
    results: dict[int, list[list[str]]] = {}

    def run(i: int) -> None:
        results[i] = [codes(s) for s in sources * 10]

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {i: alone * 10 for i in range(4)}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_a_child_forked_after_a_check_checks() -> None:
    # The parallel CLI's workers are forked: the deep-stack worker's thread is not in them.
    expected = codes(BAD)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child, which must never return into pytest
        ok = False
        try:
            signal.alarm(60)  # a child waiting on the parent's thread would wait for ever
            ok = codes(BAD) == expected
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_check_interrupted_while_it_runs_holds_up_no_later_check(monkeypatch) -> None:
    # Ctrl-C while the worker runs a check: the caller stops waiting, the worker finishes that
    # check on its own, and the next check runs at once on a new worker, not behind it.
    worker = engine._DeepWorker()
    release, finished = threading.Event(), threading.Event()

    def slow() -> str:
        release.wait(60)
        finished.set()
        return "slow"

    class Interrupted(engine._Job):
        def __init__(self, work) -> None:
            super().__init__(work)
            self.done = _InterruptedWait()

    monkeypatch.setattr(engine, "_Job", Interrupted)
    with pytest.raises(KeyboardInterrupt):
        worker.run(slow)
    monkeypatch.undo()
    try:
        assert worker.run(lambda: 42) == (True, 42)
        assert not finished.is_set()
    finally:
        release.set()
    worker.stop()


class _InterruptedWait(threading.Event):
    """An event whose wait is interrupted, as Ctrl-C interrupts it, before the check ends."""

    def wait(self, timeout: float | None = None) -> bool:
        raise KeyboardInterrupt


def test_checks_at_once_leave_the_stack_size_of_new_threads_as_it_was() -> None:
    before = threading.stack_size()
    threads = [threading.Thread(target=codes, args=(BAD,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert threading.stack_size() == before


def test_linter_never_executes_code(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    source = f"import numba\nopen({str(marker)!r}, 'w').write('x')\n" + BAD
    path = tmp_path / "evil.py"
    path.write_text(source)
    assert [d.code for d in check_file(path, CONFIG).diagnostics] == ["NB101"]
    assert not marker.exists()


def test_nested_compiled_function_checked_once() -> None:
    source = """\
import numba

@numba.njit
def outer(n):
    return n

def factory():
    @numba.njit
    def inner(n):
        return {i for i in range(n)}
    return inner
"""
    assert codes(source) == ["NB110"]


def test_module_level_elif_and_one_line_suites_bind_names() -> None:
    source = """\
import sys
import numba

if sys.version_info >= (3, 12):
    A = 1
elif sys.version_info >= (3, 10):
    def g(x):
        return x
if sys.flags.debug: A = 2

@numba.njit
def f(x):
    return g(x)
"""
    # `g` is bound only to an undecorated function (in an elif): calling it is refused.
    assert codes(source) == ["NB202"]
