"""The conformance corpus: loading `fixtures/corpus/*.toml`, running it in worker processes,
and turning two runs (Numba and pure Python) into the compiler's verdict."""

from __future__ import annotations

import json
import os
import queue
import select
import subprocess
import sys
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]


ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = ROOT / "fixtures" / "corpus"
WORKER = Path(__file__).with_name("worker.py")

VERSIONS = ("0.57", "0.60", "0.63", "0.68")
VERDICTS = ("ok", "refuses", "differs")
KEYS = {
    "id",
    "construct",
    "source",
    "call",
    "verdict",
    "codes",
    "line",
    "versions",
    "codes_by_version",
    "compare",
    "signature",
    "kernel",
}
# Relative tolerance for floats: the silent differences the corpus records are gross
# (truncation, overflow, races); summation order is not one of them.
RTOL = 1e-9
TIMEOUT_S = 120.0


class CorpusError(ValueError):
    pass


@dataclass(frozen=True)
class Snippet:
    id: str
    construct: str
    source: str
    file: str
    verdict: str
    codes: tuple[str, ...] = ()
    call: str | None = None
    line: int | None = None
    versions: Mapping[str, str] = field(default_factory=dict)
    codes_by_version: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    compare: bool = True
    signature: str | None = None
    kernel: str | None = None

    def verdict_for(self, version: str) -> str:
        return self.versions.get(version, self.verdict)

    def codes_for(self, version: str) -> tuple[str, ...]:
        return self.codes_by_version.get(version, self.codes)

    @property
    def is_cuda(self) -> bool:
        return self.signature is not None

    def job(self) -> dict:
        return {
            "id": self.id,
            "source": self.source,
            "call": self.call,
            "signature": self.signature,
            "kernel": self.kernel,
        }


def load_corpus(directory: Path = CORPUS_DIR) -> list[Snippet]:
    """Every snippet of the corpus, checked for shape; raises CorpusError naming the file."""
    snippets: list[Snippet] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise CorpusError(f"{path.name}: {exc}") from None
        for raw in data.get("snippet", []):
            snippet = _snippet(raw, path.name)
            if snippet.id in seen:
                raise CorpusError(f"{path.name}: id {snippet.id!r} also in {seen[snippet.id]}")
            seen[snippet.id] = path.name
            snippets.append(snippet)
    return snippets


def _snippet(raw: dict, file: str) -> Snippet:
    where = f"{file}: snippet {raw.get('id', '?')!r}"
    unknown = set(raw) - KEYS
    if unknown:
        raise CorpusError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("id", "construct", "source", "verdict"):
        if not isinstance(raw.get(key), str):
            raise CorpusError(f"{where}: `{key}` is required and must be a string")
    if bool(raw.get("call")) == bool(raw.get("signature")):
        raise CorpusError(f"{where}: give exactly one of `call` and `signature` (CUDA)")
    versions = dict(raw.get("versions", {}))
    for version, verdict in [("*", raw["verdict"]), *versions.items()]:
        if version != "*" and version not in VERSIONS:
            raise CorpusError(f"{where}: unknown version {version!r}; known: {VERSIONS}")
        if verdict not in VERDICTS:
            raise CorpusError(f"{where}: verdict {verdict!r} is not one of {VERDICTS}")
    codes = tuple(raw.get("codes", ()))
    by_version = {k: tuple(v) for k, v in raw.get("codes_by_version", {}).items()}
    for version in VERSIONS:
        verdict = versions.get(version, raw["verdict"])
        expected = by_version.get(version, codes)
        if (verdict == "ok") != (not expected):
            raise CorpusError(
                f"{where}: on {version} the verdict is {verdict!r} but the codes are "
                f"{list(expected)}: a failing snippet names its codes, a clean one none"
            )
    return Snippet(
        id=raw["id"],
        construct=raw["construct"],
        source=raw["source"],
        file=file,
        verdict=raw["verdict"],
        codes=codes,
        call=raw.get("call"),
        line=raw.get("line"),
        versions=versions,
        codes_by_version=by_version,
        compare=raw.get("compare", True),
        signature=raw.get("signature"),
        kernel=raw.get("kernel"),
    )


def installed_version_key(python: str = sys.executable) -> str:
    out = subprocess.run(
        [python, "-c", "import numba; print(numba.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    major, minor = out.split(".")[:2]
    return f"{major}.{int(minor):02d}"


# --- running -------------------------------------------------------------------------------


def run_jobs(
    jobs: Sequence[dict],
    *,
    python: str = sys.executable,
    jit: bool = True,
    workers: int = 1,
    timeout: float = TIMEOUT_S,
) -> dict[str, dict]:
    """Run `jobs` in `workers` processes; a crash or a hang costs one job, not the run."""
    todo: queue.Queue[dict] = queue.Queue()
    for job in jobs:
        todo.put(job)
    results: dict[str, dict] = {}
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_")}
    env["NUMBA_DISABLE_JIT"] = "0" if jit else "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    threads = [
        threading.Thread(target=_serve, args=(todo, results, python, env, timeout))
        for _ in range(max(1, min(workers, len(jobs))))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _serve(todo: queue.Queue, results: dict, python: str, env: dict, timeout: float) -> None:
    proc: subprocess.Popen | None = None
    try:
        while True:
            try:
                job = todo.get_nowait()
            except queue.Empty:
                return
            if proc is None:
                proc = _start(python, env)
            assert proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write(json.dumps(job) + "\n")
                proc.stdin.flush()
                ready, _, _ = select.select([proc.stdout], [], [], timeout)
                line = proc.stdout.readline() if ready else ""
            except BrokenPipeError:
                line = ""
            if line:
                results[job["id"]] = json.loads(line)
                continue
            # The worker died (a compiler crash) or hung: record it and start a fresh one.
            proc.kill()
            proc.wait()
            reason = "timeout" if proc.returncode in (-9, None) else f"exit {proc.returncode}"
            outcome = {"ok": False, "error": "WorkerDied", "message": reason, "compiling": True}
            results[job["id"]] = {"id": job["id"], "exec": {"ok": True}, "call": outcome}
            proc = None
    finally:
        if proc is not None:
            proc.stdin.close()  # type: ignore[union-attr]
            proc.wait()


def _start(python: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [python, str(WORKER)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=ROOT,
    )


# --- verdicts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Observed:
    # ok / refuses / differs; "compiled" (not compared), "invalid", "unavailable"
    verdict: str
    detail: str


def observe(snippet: Snippet, numba_run: dict, python_run: dict | None) -> Observed:
    """The compiler's verdict on `snippet` from its Numba run and its pure-Python run."""
    if snippet.is_cuda:
        ptx = numba_run["ptx"] or numba_run["exec"]
        if ptx["ok"]:
            return Observed("ok", "compiled to PTX")
        if ptx.get("unavailable"):
            return Observed("unavailable", f"no NVVM to compile with: {ptx['message'][:200]}")
        return Observed("refuses", _failure_text(ptx))
    assert python_run is not None
    if not python_run["exec"]["ok"]:
        problem = _failure_text(python_run["exec"])
        return Observed("invalid", f"the snippet fails in plain Python: {problem}")
    if not numba_run["exec"]["ok"]:
        return Observed("refuses", _failure_text(numba_run["exec"]))
    got, expected = numba_run["call"], python_run["call"]
    if not got["ok"] and got["compiling"]:
        return Observed("refuses", _failure_text(got))
    if not expected["ok"]:
        if got["ok"] or got["error"] != expected["error"]:
            problem = _failure_text(expected)
            return Observed("differs", f"Python raised {problem}; Numba {_show(got)}")
        return Observed("ok", f"both raised {expected['error']}")
    if not snippet.compare:
        return Observed("compiled", "compiled and ran (a race: not compared)")
    if not got["ok"]:
        return Observed("differs", f"Numba raised {_failure_text(got)}; Python returned a value")
    where = _difference(got, expected)
    if where:
        return Observed("differs", where)
    return Observed("ok", "same result")


def _difference(got: dict, expected: dict) -> str:
    if not same(got["value"], expected["value"]):
        return f"return value: Numba {got['value']} vs Python {expected['value']}"
    for i, (a, b) in enumerate(zip(got["args"], expected["args"], strict=True)):
        if not same(a, b):
            return f"argument {i} after the call: Numba {a} vs Python {b}"
    return ""


def same(got: object, expected: object) -> bool:
    """Whether Numba's result equals Python's (both in worker.normal's form) as the pytest
    plugin judges it (numba_check.pytest_plugin.compare), floats within RTOL."""
    from numba_check.pytest_plugin.compare import Tolerance, compare

    return compare(value_of(expected), value_of(got), "result", Tolerance(rtol=RTOL)) is None


# ndarray kinds worker.normal records, and the dtype each is rebuilt with.
_DTYPES = {"b": "bool", "i": "int64", "u": "uint64", "f": "float64", "c": "complex128"}


def value_of(normal: object) -> object:
    """The value worker.normal recorded: numbers, str, bytes, containers and arrays (with their
    kind and shape) rebuilt; an object Python could not rebuild stays its type name and repr."""
    import numpy as np

    if not isinstance(normal, dict):
        return normal  # None
    if "object" in normal:
        return ("object", normal["object"], normal.get("repr"))
    ((key, data),) = normal.items()
    if key == "ndarray":
        kind, shape, items = data
        return np.array(value_of(items), dtype=_DTYPES.get(kind)).reshape(shape)
    simple = {"bool": bool, "int": int, "float": float, "str": str, "bytes": bytes.fromhex}
    if key in simple:
        return simple[key](data)
    if key == "complex":
        return complex(float(data[0]), float(data[1]))
    if key in ("list", "generator"):
        return [value_of(v) for v in data]
    if key == "tuple":
        return tuple(value_of(v) for v in data)
    if key == "set":
        return {value_of(v) for v in data}
    if key == "dict":
        return {value_of(k): value_of(v) for k, v in data}
    raise ValueError(f"worker.normal has no form {key!r}")


def _failure_text(outcome: dict) -> str:
    first = outcome["message"].strip().splitlines()[:1]
    return f"{outcome['error']}: {first[0] if first else ''}"[:300]


def _show(outcome: dict) -> str:
    return f"returned {outcome['value']}" if outcome["ok"] else f"raised {_failure_text(outcome)}"


def run_corpus(
    snippets: Iterable[Snippet], *, python: str = sys.executable, workers: int | None = None
) -> dict[str, Observed]:
    """The compiler's verdict on every snippet, under `python`'s Numba."""
    snippets = list(snippets)
    workers = workers or os.cpu_count() or 1
    cpu = [s.job() for s in snippets if not s.is_cuda]
    # CUDA compiles get processes of their own: on 0.57-0.63 a refused CUDA `try` leaves state
    # behind that breaks later CPU `try` compiles in the same process.
    cuda = [s.job() for s in snippets if s.is_cuda]
    found: dict[str, dict] = {}
    reference: dict[str, dict] = {}
    sides = [
        threading.Thread(
            target=lambda: reference.update(run_jobs(cpu, python=python, jit=False, workers=1))
        ),
        threading.Thread(
            target=lambda: found.update(run_jobs(cuda, python=python, jit=True, workers=1))
        ),
    ]
    for side in sides:
        side.start()
    found.update(run_jobs(cpu, python=python, jit=True, workers=workers))
    for side in sides:
        side.join()
    return {s.id: observe(s, found[s.id], reference.get(s.id)) for s in snippets}
