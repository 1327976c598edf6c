# numba/numba#7678: a typing.List annotation, assigned a list display.
import typing as pt

from numba.experimental import jitclass
from numba.types import int64


@jitclass
class Node:
    items: pt.List[int64]

    def __init__(self):
        self.items = [3]


Node()
