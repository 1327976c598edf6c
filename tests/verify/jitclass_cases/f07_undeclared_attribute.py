# An attribute assigned in __init__ that the spec never declares (numba/numba#6132 shape).
from numba import float64, int64
from numba.experimental import jitclass


@jitclass([("count", int64)])
class Accumulator:
    def __init__(self, count):
        self.count = count
        self.total = 0.0

    def add(self, value):
        self.total += value


acc = Accumulator(0)
