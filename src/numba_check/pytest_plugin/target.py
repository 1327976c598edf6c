"""What is being checked: the compiled callable, its pure-Python reference, and how they relate.

``resolve`` turns whatever the test passed (a CPU dispatcher, a @vectorize or @guvectorize
ufunc, a generator function, a plain function) into a Target. Numba is imported here, lazily,
only when a test calls the fixture.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Target:
    name: str
    kind: str  # shown in messages and the report: njit, njit(parallel=True), vectorize, ...
    compiled: Callable[..., Any]
    reference: Callable[..., Any]
    py_func: Callable[..., Any] | None
    dispatcher: Any = None  # a fresh Dispatcher whose overloads tell compile success/object mode
    jit_disabled: bool = False
    notes: tuple[str, ...] = field(default=())

    def param_names(self) -> list[str]:
        try:
            return list(inspect.signature(self.py_func).parameters)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return []


def _options_text(options: dict[str, Any]) -> str:
    shown = {k: v for k, v in options.items() if k not in ("nopython", "boundscheck") and v}
    return ", ".join(f"{k}={v!r}" for k, v in shown.items())


def _fresh_dispatcher(d: Any) -> Any:
    """A new, uncached dispatcher with the same options: real compile time and warnings."""
    return type(d)(
        d.py_func,
        locals=dict(d.locals),
        targetoptions=dict(d.targetoptions),
        pipeline_class=d._compiler.pipeline_class,
    )


def resolve(func: Any) -> Target:
    """Classify ``func`` and build its compiled callable and Python reference."""
    import numba
    from numba.core.dispatcher import Dispatcher
    from numba.np.ufunc.dufunc import DUFunc
    from numba.np.ufunc.gufunc import GUFunc

    name = getattr(func, "__name__", type(func).__name__)
    if numba.config.DISABLE_JIT and inspect.isfunction(func):
        return Target(name, "NUMBA_DISABLE_JIT", func, func, func, jit_disabled=True)
    if isinstance(func, Dispatcher):
        if _is_cuda(func):
            raise TypeError(f"{name} is a CUDA kernel: use numba_check.kernel(...)")
        fresh = _fresh_dispatcher(func)
        opts = _options_text(dict(func.targetoptions))
        notes = []
        if type(func._cache).__name__ != "NullCache":
            opts = ", ".join(filter(None, [opts, "cache=True"]))
            notes.append("cache=True: compiled again without the cache to time the compile")
        kind = f"jit({opts})" if opts else "njit"
        if inspect.isgeneratorfunction(func.py_func):
            kind += " generator"
        return Target(name, kind, fresh, func.py_func, func.py_func, fresh, notes=tuple(notes))
    if isinstance(func, DUFunc):
        py = func._dispatcher.py_func
        return Target(name, "vectorize", func, _ufunc_reference(py, func.nin, func.nout), py)
    if isinstance(func, GUFunc):
        py = func.gufunc_builder.py_func
        return Target(name, "guvectorize", func, GufuncReference(py, func.signature), py)
    if _is_cuda(func):
        raise TypeError(
            f"{name} is a CUDA kernel: use numba_check.kernel(kernel, grid, block, ...)"
        )
    if inspect.isfunction(func):
        kind = "python -> njit" + (" generator" if inspect.isgeneratorfunction(func) else "")
        fresh = numba.njit(func)
        return Target(name, kind, fresh, func, func, fresh)
    raise TypeError(
        "numba_check() takes a Numba CPU dispatcher (@njit/@jit), a @vectorize or @guvectorize "
        f"ufunc, or a plain Python function; got {type(func).__module__}.{type(func).__name__}"
    )


def _is_cuda(func: Any) -> bool:
    return type(func).__module__.startswith("numba.cuda")


def from_object_array(value: Any) -> Any:
    """Turn frompyfunc's object output into what Python values naturally make."""
    if isinstance(value, np.ndarray) and value.dtype == object:
        if value.size == 0:
            return np.empty(value.shape)
        return np.array(value.tolist())
    return value


def _ufunc_reference(py: Callable[..., Any], nin: int, nout: int) -> Callable[..., Any]:
    """The scalar function applied element-wise with broadcasting, as NumPy applies a ufunc."""
    elementwise = np.frompyfunc(py, nin, nout)

    def reference(*args: Any, out: Any = None, **kwargs: Any) -> Any:
        if kwargs:
            raise TypeError(f"numba-check's ufunc reference does not support {', '.join(kwargs)}=")
        outs = list(args[nin:])
        if out is not None:
            outs = list(out) if isinstance(out, tuple) else [out]
        raw = elementwise(*args[:nin])
        results = [from_object_array(r) for r in (raw if nout > 1 else (raw,))]
        if not outs:
            return tuple(results) if nout > 1 else results[0]
        for o, r in zip(outs, results, strict=False):
            o[...] = r
        return tuple(outs) if nout > 1 else outs[0]

    reference.__name__ = getattr(py, "__name__", "reference")
    return reference


_DIMS = re.compile(r"\(([^()]*)\)")


def parse_layout(layout: str) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """'(n),()->(n)' -> ([('n',), ()], [('n',)])."""
    left, right = layout.replace(" ", "").split("->")

    def dims(part: str) -> list[tuple[str, ...]]:
        return [tuple(d for d in m.split(",") if d) for m in _DIMS.findall(part)]

    return dims(left), dims(right)


class GufuncReference:
    """The core function looped over the broadcast loop dimensions, as NumPy loops a gufunc.

    Outputs the caller did not pass are allocated like the compiled outputs (``like``), which
    the fixture sets after the compiled call.
    """

    def __init__(self, py: Callable[..., Any], layout: str) -> None:
        self.py = py
        self.ins, self.outs = parse_layout(layout)
        self.like: tuple[np.ndarray, ...] = ()
        self.__name__ = getattr(py, "__name__", "reference")

    def __call__(self, *args: Any, out: Any = None) -> Any:
        nin, nout = len(self.ins), len(self.outs)
        ins = [np.asarray(a) for a in args[:nin]]
        outs = list(args[nin:])
        if out is not None:
            outs = list(out) if isinstance(out, tuple) else [out]
        if not outs:
            outs = [np.empty_like(x) for x in self.like]
        if len(outs) != nout:
            raise TypeError(f"{self.__name__} needs {nout} output array(s), got {len(outs)}")
        loop_shapes = [a.shape[: a.ndim - len(d)] for a, d in zip(ins, self.ins, strict=False)]
        loop_shapes += [o.shape[: o.ndim - len(d)] for o, d in zip(outs, self.outs, strict=True)]
        loop = np.broadcast_shapes(*loop_shapes)
        ins_b = [
            np.broadcast_to(a, loop + a.shape[a.ndim - len(d) :])
            for a, d in zip(ins, self.ins, strict=False)
        ]
        # A scalar output is handed to the core function as a 1-element array, as Numba does.
        outs_v = [o if d else o[..., np.newaxis] for o, d in zip(outs, self.outs, strict=True)]
        for idx in np.ndindex(*loop):
            self.py(*(a[idx] for a in ins_b), *(o[idx] for o in outs_v))
        return tuple(outs) if nout > 1 else outs[0]
