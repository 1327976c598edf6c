# numba/numba#1643, the maintainers' fix: a Numba type in the spec.
import numpy as np
from numba import double, int64
from numba.experimental import jitclass

spec = [
    ("a", int64),
    ("x", double[:]),
]


@jitclass(spec)
class Test:
    def __init__(self, a):
        self.a = a
        self.x = np.empty(self.a, dtype=np.float64)


t = Test(5)
