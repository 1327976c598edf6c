"""Many cases checked in one test, every failure named.

The data-driven tests (rule cases, corpus snippets, recorded messages, docs pages) have thousands
of cases that each take less time to check than pytest, and pytest-xdist above all, takes to run
a test: ~3 ms of reports and scheduling per test against ~1 ms of linting. So they run one test
per group (a rule, a corpus file) with the cases as a loop, and the failure says which cases
failed and why, all of them, not only the first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def check_each(cases: Iterable[tuple[str, T]], check: Callable[[T], object]) -> None:
    """Run `check` on every (id, case); fail once, naming each case whose check failed.

    An assertion failure is collected with its case's id; any other exception is a defect of
    the code under test, not a verdict, and propagates at once with the case's id noted (on
    Python 3.10, which has no notes, as the cause of a RuntimeError naming the case).
    """
    failed = []
    count = 0
    for case_id, case in cases:
        count += 1
        try:
            check(case)
        except AssertionError as failure:
            failed.append(f"{case_id}: {failure}")
        except Exception as error:
            if not hasattr(error, "add_note"):  # Python 3.10
                raise RuntimeError(f"while checking {case_id}: {error!r}") from error
            error.add_note(f"while checking {case_id}")
            raise
    assert count, "no cases to check"
    assert not failed, f"{len(failed)} of {count} cases failed:\n\n" + "\n\n".join(failed)
