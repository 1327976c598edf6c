# numba/numba#9163: an empty typed.Dict() whose types nothing gives.
from numba import typed, types
from numba.experimental import jitclass

spec = [
    ("energy", types.float64),
    ("bond_energies", types.DictType(types.int64, types.float64)),
]


@jitclass(spec)
class Lattice:
    def __init__(self, bound):
        self.energy = 0
        self.bond_energies = typed.Dict()


lat = Lattice(4)
