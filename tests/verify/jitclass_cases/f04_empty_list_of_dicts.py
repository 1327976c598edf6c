# numba/numba#9944: types.DictType(...) called inside __init__.
from numba import typed, types
from numba.experimental import jitclass

faulty_specs = {"my_attr": types.ListType(types.DictType(types.float32, types.float32))}


@jitclass(faulty_specs)
class FaultyJitclass:
    def __init__(self):
        self.my_attr = typed.List.empty_list(types.DictType(types.float32, types.float32))


FaultyJitclass()
