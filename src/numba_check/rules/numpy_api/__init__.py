"""NB3xx: NumPy functions, methods and argument forms Numba does not support."""

from __future__ import annotations

from numba_check.rules.numpy_api.sequence_argument_as_list import SequenceArgumentAsList
from numba_check.rules.numpy_api.shape_as_list import ShapeAsList

RULES = (
    SequenceArgumentAsList,
    ShapeAsList,
)
