# numba/numba#7672, fixed: an empty typed List of the field's item type.
from numba import int32, types
from numba.experimental import jitclass
from numba.typed import List


@jitclass([("data", int32), ("children", types.ListType(int32))])
class Node:
    def __init__(self, key):
        self.data = key
        self.children = List.empty_list(int32)


root = Node(-1)
