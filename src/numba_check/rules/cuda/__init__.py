"""NB6xx: what CUDA kernels and device functions may not do."""

from __future__ import annotations

from numba_check.rules.cuda.array_allocation import CudaArrayAllocation
from numba_check.rules.cuda.array_method import CudaArrayMethod
from numba_check.rules.cuda.array_shape_not_constant import CudaArrayShapeNotConstant
from numba_check.rules.cuda.container import CudaContainer
from numba_check.rules.cuda.device_function_called_from_host import DeviceFunctionCalledFromHost
from numba_check.rules.cuda.device_function_returns_array import DeviceFunctionReturnsArray
from numba_check.rules.cuda.generator import CudaGenerator
from numba_check.rules.cuda.kernel_launch_in_device_code import KernelLaunchInDeviceCode
from numba_check.rules.cuda.kernel_launch_without_configuration import (
    KernelLaunchWithoutConfiguration,
)
from numba_check.rules.cuda.kernel_returns_value import KernelReturnsValue
from numba_check.rules.cuda.numpy_function import CudaNumpyFunction
from numba_check.rules.cuda.raise_runtime_argument import CudaRaiseRuntimeArgument
from numba_check.rules.cuda.unguarded_grid_index import UnguardedGridIndex

RULES = (
    KernelReturnsValue,
    CudaArrayAllocation,
    CudaArrayShapeNotConstant,
    CudaArrayMethod,
    CudaContainer,
    CudaGenerator,
    CudaRaiseRuntimeArgument,
    UnguardedGridIndex,
    KernelLaunchWithoutConfiguration,
    DeviceFunctionCalledFromHost,
    CudaNumpyFunction,
    DeviceFunctionReturnsArray,
    KernelLaunchInDeviceCode,
)
