"""Independent copies of a check's arguments, Numba's containers and jitclass instances included.

``copy.deepcopy`` cannot copy ``numba.typed.List``, ``numba.typed.Dict`` or jitclass instances
(they hold native memory). Those are rebuilt with the same Numba type; everything else goes
through ``copy.deepcopy`` with one shared memo, so an array passed twice stays one array.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

_JITCLASS_MODULE = "numba.experimental.jitclass.boxing"


def is_typed_list(value: Any) -> bool:
    return type(value).__module__ == "numba.typed.typedlist" and type(value).__name__ == "List"


def is_typed_dict(value: Any) -> bool:
    return type(value).__module__ == "numba.typed.typeddict" and type(value).__name__ == "Dict"


def is_jitclass_instance(value: Any) -> bool:
    return type(value).__module__ == _JITCLASS_MODULE and hasattr(value, "_numba_type_")


def jitclass_fields(value: Any) -> list[str]:
    return list(value._numba_type_.struct)


def copy_value(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """A copy of ``value`` that shares no mutable state with it."""
    memo = {} if memo is None else memo
    key = id(value)
    if key in memo:
        return memo[key]
    if is_typed_list(value):
        from numba.typed import List

        new = List.empty_list(value._dtype) if value._typed else List()
        memo[key] = new
        for item in value:
            new.append(copy_value(item, memo))
        return new
    if is_typed_dict(value):
        from numba.typed import Dict

        dict_type = value._dict_type
        new = Dict.empty(dict_type.key_type, dict_type.value_type)
        memo[key] = new
        for k, v in value.items():
            new[copy_value(k, memo)] = copy_value(v, memo)
        return new
    if is_jitclass_instance(value):
        new = _jitclass_copier(value._numba_type_)(value)
        memo[key] = new
        return new
    if isinstance(value, list):
        new_list: list[Any] = []
        memo[key] = new_list
        new_list.extend(copy_value(v, memo) for v in value)
        return new_list
    if type(value) is tuple:
        return tuple(copy_value(v, memo) for v in value)
    if type(value) is dict:
        new_dict: dict[Any, Any] = {}
        memo[key] = new_dict
        new_dict.update((k, copy_value(v, memo)) for k, v in value.items())
        return new_dict
    return copy.deepcopy(value, memo)


_COPIERS: dict[Any, Callable[[Any], Any]] = {}


def _jitclass_copier(instance_type: Any) -> Callable[[Any], Any]:
    """A jitted function that allocates a new instance and copies every field into it.

    Arrays, typed lists and dicts are copied, nested jitclass instances copied recursively,
    immutable values (numbers, tuples) assigned.
    """
    if instance_type in _COPIERS:
        return _COPIERS[instance_type]
    import numba
    from numba.core import types

    namespace: dict[str, Any] = {"alloc": _alloc_like()}
    lines = ["def copy_instance(o):", "    new = alloc(o)"]
    for i, (field, ty) in enumerate(instance_type.struct.items()):
        if isinstance(ty, (types.Array, types.ListType, types.DictType)):
            lines.append(f"    new.{field} = o.{field}.copy()")
        elif isinstance(ty, types.ClassInstanceType):
            namespace[f"copy_{i}"] = _jitclass_copier(ty)
            lines.append(f"    new.{field} = copy_{i}(o.{field})")
        else:
            lines.append(f"    new.{field} = o.{field}")
    lines.append("    return new")
    exec("\n".join(lines) + "\n", namespace)  # noqa: S102 - field names are identifiers
    copier = numba.njit(namespace["copy_instance"])
    _COPIERS[instance_type] = copier
    return copier


_ALLOC: list[Any] = []


def _alloc_like() -> Any:
    """An intrinsic returning a new, zeroed instance of its argument's jitclass type."""
    if _ALLOC:
        return _ALLOC[0]
    from numba.core import cgutils, types
    from numba.experimental.jitclass.base import imp_dtor
    from numba.extending import intrinsic

    @intrinsic
    def alloc_like(typingctx: Any, inst: Any) -> Any:
        def codegen(context: Any, builder: Any, sig: Any, args: Any) -> Any:
            inst_typ = sig.return_type
            alloc_type = context.get_data_type(inst_typ.get_data_type())
            alloc_size = context.get_abi_sizeof(alloc_type)
            meminfo = context.nrt.meminfo_alloc_dtor(
                builder,
                context.get_constant(types.uintp, alloc_size),
                imp_dtor(context, builder.module, inst_typ),
            )
            data_pointer = context.nrt.meminfo_data(builder, meminfo)
            data_pointer = builder.bitcast(data_pointer, alloc_type.as_pointer())
            # Zeroed fields: the field stores that follow release nothing.
            builder.store(cgutils.get_null_value(alloc_type), data_pointer)
            inst_struct = context.make_helper(builder, inst_typ)
            inst_struct.meminfo = meminfo
            inst_struct.data = data_pointer
            return inst_struct._getvalue()

        return inst(inst), codegen

    _ALLOC.append(alloc_like)
    return alloc_like


def copy_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[tuple, dict]:
    """Copies of a call's arguments, aliasing between them kept."""
    memo: dict[int, Any] = {}
    return (
        tuple(copy_value(a, memo) for a in args),
        {k: copy_value(v, memo) for k, v in kwargs.items()},
    )
