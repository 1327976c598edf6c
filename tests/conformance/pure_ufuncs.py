"""Plain-Python stand-ins for ``numba.vectorize`` and ``numba.guvectorize``.

Numba's ufunc decorators ignore NUMBA_DISABLE_JIT: ``@vectorize`` compiles anyway (so a kernel
Numba refuses fails on the "pure Python" side too), and on 0.68 ``@guvectorize`` even fails with
"AttributeError: 'function' object has no attribute 'get_call_template'" on valid code. On the
pure-Python side of a comparison these stand-ins replace them: the decorator never fails, and
a call runs the kernel in the interpreter, element by element (``vectorize``) or core block by
core block (``guvectorize``), with NumPy's broadcasting. Signatures only choose the dtype of
outputs the caller did not pass, and whether a ``()`` argument arrives as a 1-element array.

Standalone (NumPy, plus Numba's type parser when it is importable), so the corpus worker can
use it under any Numba version.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import numpy as np

_GROUP = re.compile(r"\(([^()]*)\)")


def _from_object(value: Any) -> Any:
    """frompyfunc's object output as the values Python made (float64/int64 arrays)."""
    if isinstance(value, np.ndarray) and value.dtype == object:
        return np.array(value.tolist()) if value.size else np.empty(value.shape)
    return value


def _nparams(func: Any) -> int:
    params = inspect.signature(func).parameters.values()
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)


class PyUfunc:
    """A @vectorize kernel applied element-wise in Python."""

    def __init__(self, func: Any) -> None:
        self.py_func = func
        self.__name__ = getattr(func, "__name__", "ufunc")
        self.nin = _nparams(func)
        self.nout = 1
        self._ufunc = np.frompyfunc(func, max(self.nin, 1), 1)

    def __call__(self, *args: Any, out: Any = None) -> Any:
        # The inputs the call passes (fewer when the kernel has defaults), then the output.
        ins = list(args[: self.nin])
        if out is None and len(args) > self.nin:
            out = args[self.nin]
        result = _from_object(np.frompyfunc(self.py_func, len(ins), 1)(*ins))
        if out is not None:
            out[...] = result
            return out
        return result

    def __getattr__(self, name: str) -> Any:  # reduce, accumulate, outer, at
        method = getattr(self._ufunc, name)
        return lambda *a, **k: _from_object(method(*a, **k))


def vectorize(ftylist_or_function: Any = (), **kws: Any) -> Any:
    if inspect.isfunction(ftylist_or_function):
        return PyUfunc(ftylist_or_function)
    return PyUfunc


def _parse_layout(layout: str) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    left, _, right = layout.replace(" ", "").partition("->")

    def groups(part: str) -> list[tuple[str, ...]]:
        return [tuple(d for d in g.split(",") if d) for g in _GROUP.findall(part)]

    return groups(left), groups(right)


def _signature_types(sig: Any) -> list[Any] | None:
    """The argument types of a Numba signature; None without Numba or for an odd one."""
    try:
        from numba.core import sigutils

        args, _ = sigutils.normalize_signature(sig)
        return list(args)
    except Exception:  # noqa: BLE001 - any failure: do without the signature
        return None


def _dtype(numba_type: Any) -> Any:
    from numba.np.numpy_support import as_dtype

    return as_dtype(getattr(numba_type, "dtype", numba_type))


class PyGufunc:
    """A @guvectorize kernel looped over the broadcast loop dimensions in Python."""

    def __init__(self, func: Any, layout: str, signatures: Any) -> None:
        self.py_func = func
        self.__name__ = getattr(func, "__name__", "gufunc")
        self.layout = layout
        if isinstance(signatures, str):
            signatures = [signatures]
        try:
            self.signatures = list(signatures)
        except TypeError:
            self.signatures = []

    def _types(self, inputs: list[np.ndarray], nargs: int) -> list[Any] | None:
        """The argument types of the first signature NumPy would pick for these inputs."""
        for sig in self.signatures:
            types = _signature_types(sig)
            if types is None or len(types) != nargs:
                continue
            try:
                dtypes = [_dtype(t) for t in types]
            except Exception:  # noqa: BLE001
                continue
            if all(
                np.can_cast(a.dtype, d, "same_kind") for a, d in zip(inputs, dtypes, strict=False)
            ):
                return types
        return None

    def __call__(self, *args: Any, out: Any = None) -> Any:
        ins_spec, outs_spec = _parse_layout(self.layout)
        nin, nout = len(ins_spec), len(outs_spec)
        inputs = [np.asarray(a) for a in args[:nin]]
        outs = list(args[nin:])
        if out is not None:
            outs = list(out) if isinstance(out, tuple) else [out]
        types = self._types(inputs, nin + nout)
        sizes: dict[str, int] = {}
        loops = []
        for a, dims in zip(inputs, ins_spec, strict=True):
            core = a.shape[a.ndim - len(dims) :] if dims else ()
            for d, n in zip(dims, core, strict=True):
                if d.isdigit() and int(d) != n:
                    raise ValueError(f"dimension {d} is {n}")
                if sizes.setdefault(d, n) != n:
                    raise ValueError(f"dimension {d} is {sizes[d]} and {n}")
            loops.append(a.shape[: a.ndim - len(dims)])
        for o, dims in zip(outs, outs_spec, strict=False):
            loops.append(o.shape[: o.ndim - len(dims)])
        loop = np.broadcast_shapes(*loops) if loops else ()
        allocated = not outs
        if allocated:
            for i, dims in enumerate(outs_spec):
                dtype = (
                    _dtype(types[nin + i])
                    if types
                    else np.result_type(*inputs)
                    if inputs
                    else np.float64
                )
                shape = loop + tuple(int(d) if d.isdigit() else sizes[d] for d in dims)
                outs.append(np.zeros(shape, dtype=dtype))
        if len(outs) != nout:
            raise TypeError(f"{self.__name__} takes {nin} inputs and {nout} outputs")
        as_array = [
            bool(types) and hasattr(types[i], "ndim") and not dims
            for i, dims in enumerate(ins_spec)
        ]
        # Inputs that need no broadcasting stay themselves, so writable_args writes land.
        ins_b = [
            a
            if a.shape[: a.ndim - len(d)] == loop
            else np.broadcast_to(a, loop + a.shape[a.ndim - len(d) :])
            for a, d in zip(inputs, ins_spec, strict=True)
        ]
        # A () output is handed to the kernel as a 1-element array, as Numba does.
        outs_v = [o if d else o[..., np.newaxis] for o, d in zip(outs, outs_spec, strict=True)]
        for idx in np.ndindex(*loop):
            items = [
                a[idx][np.newaxis] if wrap else a[idx]
                for a, wrap in zip(ins_b, as_array, strict=True)
            ]
            self.py_func(*items, *(o[idx] for o in outs_v))
        if allocated:
            outs = [o[()] if o.ndim == 0 else o for o in outs]
        if nout == 0:
            return None
        return tuple(outs) if nout > 1 else outs[0]


def guvectorize(*args: Any, **kws: Any) -> Any:
    if len(args) == 1:
        signatures, layout = (), args[0]
    elif len(args) == 2:
        signatures, layout = args
    else:
        raise TypeError("guvectorize() takes one or two positional arguments")
    return lambda func: PyGufunc(func, layout, signatures)


def install() -> dict[tuple[Any, str], Any]:
    """Put the stand-ins where snippets import them from; returns what to restore."""
    import numba
    import numba.np.ufunc
    import numba.np.ufunc.decorators

    saved = {}
    for module in (numba, numba.np.ufunc, numba.np.ufunc.decorators):
        for name, standin in (("vectorize", vectorize), ("guvectorize", guvectorize)):
            saved[(module, name)] = getattr(module, name)
            setattr(module, name, standin)
    return saved


def uninstall(saved: dict[tuple[Any, str], Any]) -> None:
    for (module, name), value in saved.items():
        setattr(module, name, value)
