# numba/numba#9944, the workaround: the item type made outside the compiled code.
from numba import typed, types
from numba.experimental import jitclass

dict_type = types.DictType(types.float32, types.float32)
specs = {"my_attr": types.ListType(dict_type)}


@jitclass(specs)
class FixedJitclass:
    def __init__(self):
        self.my_attr = typed.List.empty_list(dict_type)


FixedJitclass()
