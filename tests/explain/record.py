"""Record the error text Numba gives for every refused snippet, to prove `explain` against.

    python tests/explain/record.py                     # the venv's Numba
    python tests/explain/record.py --python /tmp/nb057/bin/python

It compiles every INVALID case (with a `call`) of every error rule and every snippet of the
conformance corpus that the recorded verdicts say this Numba version refuses, under the given
interpreter, and writes `tests/explain/messages-<version>.toml`: per snippet, the codes that
cover it and the text Python printed for the exception. `test_recorded.py` then checks that
`numba_check.explain` maps each message to a candidate set holding one of those codes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from numba_check.model import Severity  # noqa: E402
from numba_check.rules import BUILTIN_RULES  # noqa: E402
from numba_check.rules.base import parse_version  # noqa: E402
from tests.conformance.corpus import installed_version_key, load_corpus  # noqa: E402

WORKER = Path(__file__).with_name("compile_worker.py")
HERE = Path(__file__).parent
# Enough for what a reader needs; the long tail of Numba's texts lists overload candidates.
MAX_CHARS = 3000
# A CUDA snippet that failed for want of the CUDA toolkit says nothing about the snippet.
_NO_TOOLKIT = re.compile(r"libNVVM cannot be found|CudaSupportError|Error at driver init", re.I)
TIMEOUT_S = 300


@dataclass(frozen=True)
class Job:
    id: str
    origin: str
    codes: tuple[str, ...]
    source: str
    call: str | None = None
    signature: str | None = None
    kernel: str | None = None

    def payload(self) -> dict:
        return {
            "id": self.id,
            "source": self.source,
            "call": self.call,
            "signature": self.signature,
            "kernel": self.kernel,
        }


def rule_jobs(version: str) -> list[Job]:
    """The INVALID cases of error rules that carry a call proving the refusal."""
    jobs = []
    for rule in BUILTIN_RULES:
        if rule.severity is not Severity.ERROR or parse_version(version) not in rule.numba_versions:
            continue
        for index, case in enumerate(rule.INVALID):
            if case.call is None or case.target_numba is not None:
                continue
            jobs.append(
                Job(f"{rule.code}-invalid-{index}", "rule", (rule.code,), case.code, case.call)
            )
    return jobs


def corpus_jobs(version: str) -> list[Job]:
    """The corpus snippets the recorded verdicts say `version` refuses."""
    return [
        Job(
            s.id,
            s.file,
            s.codes_for(version),
            s.source,
            s.call,
            s.signature,
            s.kernel,
        )
        for s in load_corpus()
        if s.verdict_for(version) == "refuses"
    ]


def run(jobs: Sequence[Job], python: str) -> dict[str, dict]:
    """Compile `jobs` in one worker process of `python`; a hang or a crash costs the rest."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # Numba lists some things in set order (the return types it cannot unify): fix the order.
    env["PYTHONHASHSEED"] = "0"
    # The text a terminal shows, without the bold escapes that Numba adds by default (the
    # live test in test_live.py keeps them).
    env["NUMBA_DISABLE_ERROR_MESSAGE_HIGHLIGHTING"] = "1"
    with tempfile.TemporaryDirectory(prefix="numba-check-explain-") as workdir:
        env["NUMBA_CHECK_SNIPPET_DIR"] = workdir
        feed = "".join(json.dumps(job.payload()) + "\n" for job in jobs)
        done = subprocess.run(
            [python, str(WORKER)],
            input=feed,
            capture_output=True,
            text=True,
            env=env,
            # Numba names files relative to the working directory: the snippets' folder.
            cwd=workdir,
            timeout=TIMEOUT_S,
        )
    results = {}
    for line in done.stdout.splitlines():
        record = json.loads(line)
        results[record["id"]] = record
    return results


def _toml_string(text: str) -> str:
    if "'''" not in text and all(c in "\n\t" or c >= " " for c in text) and "\x7f" not in text:
        return "'''\n" + text + "'''"
    return json.dumps(text)


def refused(record: dict | None) -> bool:
    """Whether the worker saw the snippet refused for a reason of its own."""
    if record is None or not record["error"] or record.get("unavailable"):
        return False
    return not _NO_TOOLKIT.search(record["text"])


def _cut(text: str) -> str:
    """`text`, cut after the last whole line within MAX_CHARS."""
    if len(text) <= MAX_CHARS:
        return text
    return text[: text.rfind("\n", 0, MAX_CHARS) + 1]


def render(version: str, python_version: str, jobs: Iterable[Job], found: dict) -> str:
    lines = [
        f"# Numba {python_version}'s error text for every snippet it refuses: the INVALID cases",
        "# of error rules and the refused snippets of fixtures/corpus, as Python prints the",
        "# exception (without Numba's bold highlighting; the snippets' folder, install paths and",
        "# object addresses replaced by placeholders). Generated by",
        "# `python tests/explain/record.py [--python INTERPRETER]`; do not edit by hand.",
        f'numba = "{python_version}"',
        "",
    ]
    for job in jobs:
        record = found.get(job.id)
        if not refused(record):
            continue
        text = _cut(record["text"])
        lines += [
            "[[message]]",
            f'id = "{job.id}"',
            f'origin = "{job.origin}"',
            f"codes = {json.dumps(list(job.codes))}",
            f'error = "{record["error"]}"',
            f"compiling = {'true' if record['compiling'] else 'false'}",
            f"text = {_toml_string(text)}",
        ]
        if record.get("cause"):
            lines.append(f"cause = {_toml_string(_cut(record['cause']))}")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="interpreter with Numba")
    parser.add_argument("--output", help="where to write (default: messages-<version>.toml)")
    args = parser.parse_args(argv)
    version = installed_version_key(args.python)
    full = subprocess.run(
        [args.python, "-c", "import numba; print(numba.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    jobs = rule_jobs(version) + corpus_jobs(version)
    cpu = [j for j in jobs if j.signature is None]
    cuda = [j for j in jobs if j.signature is not None]
    # CUDA compiles get a process of their own: on 0.57-0.63 a refused CUDA `try` leaves state
    # behind that breaks later CPU compiles in the same process.
    found = run(cpu, args.python)
    if cuda:
        found.update(run(cuda, args.python))
    output = Path(args.output) if args.output else HERE / f"messages-{version}.toml"
    output.write_text(render(version, full, jobs, found), encoding="utf-8")
    kept = sum(1 for j in jobs if refused(found.get(j.id)))
    missing = [j.id for j in jobs if not refused(found.get(j.id))]
    print(f"{output.name}: {kept} of {len(jobs)} snippets refused by Numba {full}")
    if missing:
        print("compiled or not run: " + ", ".join(missing))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
