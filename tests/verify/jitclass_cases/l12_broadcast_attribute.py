# numba/numba#9522, rewritten: np.full with the attribute as size.
import numpy as np
from numba import float64, int32
from numba.experimental import jitclass


@jitclass([("n", int32), ("a", float64[:])])
class Foo:
    def __init__(self, a, n):
        self.n = n
        self.a = np.full(self.n, a)


Foo(1.0, 6)
