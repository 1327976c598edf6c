# numba/numba#7678, fixed: a typed List for the annotated field.
import typing as pt

from numba.experimental import jitclass
from numba.typed import List
from numba.types import int64


@jitclass
class Node:
    items: pt.List[int64]

    def __init__(self):
        self.items = List.empty_list(int64)
        self.items.append(3)


Node()
