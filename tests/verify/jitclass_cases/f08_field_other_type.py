# numba/numba#8608 shape: a 1-d array field assigned a 2-d array.
import numpy as np
from numba import float64
from numba.experimental import jitclass


@jitclass([("ring", float64[:]), ("size", float64)])
class DataRing:
    def __init__(self, max_slices, width):
        self.size = max_slices
        self.ring = np.full((max_slices, width), 0.0)


ring = DataRing(4, 3)
