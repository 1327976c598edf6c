"""NB2xx: calls to functions and libraries Numba cannot type."""

from __future__ import annotations

from numba_check.rules.calls.any_all_builtin import AnyAllBuiltin
from numba_check.rules.calls.builtin_without_implementation import BuiltinWithoutImplementation
from numba_check.rules.calls.fstring_format_spec import FstringFormatSpec
from numba_check.rules.calls.getattr_dynamic_name import GetattrDynamicName
from numba_check.rules.calls.isinstance_unsupported_class import IsinstanceUnsupportedClass
from numba_check.rules.calls.number_from_str import NumberFromStr
from numba_check.rules.calls.percent_format import PercentFormat
from numba_check.rules.calls.print_keyword_argument import PrintKeywordArgument
from numba_check.rules.calls.str_encode_bytes_decode import StrEncodeBytesDecode
from numba_check.rules.calls.str_format_method import StrFormatMethod
from numba_check.rules.calls.tuple_constructor import TupleConstructor
from numba_check.rules.calls.unsupported_library_call import UnsupportedLibraryCall
from numba_check.rules.calls.untyped_global_function import UntypedGlobalFunction

RULES = (
    UnsupportedLibraryCall,
    UntypedGlobalFunction,
    StrFormatMethod,
    PercentFormat,
    FstringFormatSpec,
    AnyAllBuiltin,
    IsinstanceUnsupportedClass,
    GetattrDynamicName,
    NumberFromStr,
    TupleConstructor,
    PrintKeywordArgument,
    StrEncodeBytesDecode,
    BuiltinWithoutImplementation,
)
