# The same with the attribute written directly.
import numpy as np
from numba import float32, intp
from numba.experimental import jitclass


@jitclass([("values", float32[:]), ("n", intp)])
class CsrFormat:
    def __init__(self, values):
        self.values = values
        self.n = len(values)

    def reset(self, name):
        self.n = 0


fmt = CsrFormat(np.zeros(4, dtype=np.float32))
fmt.reset("n")
