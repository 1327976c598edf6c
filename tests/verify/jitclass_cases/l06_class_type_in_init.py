# numba/numba#9690, the workaround: a list of instances made inside compiled code.
from numba import int32
from numba.experimental import jitclass
from numba.typed import List


@jitclass([("a", int32)])
class A:
    def __init__(self, a):
        self.a = a


@jitclass
class C:
    def __init__(self, n):
        items = List()
        items.append(A(n))
        self.n = len(items)

    n: int32


c = C(3)
