"""NB45x-NB46x: @vectorize / @guvectorize signatures, layouts and kernels."""

from __future__ import annotations

from numba_check.rules.ufuncs.gufunc_arity_mismatch import GufuncArityMismatch
from numba_check.rules.ufuncs.gufunc_dimension_mismatch import GufuncDimensionMismatch
from numba_check.rules.ufuncs.gufunc_layout_fixed_dimension import GufuncLayoutFixedDimension
from numba_check.rules.ufuncs.gufunc_layout_syntax import GufuncLayoutSyntax
from numba_check.rules.ufuncs.gufunc_non_void_signature import GufuncNonVoidSignature
from numba_check.rules.ufuncs.gufunc_output_dimension_undefined import (
    GufuncOutputDimensionUndefined,
)
from numba_check.rules.ufuncs.gufunc_returns_value import GufuncReturnsValue
from numba_check.rules.ufuncs.gufunc_scalar_output import GufuncScalarOutput
from numba_check.rules.ufuncs.ufunc_missing_signatures import UfuncMissingSignatures
from numba_check.rules.ufuncs.ufunc_signature_not_a_list import UfuncSignatureNotAList
from numba_check.rules.ufuncs.vectorize_arity_mismatch import VectorizeArityMismatch
from numba_check.rules.ufuncs.vectorize_missing_return import VectorizeMissingReturn
from numba_check.rules.ufuncs.vectorize_non_scalar_type import VectorizeNonScalarType
from numba_check.rules.ufuncs.vectorize_returns_tuple import VectorizeReturnsTuple

RULES = (
    GufuncLayoutSyntax,
    GufuncLayoutFixedDimension,
    GufuncOutputDimensionUndefined,
    GufuncArityMismatch,
    GufuncDimensionMismatch,
    GufuncReturnsValue,
    GufuncNonVoidSignature,
    GufuncScalarOutput,
    VectorizeReturnsTuple,
    VectorizeMissingReturn,
    VectorizeArityMismatch,
    VectorizeNonScalarType,
    UfuncSignatureNotAList,
    UfuncMissingSignatures,
)
