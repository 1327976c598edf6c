from __future__ import annotations

from numba_check.compiled import Target
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Valid
from numba_check.rules.cuda._host_calls import HostCallRule


class KernelLaunchWithoutConfiguration(HostCallRule):
    """## What it does
    Flags a CUDA kernel called like a function, `kernel(a)`, from Python code, instead of
    being launched with a configuration, `kernel[blocks, threads](a)`.

    Only calls in host code are flagged: at module level, or in a function that takes no
    parameters (a test), launches a kernel, moves data (`cuda.to_device`, `device_array`...)
    or allocates NumPy arrays. Calls from CUDA functions are not (Numba compiles a kernel
    called from device code as a device function), nor are calls in other plain functions,
    which may be device code compiled some other way; nor `kernel.forall(n)(a)`, nor calls
    of the undecorated function that `kernel = cuda.jit(f)` compiled.

    ## Why is this bad?
    A kernel needs to know how many threads to start. Every call without a configuration
    raises "ValueError: Kernel launch configuration was not specified", on a GPU and under
    the CUDA simulator alike (Numba 0.57 to 0.68).

    ## Example
    ```python
    @cuda.jit
    def add_one(a):
        i = cuda.grid(1)
        if i < a.size:
            a[i] += 1

    add_one(arr)
    ```

    ## Use instead
    ```python
    threads = 128
    blocks = (arr.size + threads - 1) // threads
    add_one[blocks, threads](arr)
    ```
    """

    code = "NB609"
    name = "kernel-launch-without-configuration"
    severity = Severity.ERROR
    message = (
        "CUDA kernel `{name}` is called without a launch configuration, which raises "
        "ValueError; launch it as `{name}[blocks, threads_per_block](...)`"
    )
    targets = frozenset({Target.CUDA_KERNEL})
    kind = Target.CUDA_KERNEL

    VALID = (
        Valid(
            "import numpy as np\nfrom numba import cuda\n@cuda.jit\ndef k(a):\n    a[0] = 1.0\n"
            "def run(a):\n    k[1, 32](a)\n    k.forall(a.size)(a)\n"
        ),
        Valid(
            "from numba import cuda\n@cuda.jit\ndef inner(a):\n    a[0] = 1.0\n@cuda.jit\n"
            "def outer(a):\n    inner(a)\n"
        ),
        Valid(
            "from numba import cuda\ndef slow(a):\n    a[0] = 1.0\nfast = cuda.jit(slow)\n"
            "def run(a):\n    slow(a)\n    fast[1, 1](a)\n"
        ),
        Valid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    a[0] = 1.0\ndef run(a, k):\n"
            "    k(a)\n"
        ),
        Valid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    a[0] = 1.0\ndef body(a):\n"
            "    k(a)\nouter = cuda.jit('void(float64[:])')\n"
        ),
    )
    INVALID = (
        Invalid(
            "import numpy as np\nfrom numba import cuda\n@cuda.jit\ndef k(a):\n    a[0] = 1.0\n"
            "a = np.zeros(4)\nk(a)\n",
            line=7,
            column=1,
        ),
        Invalid(
            "import numba.cuda\ndef slow(a):\n    a[0] = 1.0\n"
            "fast = numba.cuda.jit('void(float64[:])')(slow)\ndef run(a):\n"
            "    d_a = numba.cuda.to_device(a)\n    fast(d_a)\n",
            line=7,
            column=5,
        ),
        Invalid(
            "from numba import cuda\n@cuda.jit\ndef k(a):\n    a[0] = 1.0\ndef test_k():\n"
            "    import numpy as np\n    a = np.zeros(3)\n    k(a)\n",
            line=8,
        ),
    )
