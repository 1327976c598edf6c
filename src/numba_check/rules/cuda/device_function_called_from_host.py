from __future__ import annotations

from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.cuda._host_calls import HostCallRule


class DeviceFunctionCalledFromHost(HostCallRule):
    """## What it does
    Flags a call of a CUDA device function (`@cuda.jit(device=True)`) from host code: at
    module level, or in a function that takes no parameters (a test), launches a kernel,
    moves data (`cuda.to_device`...) or allocates NumPy arrays. Calls from kernels and other
    device functions are what device functions are for, and are not flagged, nor are calls in
    other plain functions, which may be device code compiled some other way.

    ## Why is this bad?
    A device function runs only on the GPU, called by a kernel. Called from Python it raises
    "ValueError: Kernel launch configuration was not specified" (Numba 0.57 to 0.68), a
    message that does not say what is wrong. The CUDA simulator runs the call as plain
    Python, so a test under `NUMBA_ENABLE_CUDASIM=1` passes and the GPU run fails.

    ## Example
    ```python
    @cuda.jit(device=True)
    def clamp(x, lo, hi):
        return min(max(x, lo), hi)

    assert clamp(5.0, 0.0, 1.0) == 1.0
    ```

    ## Use instead
    Test the pure-Python function (`clamp.py_func(5.0, 0.0, 1.0)`), or call it from a kernel.
    """

    code = "NB610"
    name = "device-function-called-from-host"
    severity = Severity.ERROR
    message = (
        "`{name}` is a CUDA device function: Python code cannot call it (it raises "
        "ValueError on a GPU); call it from a kernel, or test `{name}.py_func`"
    )
    targets = frozenset({Target.CUDA_DEVICE})
    kind = Target.CUDA_DEVICE

    VALID = (
        Valid(
            "from numba import cuda\n@cuda.jit(device=True)\ndef d(x):\n    return x + 1.0\n"
            "@cuda.jit\ndef k(a):\n    a[0] = d(a[1])\ndef test():\n    assert d.py_func(1.0) == 2.0\n"
        ),
        Valid(
            "from numba import cuda\n@cuda.jit(device=True)\ndef d(x):\n    return x + 1.0\n"
            "@cuda.jit(device=True)\ndef e(x):\n    return d(x) * 2.0\n"
        ),
        Valid(
            "from numba import cuda\n@cuda.jit(device=True)\ndef d(x):\n    return x + 1.0\n"
            "def body(r, x):\n    r[0] = d(x)\n"
        ),
    )
    INVALID = (
        Invalid(
            "from numba import cuda\n@cuda.jit(device=True)\ndef d(x):\n    return x + 1.0\n"
            "def test():\n    assert d(1.0) == 2.0\n",
            line=6,
            column=12,
        ),
        Invalid(
            "import numba\ndef clamp(x):\n    return min(x, 1.0)\n"
            "fast = numba.cuda.jit(clamp, device=True)\ny = fast(2.0)\n",
            line=5,
        ),
    )
