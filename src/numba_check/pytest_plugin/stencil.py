"""A ``@stencil`` as the Python program it stands for: its kernel called at every point.

Numba keeps no Python version of a stencil: ``StencilFunc`` compiles a loop nest around the
kernel. ``StencilReference`` runs that loop in Python with the user's kernel (``kernel_ir``'s
``func_id.func``), as Numba documents it: relative indices are offsets from the current point,
the kernel is applied where its whole neighbourhood lies inside the first array, and the border
is ``cval`` (0 by default), or left as it is when an ``out=`` array is given without a ``cval``.
The neighbourhood is the ``neighborhood`` option, else the extent of the kernel's constant
relative indices, found in its IR the way Numba finds it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


def is_stencil(obj: Any) -> bool:
    return type(obj).__name__ == "StencilFunc" and type(obj).__module__.startswith("numba.")


def kernel_function(stencil: Any) -> Callable[..., Any]:
    """The Python function the user decorated with ``@stencil``."""
    return stencil.kernel_ir.func_id.func


def _standard_indexed(options: dict[str, Any]) -> set[str]:
    names = options.get("standard_indexing", ())
    return {names} if isinstance(names, str) else set(names)


def relative_reads(kernel_ir: Any, standard: set[str]) -> list[tuple[str, list[Any]]]:
    """(argument, index) of every read of a relatively indexed argument in the kernel, the
    index as its constants (None where it is not a constant), as Numba finds them."""
    from numba.core import ir

    consts: dict[str, Any] = {}
    tuples: dict[str, list[Any]] = {}
    reads: list[tuple[str, list[Any]]] = []
    args = set(kernel_ir.arg_names) - standard

    def constant(item: Any) -> Any:
        return consts.get(item.name) if isinstance(item, ir.Var) else item

    for block in kernel_ir.blocks.values():
        for stmt in block.body:
            if not isinstance(stmt, ir.Assign):
                continue
            value = stmt.value
            if isinstance(value, ir.Const):
                consts[stmt.target.name] = value.value
            elif isinstance(value, ir.Expr) and value.op == "build_tuple":
                tuples[stmt.target.name] = list(value.items)
            elif (
                isinstance(value, ir.Expr)
                and value.op in ("getitem", "static_getitem")
                and value.value.name in args
            ):
                var = value.index if value.op == "getitem" else value.index_var
                if var is not None and var.name in tuples:
                    index = [constant(i) for i in tuples[var.name]]
                elif var is not None and var.name in consts:
                    index = [consts[var.name]]
                elif value.op == "static_getitem" and isinstance(value.index, (int, tuple)):
                    index = list(value.index) if isinstance(value.index, tuple) else [value.index]
                else:
                    index = [None]
                reads.append((value.value.name, index))
    return reads


def kernel_extent(reads: list[tuple[str, list[Any]]], ndim: int) -> list[list[int]]:
    """[[lo, hi], ...] per dimension: the smallest and largest constant relative index read.

    Raises ValueError where Numba itself refuses to infer it (a non-constant index: the
    ``neighborhood`` option is required).
    """
    if not reads:
        raise ValueError("stencil kernel with no accesses to relatively indexed arrays")
    extent = [[0, 0] for _ in range(ndim)]
    for _, index in reads:
        if len(index) != ndim or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in index
        ):
            raise ValueError(
                "stencil kernel index is not constant: the 'neighborhood' option is required"
            )
        for dim, i in enumerate(index):
            extent[dim][0] = min(extent[dim][0], i)
            extent[dim][1] = max(extent[dim][1], i)
    return extent


def _check_sizes(first: np.ndarray, others: list[np.ndarray]) -> None:
    """Numba's own check of the other relatively indexed arrays against the first."""
    for other in others:
        if other.ndim != first.ndim:
            raise ValueError(
                "Secondary stencil array does not have same number  of dimensions as the "
                "first stencil input."
            )
        if any(a > b for a, b in zip(first.shape, other.shape, strict=True)):
            raise ValueError(
                "Secondary stencil array has some dimension smaller the same dimension in "
                "the first stencil input."
            )


class _Relative:
    """An array read relative to the current point, as the kernel's indices are."""

    __slots__ = ("array", "at")

    def __init__(self, array: np.ndarray, at: tuple[int, ...]) -> None:
        self.array = array
        self.at = at

    def __getitem__(self, index: Any) -> Any:
        items = index if isinstance(index, tuple) else (index,)
        shifted = tuple(_shift(i, c) for i, c in zip(items, self.at, strict=False))
        return self.array[shifted if isinstance(index, tuple) else shifted[0]]

    def __getattr__(self, name: str) -> Any:  # a.shape, a.ndim, a.dtype in the kernel
        return getattr(self.array, name)


def _shift(index: Any, by: int) -> Any:
    if isinstance(index, slice):
        start = None if index.start is None else index.start + by
        stop = None if index.stop is None else index.stop + by
        return slice(start, stop, index.step)
    return index + by


class StencilReference:
    """The user's stencil kernel looped over the array in Python."""

    def __init__(self, kernel: Callable[..., Any], stencil: Any) -> None:
        self.kernel = kernel
        self.kernel_ir = stencil.kernel_ir
        self.options = dict(stencil.options)
        self.arg_names = list(stencil.kernel_ir.arg_names)
        self.__name__ = getattr(kernel, "__name__", "stencil")

    def __call__(self, *args: Any, out: Any = None, neighborhood: Any = None) -> Any:
        first = np.asarray(args[0])
        ndim = first.ndim
        standard = _standard_indexed(self.options)
        reads = relative_reads(self.kernel_ir, standard)
        extent = neighborhood or self.options.get("neighborhood")
        if extent is None:
            extent = kernel_extent(reads, ndim)
        if len(extent) != ndim:
            raise ValueError(
                f"{len(extent)} dimensional neighborhood specified for {ndim} dimensional "
                "input array"
            )
        relative = [
            isinstance(a, np.ndarray) and name not in standard
            for a, name in zip(args, self.arg_names, strict=False)
        ]
        read = {name for name, _ in reads}
        if len(read) > 1:
            _check_sizes(
                first,
                [
                    a
                    for a, name in zip(args[1:], self.arg_names[1:], strict=False)
                    if name in read and isinstance(a, np.ndarray)
                ],
            )
        ranges = [
            range(-min(0, lo), first.shape[d] - max(0, hi)) for d, (lo, hi) in enumerate(extent)
        ]
        points = list(itertools.product(*ranges))
        values = [self._at(args, relative, p) for p in points]
        if out is not None:
            if "cval" in self.options:
                out[...] = self.options["cval"]
        else:
            dtype = self._dtype(values, args, relative, extent)
            out = np.full(first.shape, self.options.get("cval", 0), dtype=dtype)
        for p, v in zip(points, values, strict=True):
            out[p] = v
        return out

    def _at(self, args: Sequence[Any], relative: list[bool], point: tuple[int, ...]) -> Any:
        return self.kernel(
            *(_Relative(a, point) if rel else a for a, rel in zip(args, relative, strict=False)),
            *args[len(relative) :],
        )

    def _dtype(
        self, values: list[Any], args: Sequence[Any], relative: list[bool], extent: Any
    ) -> np.dtype:
        """The output's dtype: what the kernel's Python values make (Numba types the output by
        the kernel's return type); with no point inside, what the kernel gives on ones."""
        if not values:
            shape = tuple(hi - lo + 1 for lo, hi in extent)
            ones = [
                np.ones(shape, a.dtype) if rel else a
                for a, rel in zip(args, relative, strict=False)
            ]
            centre = tuple(-lo for lo, _ in extent)
            try:
                values = [self._at(ones, relative, centre)]
            except Exception:  # noqa: BLE001 - a kernel that cannot run on ones: the common case
                return np.dtype(np.float64)
        return np.asarray(values).dtype
