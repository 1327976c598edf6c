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
    dispatcher: Any = None  # the Dispatcher whose overloads tell compile success/object mode
    jit_disabled: bool = False
    parallel: bool = False  # runs on several threads: timed by wall clock
    overload: bool = False  # an @overload-ed function, called through a jitted wrapper
    replaced: tuple[str, ...] = field(default=())  # compiled objects the reference runs as Python

    def param_names(self) -> list[str]:
        try:
            return list(inspect.signature(self.py_func).parameters)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return []


def _options_text(options: dict[str, Any]) -> str:
    shown = {k: v for k, v in options.items() if k not in ("nopython", "boundscheck") and v}
    return ", ".join(f"{k}={v!r}" for k, v in shown.items())


def _overloaded(func: Any) -> bool:
    """Whether ``func`` is a Python function with a Numba ``@overload`` implementation."""
    from numba.core.typing.templates import builtin_registry

    return any(f is func for f, _ in builtin_registry.globals)


def overload_caller(func: Any, nargs: int, kwnames: tuple[str, ...]) -> Callable[..., Any]:
    """A jitted function calling ``func`` the way the test calls it, so Numba picks the overload.

    Keyword arguments become trailing positional parameters of the wrapper (Numba has no
    ``**kwargs``); the fixture calls it with ``*args, *kwargs.values()``.
    """
    import numba

    params = [f"a{i}" for i in range(nargs)] + [f"k_{k}" for k in kwnames]
    call = [f"a{i}" for i in range(nargs)] + [f"{k}=k_{k}" for k in kwnames]
    namespace: dict[str, Any] = {"func": func}
    exec(  # noqa: S102 - a fixed template over identifiers only
        f"def call_{func.__name__}({', '.join(params)}):\n    return func({', '.join(call)})\n",
        namespace,
    )
    return numba.njit(namespace[f"call_{func.__name__}"])


def resolve(func: Any, reference: Callable[..., Any] | None = None) -> Target:
    """Classify ``func``: the compiled callable (the user's own object), its Python reference.

    The reference is the user's Python with every compiled object it reaches running as Python
    (see pure.py); an explicit ``reference`` replaces it.
    """
    import numba
    from numba.core.dispatcher import Dispatcher
    from numba.np.ufunc.dufunc import DUFunc
    from numba.np.ufunc.gufunc import GUFunc

    from numba_check.pytest_plugin import stencil
    from numba_check.pytest_plugin.pure import pure_reference

    name = getattr(func, "__name__", type(func).__name__)

    def ref(py: Any, wrap: Callable[[Any], Any] = lambda f: f) -> tuple[Any, tuple[str, ...]]:
        if reference is not None:
            given, replaced = pure_reference(getattr(reference, "py_func", reference))
            return given, replaced
        pure, replaced = pure_reference(py)
        return wrap(pure), replaced

    if numba.config.DISABLE_JIT and inspect.isfunction(func):
        r, _ = ref(func)
        return Target(name, "NUMBA_DISABLE_JIT", func, r, func, jit_disabled=True)
    if isinstance(func, Dispatcher):
        if _is_cuda(func):
            raise TypeError(f"{name} is a CUDA kernel: use numba_check.kernel(...)")
        opts = _options_text(dict(func.targetoptions))
        if type(func._cache).__name__ != "NullCache":
            opts = ", ".join(filter(None, [opts, "cache=True"]))
        kind = f"jit({opts})" if opts else "njit"
        if inspect.isgeneratorfunction(func.py_func):
            kind += " generator"
        r, replaced = ref(func.py_func)
        return Target(
            name,
            kind,
            func,
            r,
            func.py_func,
            func,
            parallel=bool(func.targetoptions.get("parallel")),
            replaced=replaced,
        )
    if isinstance(func, DUFunc):
        py = func._dispatcher.py_func
        r, replaced = ref(py, lambda p: ufunc_reference(p, func.nin, func.nout))
        return Target(name, "vectorize", func, r, py, replaced=replaced)
    if isinstance(func, GUFunc):
        py = func.gufunc_builder.py_func
        r, replaced = ref(py, lambda p: GufuncReference(p, func.signature))
        return Target(name, "guvectorize", func, r, py, replaced=replaced)
    if stencil.is_stencil(func):
        py = stencil.kernel_function(func)
        r, replaced = ref(py, lambda p: stencil.StencilReference(p, func))
        return Target(py.__name__, "stencil", func, r, py, replaced=replaced)
    if isinstance(func, np.ufunc) and (reference is not None or _numba_built(func)):
        # Numba's target="parallel" ufuncs are plain NumPy ufuncs: Numba keeps no Python
        # original of them, so the reference has to be given.
        kind = "guvectorize(target=parallel)" if func.signature else "vectorize(target=parallel)"
        if reference is None:
            raise TypeError(
                f"{name} is a NumPy ufunc ({kind.split('(')[0]} with target='parallel' returns "
                "one): Numba keeps no Python original of it; pass reference=<Python function>"
            )
        r, replaced = ref(None)
        return Target(name, kind, func, r, None, parallel=True, replaced=replaced)
    if _is_cuda(func):
        raise TypeError(
            f"{name} is a CUDA kernel: use numba_check.kernel(kernel, grid, block, ...)"
        )
    if inspect.isfunction(func) and _overloaded(func):
        r, replaced = ref(func)
        return Target(name, "@overload", func, r, func, overload=True, replaced=replaced)
    if inspect.isfunction(func):
        kind = "python -> njit" + (" generator" if inspect.isgeneratorfunction(func) else "")
        fresh = numba.njit(func)
        r, replaced = ref(func)
        return Target(name, kind, fresh, r, func, fresh, replaced=replaced)
    raise TypeError(
        "numba_check() takes a Numba CPU dispatcher (@njit/@jit), a @vectorize or @guvectorize "
        "ufunc, a @stencil, an @overload-ed function or a plain Python function; got "
        f"{type(func).__module__}.{type(func).__name__}"
    )


def _numba_built(ufunc: np.ufunc) -> bool:
    """Whether Numba built this NumPy ufunc (it keeps a cleaner object of its own in it)."""
    import gc

    return any(type(r).__module__.startswith("numba") for r in gc.get_referents(ufunc))


def _is_cuda(func: Any) -> bool:
    return type(func).__module__.startswith("numba.cuda")


def from_object_array(value: Any) -> Any:
    """Turn frompyfunc's object output into what Python values naturally make."""
    if isinstance(value, np.ndarray) and value.dtype == object:
        if value.size == 0:
            return np.empty(value.shape)
        return np.array(value.tolist())
    return value


def ufunc_reference(py: Callable[..., Any], nin: int, nout: int) -> Callable[..., Any]:
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

    def __call__(
        self, *args: Any, out: Any = None, axis: int | None = None, axes: Any = None
    ) -> Any:
        nin, nout = len(self.ins), len(self.outs)
        cores = self.ins + self.outs
        if axis is not None:
            if axes is not None:
                raise TypeError("cannot specify both 'axis' and 'axes'")
            # NumPy: axis= stands for (axis,) on operands with one core dimension, () elsewhere.
            axes = [(axis,) if len(d) == 1 else () for d in cores]
        if axes is not None:
            axes = [tuple(a) if isinstance(a, (tuple, list)) else (a,) for a in axes]
            axes += [() for _ in range(len(cores) - len(axes))]
        ins = [np.asarray(a) for a in args[:nin]]
        if axes is not None:
            ins = [_core_last(a, ax, len(d)) for a, ax, d in zip(ins, axes, self.ins, strict=False)]
        outs = list(args[nin:])
        if out is not None:
            outs = list(out) if isinstance(out, tuple) else [out]
        given = bool(outs)
        if axes is not None and given:
            outs = [
                _core_last(o, ax, len(d))
                for o, ax, d in zip(outs, axes[nin:], self.outs, strict=False)
            ]
        if not outs:
            outs = self._allocate(ins)
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
        if axes is not None and not given:
            # Allocated outputs come back with their core dimensions where axes put them.
            outs = [
                np.moveaxis(o, range(o.ndim - len(d), o.ndim), ax) if d else o
                for o, ax, d in zip(outs, axes[nin:], self.outs, strict=True)
            ]
        return tuple(outs) if nout > 1 else outs[0]

    def _allocate(self, ins: list[np.ndarray]) -> list[np.ndarray]:
        """Outputs like the compiled ones when known, else sized from the inputs' core dims."""
        sizes: dict[str, int] = {}
        for a, d in zip(ins, self.ins, strict=False):
            for name, n in zip(d, a.shape[a.ndim - len(d) :], strict=True):
                sizes.setdefault(name, n)
        loop = np.broadcast_shapes(
            *(a.shape[: a.ndim - len(d)] for a, d in zip(ins, self.ins, strict=False))
        )
        dtype = np.result_type(*ins) if ins else np.float64
        outs = []
        for i, d in enumerate(self.outs):
            if i < len(self.like) and self.like[i] is not None:
                like = np.asarray(self.like[i])
                shape, dt = loop + tuple(sizes.get(n, 1) for n in d), like.dtype
            else:
                shape, dt = loop + tuple(sizes.get(n, 1) for n in d), dtype
            outs.append(np.empty(shape, dtype=dt))
        return outs


def _core_last(a: Any, axes: tuple[int, ...], ncore: int) -> np.ndarray:
    """A view of ``a`` with the core dimensions named by ``axes`` moved to the end."""
    a = np.asarray(a)
    if not ncore or not axes:
        return a
    return np.moveaxis(a, axes, tuple(range(a.ndim - ncore, a.ndim)))
