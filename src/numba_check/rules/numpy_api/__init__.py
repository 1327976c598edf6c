"""NB3xx: NumPy functions, methods and argument forms Numba does not support."""

from __future__ import annotations

from numba_check.rules.numpy_api.builtin_dtype_ignored import BuiltinDtypeIgnored
from numba_check.rules.numpy_api.builtin_type_as_dtype import BuiltinTypeAsDtype
from numba_check.rules.numpy_api.numpy_argument_not_applied import NumpyArgumentNotApplied
from numba_check.rules.numpy_api.numpy_ufunc_method import NumpyUfuncMethod
from numba_check.rules.numpy_api.random_seed_outside_compiled_code import (
    RandomSeedOutsideCompiledCode,
)
from numba_check.rules.numpy_api.scalar_type_of_array import ScalarTypeOfArray
from numba_check.rules.numpy_api.sequence_argument_as_list import SequenceArgumentAsList
from numba_check.rules.numpy_api.shape_as_list import ShapeAsList
from numba_check.rules.numpy_api.string_array import StringArray
from numba_check.rules.numpy_api.ufunc_keyword_argument import UfuncKeywordArgument
from numba_check.rules.numpy_api.ufunc_out_keyword import UfuncOutKeyword
from numba_check.rules.numpy_api.unsupported_array_method import UnsupportedArrayMethod
from numba_check.rules.numpy_api.unsupported_dtype import UnsupportedDtype
from numba_check.rules.numpy_api.unsupported_numpy_argument import UnsupportedNumpyArgument
from numba_check.rules.numpy_api.unsupported_numpy_function import UnsupportedNumpyFunction

RULES = (
    SequenceArgumentAsList,
    ShapeAsList,
    UnsupportedNumpyFunction,
    UnsupportedNumpyArgument,
    UnsupportedArrayMethod,
    NumpyUfuncMethod,
    BuiltinTypeAsDtype,
    BuiltinDtypeIgnored,
    UfuncOutKeyword,
    UfuncKeywordArgument,
    NumpyArgumentNotApplied,
    RandomSeedOutsideCompiledCode,
    StringArray,
    UnsupportedDtype,
    ScalarTypeOfArray,
)
