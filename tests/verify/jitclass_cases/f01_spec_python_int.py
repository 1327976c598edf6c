# numba/numba#1643: a spec with Python's int.
import numpy as np
from numba import double
from numba.experimental import jitclass

spec = [
    ("a", int),
    ("x", double[:]),
]


@jitclass(spec)
class Test:
    def __init__(self, a):
        self.a = a
        self.x = np.empty(self.a, dtype=np.float64)


t = Test(5)
