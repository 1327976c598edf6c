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

# What `from numba import *` binds: `numba.__all__` of Numba 0.68.1 (the entry points and the
# type names are in it since long before; a name a version lacks is an error at import).
NUMBA_STAR_EXPORTS: frozenset[str] = frozenset(
    """
    ByteCodeSupportError CompilerError ConstantInferenceError DeprecationError
    ForbiddenConstruct ForceLiteralArg IRError InternalError InternalTargetMismatchError
    LiteralTypingError LoweringError NonexistentTargetError NotDefinedError NumbaAssertionError
    NumbaAttributeError NumbaDebugInfoWarning NumbaDeprecationWarning NumbaError
    NumbaExperimentalFeatureWarning NumbaIRAssumptionWarning NumbaIndexError
    NumbaInvalidConfigWarning NumbaKeyError NumbaNotImplementedError NumbaParallelSafetyWarning
    NumbaPedanticWarning NumbaPendingDeprecationWarning NumbaPerformanceWarning
    NumbaRuntimeError NumbaSystemWarning NumbaTypeError NumbaTypeSafetyWarning NumbaValueError
    NumbaWarning RedefinedError RequireLiteralValue TypingError UnsupportedBytecodeError
    UnsupportedError UnsupportedParforsError UnsupportedRewriteError UntypedAttributeError
    VerificationError b1 bool bool_ boolean byte c16 c8 cfunc char complex128 complex64
    deferred_type double experimental f4 f8 ffi ffi_forced_object float32 float64 from_dtype gdb
    gdb_breakpoint gdb_init get_num_threads get_parallel_chunksize guvectorize i1 i2 i4 i8 int16
    int32 int64 int8 int_ intc intp jit jit_module literal_unroll long_ longlong njit none
    objmode optional parallel_chunksize prange set_num_threads set_parallel_chunksize short
    size_t ssize_t stencil typeof u1 u2 u4 u8 uchar uint uint16 uint32 uint64 uint8 uintc uintp
    ulong ulonglong ushort vectorize void
    """.split()  # noqa: SIM905 - a word list kept wrapped, as numba.__all__ prints it
)
