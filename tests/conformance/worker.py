"""Runs corpus snippets for the conformance tests, one process per worker.

Standalone on purpose: it needs only Numba and NumPy, so any interpreter with some Numba
version can run it (`record.py --python ...`). It reads one JSON job per line on stdin and
writes one JSON result per line on the file descriptor it was given; whatever a snippet
prints goes to stderr, so it cannot corrupt the protocol. `NUMBA_DISABLE_JIT=1` in its
environment makes it the pure-Python side.

Job: {"id", "source", "call" | null, "signature" | null, "kernel" | null}
Result: {"id", "exec": outcome, "call": outcome | null, "ptx": outcome | null}
An outcome is {"ok": true, "value": ..., "args": [...]} or
{"ok": false, "error": type name, "message": str, "compiling": bool}.
"""

from __future__ import annotations

import ast
import json
import linecache
import os
import sys
import tempfile
import traceback
import types
import warnings

# Frames of Numba's compiler: an exception raised under one of them is a refusal to compile,
# one raised without them came from running compiled code.
_COMPILING = ("compile", "typeof")
MAX_ITEMS = 10_000


def main() -> None:
    protocol = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # snippets print to stderr
    sys.stdout = sys.stderr
    import numba  # noqa: F401  (imported before any snippet, as users do)
    import numpy as np

    if os.environ.get("NUMBA_DISABLE_JIT") == "1":
        # Numba's ufunc decorators ignore NUMBA_DISABLE_JIT: run their kernels in Python.
        import pure_ufuncs

        pure_ufuncs.install()

    workdir = tempfile.mkdtemp(prefix="numba-check-corpus-")
    for line in sys.stdin:
        job = json.loads(line)
        result = run(job, np, workdir)
        protocol.write(json.dumps(result) + "\n")
        protocol.flush()


def run(job: dict, np, workdir: str) -> dict:
    path = os.path.join(workdir, f"snippet_{job['id'].replace('-', '_')}.py")
    with open(path, "w", encoding="utf-8") as f:
        f.write(job["source"])
    linecache.checkcache(path)
    # A real module in sys.modules: object mode looks globals up through the module's name.
    module = types.ModuleType(f"corpus_{job['id'].replace('-', '_')}")
    module.__file__ = path
    sys.modules[module.__name__] = module
    namespace = module.__dict__
    namespace["np"] = np
    result: dict = {"id": job["id"], "exec": None, "call": None, "ptx": None}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exec(compile(job["source"], path, "exec"), namespace)
        except BaseException as exc:  # noqa: BLE001 - any failure is an outcome
            result["exec"] = failure(exc)
            return result
        result["exec"] = {"ok": True}
        if job.get("signature"):
            result["ptx"] = compile_ptx(job, namespace)
        if job.get("call"):
            result["call"] = call(job["call"], namespace)
    return result


def call(text: str, namespace: dict) -> dict:
    """Evaluate `text`; for `f(args)`, also report the arguments as they are after the call."""
    expr = ast.parse(text, mode="eval").body
    func = None
    try:
        if isinstance(expr, ast.Call) and not any(isinstance(a, ast.Starred) for a in expr.args):
            func = eval(ast.unparse(expr.func), namespace)
            args = [eval(ast.unparse(a), namespace) for a in expr.args]
            kwargs = {k.arg: eval(ast.unparse(k.value), namespace) for k in expr.keywords}
            value = func(*args, **kwargs)
            return {"ok": True, "value": normal(value), "args": [normal(a) for a in args]}
        return {"ok": True, "value": normal(eval(text, namespace)), "args": []}
    except BaseException as exc:  # noqa: BLE001
        out = failure(exc)
        # A dispatcher that failed and has compiled nothing refused the call: the arguments
        # could not be typed (`can't unbox heterogeneous list`) or compiling failed in C.
        if getattr(func, "overloads", None) == {}:
            out["compiling"] = True
        return out


def compile_ptx(job: dict, namespace: dict) -> dict:
    try:
        from numba import cuda

        _pretend_device(cuda)
        name = job.get("kernel")
        if name is None:
            name = [k for k, v in namespace.items() if hasattr(v, "py_func")][-1]
        kernel = namespace[name]
        cuda.compile_ptx(getattr(kernel, "py_func", kernel), job["signature"], cc=(7, 5))
        return {"ok": True, "value": None, "args": []}
    except BaseException as exc:  # noqa: BLE001
        out = failure(exc)
        text = f"{out['error']} {out['message']}".lower()
        # No NVVM at all; or a driver query (on 0.57 wrapped in a TypingError).
        no_nvvm = any(s in text for s in ("libnvvm", "nvvm", "cudasupporterror", "libcuda"))
        out["unavailable"] = "error at driver init" in text or (
            no_nvvm and "typingerror" not in text
        )
        return out


def _pretend_device(cuda) -> None:
    """Without a GPU, answer the compute-capability query that compiling calls, device
    functions and allocations make; PTX for cc 7.5 needs nothing else from a driver."""
    from numba.cuda import dispatcher

    if not cuda.is_available() and hasattr(dispatcher, "get_current_device"):
        dispatcher.get_current_device = lambda: types.SimpleNamespace(compute_capability=(7, 5))


def failure(exc: BaseException) -> dict:
    frames = traceback.extract_tb(exc.__traceback__)
    compiling = any(
        f"{os.sep}numba{os.sep}" in frame.filename and any(w in frame.name for w in _COMPILING)
        for frame in frames
    )
    return {
        "ok": False,
        "error": type(exc).__name__,
        "message": str(exc)[:2000],
        "compiling": compiling,
    }


def normal(value, depth: int = 0):
    """A JSON form of `value` that keeps what equality needs: kinds, shapes, dtypes."""
    import numpy as np

    if depth > 50:
        return {"object": "too deep"}
    if value is None:
        return None
    if isinstance(value, np.ndarray):
        return {"ndarray": [value.dtype.kind, list(value.shape), normal(value.tolist(), depth)]}
    if isinstance(value, np.generic):
        return normal(value.item(), depth)
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, int):
        return {"int": str(value)}
    if isinstance(value, float):
        return {"float": repr(value)}
    if isinstance(value, complex):
        return {"complex": [repr(value.real), repr(value.imag)]}
    if isinstance(value, str):
        return {"str": value}
    if isinstance(value, (bytes, bytearray)):
        return {"bytes": bytes(value).hex()}
    if isinstance(value, tuple):
        return {"tuple": [normal(v, depth + 1) for v in value]}
    if hasattr(value, "keys") and hasattr(value, "items"):  # dict, numba.typed.Dict
        items = [[normal(k, depth + 1), normal(v, depth + 1)] for k, v in value.items()]
        return {"dict": sorted(items, key=json.dumps)}
    if isinstance(value, (set, frozenset)):
        return {"set": sorted((normal(v, depth + 1) for v in value), key=json.dumps)}
    if type(value).__name__ == "coroutine":
        value.close()
        return {"object": "coroutine"}
    if type(value).__name__ == "generator" or hasattr(value, "__next__"):
        items = []
        for item in value:
            items.append(normal(item, depth + 1))
            if len(items) >= MAX_ITEMS:
                break
        return {"generator": items}
    if isinstance(value, list) or type(value).__name__ == "List":  # numba.typed.List
        return {"list": [normal(v, depth + 1) for v in value]}
    return {"object": type(value).__name__, "repr": repr(value)[:200]}


if __name__ == "__main__":
    main()
