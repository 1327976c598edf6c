"""NB4xx: types and containers Numba cannot infer or pass in."""

from __future__ import annotations

from numba_check.rules.types.container_default_argument import ContainerDefaultArgument
from numba_check.rules.types.empty_array_literal import EmptyArrayLiteral
from numba_check.rules.types.empty_inner_list import EmptyInnerList
from numba_check.rules.types.escaping_closure import EscapingClosure
from numba_check.rules.types.float_argument_truncated import FloatArgumentTruncated
from numba_check.rules.types.global_array_write import GlobalArrayWrite
from numba_check.rules.types.global_container import GlobalContainer
from numba_check.rules.types.global_untyped_value import GlobalUntypedValue
from numba_check.rules.types.incompatible_return_types import IncompatibleReturnTypes
from numba_check.rules.types.jit_in_compiled_code import JitInCompiledCode
from numba_check.rules.types.jitclass_field_empty_container import JitclassFieldEmptyContainer
from numba_check.rules.types.jitclass_field_item_type import JitclassFieldItemType
from numba_check.rules.types.jitclass_field_reflected_list import JitclassFieldReflectedList
from numba_check.rules.types.jitclass_spec_python_type import JitclassSpecPythonType
from numba_check.rules.types.jitclass_undeclared_field import JitclassUndeclaredField
from numba_check.rules.types.list_in_dict_display import ListInDictDisplay
from numba_check.rules.types.list_item_types_cannot_unify import ListItemTypesCannotUnify
from numba_check.rules.types.literal_container_dynamic_index import LiteralContainerDynamicIndex
from numba_check.rules.types.numba_type_called import NumbaTypeCalled
from numba_check.rules.types.signature_arity_mismatch import SignatureArityMismatch
from numba_check.rules.types.signature_return_mismatch import SignatureReturnMismatch
from numba_check.rules.types.typed_container_class_as_type import TypedContainerClassAsType
from numba_check.rules.types.typed_container_python_type import TypedContainerPythonType
from numba_check.rules.types.unsupported_container_argument import UnsupportedContainerArgument
from numba_check.rules.types.untyped_empty_container import UntypedEmptyContainer
from numba_check.rules.types.variable_types_cannot_unify import VariableTypesCannotUnify
from numba_check.rules.types.yield_types_differ import YieldTypesDiffer

RULES = (
    UntypedEmptyContainer,
    UnsupportedContainerArgument,
    LiteralContainerDynamicIndex,
    IncompatibleReturnTypes,
    VariableTypesCannotUnify,
    ListInDictDisplay,
    ListItemTypesCannotUnify,
    EmptyInnerList,
    ContainerDefaultArgument,
    EmptyArrayLiteral,
    GlobalContainer,
    GlobalUntypedValue,
    GlobalArrayWrite,
    JitInCompiledCode,
    NumbaTypeCalled,
    SignatureArityMismatch,
    SignatureReturnMismatch,
    EscapingClosure,
    YieldTypesDiffer,
    JitclassSpecPythonType,
    FloatArgumentTruncated,
    JitclassFieldReflectedList,
    JitclassFieldEmptyContainer,
    JitclassUndeclaredField,
    JitclassFieldItemType,
    TypedContainerClassAsType,
    TypedContainerPythonType,
)
