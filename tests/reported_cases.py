"""Running sets of reported failures and their look-alikes (fixtures/reported/*,
tests/verify/jitclass_cases) as their users ran them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

_RUNNER = textwrap.dedent(
    """
    import contextlib, io, json, runpy, sys, warnings
    warnings.simplefilter("ignore")
    refused = {}
    for name in sys.argv[1:]:
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                runpy.run_path(name, run_name="__main__")
            refused[name] = False
        except Exception:
            refused[name] = True
    print(json.dumps(refused))
    """
)


def refused(folder: Path, names: Sequence[str]) -> dict[str, bool]:
    """Whether running each script `names` (paths relative to `folder`) as `__main__` raised,
    all in one interpreter so that Numba is imported once."""
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, *names],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NUMBA_DISABLE_PERFORMANCE_WARNINGS": "1"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]
