# A call-form jitclass whose method adds a string to a float field.
from numba import float64
from numba.experimental import jitclass


class _Account:
    def __init__(self, balance):
        self.balance = balance

    def deposit(self, amount):
        self.balance = self.balance + amount


Account = jitclass(_Account, [("balance", float64)])

acc = Account(10.0)
acc.deposit("5")
