"""Compiles snippets and writes down the error text Numba gives, for `record.py`.

Standalone, like the conformance worker it builds on: it needs only Numba and NumPy, so any
interpreter with some Numba version runs it. It reads one JSON job per line on stdin
({"id", "source", "call" | null, "signature" | null, "kernel" | null}) and writes one JSON
result per line on the descriptor it was given: {"id", "error": qualified type | null,
"text": what Python prints for the exception (its chain included), "compiling": bool}.
"""

from __future__ import annotations

import json
import os
import re
import sys
import sysconfig
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "conformance"))

import worker as conformance  # noqa: E402  (tests/conformance/worker.py)

# Snippets are written under a temporary folder; the recorded text names it /snippets instead,
# and install paths and object addresses by placeholders, so that recording twice, or on
# another machine, gives the same file.
PLACEHOLDER = "/snippets"
# Object addresses: 0x7f..., and the #7f... that names a jitclass type.
_ADDRESS = re.compile(r"(?:\b0x|(?<=#))[0-9a-fA-F]{8,}\b")


def failure(exc: BaseException) -> dict:
    """The conformance worker's outcome, with the whole text Python prints for `exc`."""
    out = _conformance_failure(exc)
    out["qualified"] = _qualified(type(exc))
    out["text"] = "".join(traceback.format_exception_only(type(exc), exc))
    cause = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    if cause is not None:
        out["cause"] = "".join(traceback.format_exception_only(type(cause), cause))
    return out


def _qualified(cls: type) -> str:
    module = cls.__module__
    return cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"


_conformance_failure = conformance.failure
conformance.failure = failure  # compile_ptx and call report through it


def main() -> None:
    protocol = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    import numba  # noqa: F401
    import numpy as np

    workdir = os.environ.get("NUMBA_CHECK_SNIPPET_DIR") or conformance.tempfile.mkdtemp()
    for line in sys.stdin:
        job = json.loads(line)
        result = conformance.run(job, np, workdir)
        outcome = _refusal(result)
        record = {"id": job["id"], "error": None, "text": "", "compiling": False}
        if outcome is not None:
            record.update(
                error=outcome.get("qualified", outcome["error"]),
                text=anonymise(outcome.get("text", ""), workdir),
                cause=anonymise(outcome.get("cause", ""), workdir),
                compiling=outcome["compiling"],
                unavailable=outcome.get("unavailable", False),
            )
        protocol.write(json.dumps(record) + "\n")
        protocol.flush()


def anonymise(text: str, workdir: str) -> str:
    import numba

    site = os.path.dirname(os.path.dirname(numba.__file__))
    for path, placeholder in (
        (workdir, PLACEHOLDER),
        (site, "<site-packages>"),
        (sysconfig.get_paths()["stdlib"], "<stdlib>"),
    ):
        text = text.replace(path, placeholder)
    return _ADDRESS.sub(
        lambda m: "0x7f0000000000" if m[0].startswith("0x") else "7f0000000000", text
    )


def _refusal(result: dict) -> dict | None:
    for key in ("exec", "ptx", "call"):
        outcome = result.get(key)
        if outcome is not None and not outcome["ok"]:
            return outcome
    return None


if __name__ == "__main__":
    main()
