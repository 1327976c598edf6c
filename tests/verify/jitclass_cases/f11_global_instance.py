# numba/numba#2501: a global jitclass instance read by an njit function.
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


tc = TestClass(10)


@njit
def call(inc):
    tc.inc(inc)
    return tc.value


print(call(1))
