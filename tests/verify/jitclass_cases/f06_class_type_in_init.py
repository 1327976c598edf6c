# numba/numba#9690 (and #7291): Cls.class_type read inside compiled code.
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
        self._a = List.empty_list(A.class_type.instance_type)


c = C(3)
