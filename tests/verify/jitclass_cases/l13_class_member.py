# The constant at module level instead.
from numba import float64
from numba.experimental import jitclass

MASS = 1.5


@jitclass([("x", float64)])
class Particle:
    def __init__(self, x):
        self.x = x * MASS


p = Particle(0.0)
