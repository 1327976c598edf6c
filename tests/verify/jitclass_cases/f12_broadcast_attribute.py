# numba/numba#9522: np.broadcast_to with a list and an attribute as shape.
import numpy as np
from numba import float64, int32
from numba.experimental import jitclass


@jitclass([("n", int32), ("a", float64[:])])
class Foo:
    def __init__(self, a, n):
        self.n = n
        self.a = np.broadcast_to([a], self.n)


Foo(1.0, 6)
