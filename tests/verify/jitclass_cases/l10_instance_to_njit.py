# numba/numba#3781, the maintainers' answer: pass the instance in.
import numba as nb
from numba.experimental import jitclass


@jitclass([])
class Test:
    def __init__(self):
        pass

    def get_value(self):
        return 1


@nb.njit
def use_test2(x):
    return x.get_value()


foo = Test()
print(use_test2(foo))
