# numba/numba#7672: a list display assigned to a ListType field.
from numba import int32, types
from numba.experimental import jitclass


@jitclass([("data", int32), ("children", types.ListType(int32))])
class Node:
    def __init__(self, key):
        self.data = key
        self.children = []


root = Node(-1)
