"""Numba's compiler entry points by qualified name.

The compiled-function finder reads this table, and so does every rule that asks whether a
call compiles something.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping


class EntryKind(enum.Enum):
    JIT = "jit"
    NJIT = "njit"
    VECTORIZE = "vectorize"
    GUVECTORIZE = "guvectorize"
    STENCIL = "stencil"
    CFUNC = "cfunc"
    CUDA_JIT = "cuda.jit"
    JITCLASS = "jitclass"
    OVERLOAD = "overload"  # the returned inner implementation is compiled
    REGISTER_JITABLE = "register_jitable"


def _names(prefixes: tuple[str, ...], names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{p}.{n}" for p in prefixes for n in names)


ENTRY_POINTS: Mapping[str, EntryKind] = {
    **dict.fromkeys(_names(("numba", "numba.core.decorators"), ("jit",)), EntryKind.JIT),
    **dict.fromkeys(_names(("numba", "numba.core.decorators"), ("njit",)), EntryKind.NJIT),
    "numba.generated_jit": EntryKind.JIT,
    **dict.fromkeys(_names(("numba", "numba.np.ufunc"), ("vectorize",)), EntryKind.VECTORIZE),
    **dict.fromkeys(_names(("numba", "numba.np.ufunc"), ("guvectorize",)), EntryKind.GUVECTORIZE),
    **dict.fromkeys(_names(("numba", "numba.stencils.stencil"), ("stencil",)), EntryKind.STENCIL),
    **dict.fromkeys(_names(("numba", "numba.core.ccallback"), ("cfunc",)), EntryKind.CFUNC),
    "numba.cuda.jit": EntryKind.CUDA_JIT,
    **dict.fromkeys(
        _names(("numba", "numba.experimental", "numba.experimental.jitclass"), ("jitclass",)),
        EntryKind.JITCLASS,
    ),
    **dict.fromkeys(
        _names(
            ("numba.extending", "numba.core.extending"),
            ("overload", "overload_method", "overload_attribute", "overload_classmethod"),
        ),
        EntryKind.OVERLOAD,
    ),
    **dict.fromkeys(
        _names(("numba.extending", "numba.core.extending", "numba"), ("register_jitable",)),
        EntryKind.REGISTER_JITABLE,
    ),
}
