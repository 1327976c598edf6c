# numba/numba#9163, fixed: Dict.empty with the key and value types.
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
        self.bond_energies = typed.Dict.empty(key_type=types.int64, value_type=types.float64)


lat = Lattice(4)
