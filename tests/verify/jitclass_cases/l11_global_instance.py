# numba/numba#2501, the workaround: the instance passed in.
from numba import int32, njit
from numba.experimental import jitclass

spec = [("value", int32)]


@jitclass(spec)
class TestClass(object):
    def __init__(self, value):
        self.value = value

    def inc(self, i):
        self.value += i
        return self.value


@njit
def call(tc, inc):
    tc.inc(inc)
    return tc.value


print(call(TestClass(10), 1))
