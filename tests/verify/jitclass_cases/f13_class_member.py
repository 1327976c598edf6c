# A class constant in a jitclass body ("class members are not yet supported").
from numba import float64
from numba.experimental import jitclass


@jitclass([("x", float64)])
class Particle:
    MASS = 1.5

    def __init__(self, x):
        self.x = x


p = Particle(0.0)
