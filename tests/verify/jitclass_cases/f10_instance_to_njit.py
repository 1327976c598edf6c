# numba/numba#3781 reply shape: an instance passed to an njit function that reads a method
# the class does not have.
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
    return x.value()


foo = Test()
print(use_test2(foo))
