"""Point 6: CUDA kernels under the simulator, enabled early enough, and mode conflicts."""

from __future__ import annotations

import sys
import textwrap

import pytest

KERNELS = """
import numpy as np
from numba import cuda

@cuda.jit
def add_guarded(a, b, out):
    i = cuda.grid(1)
    if i < out.shape[0]:
        out[i] = a[i] + b[i]

@cuda.jit
def add_unguarded(a, b, out):
    i = cuda.grid(1)
    out[i] = a[i] + b[i]

@cuda.jit
def add_wrong(a, b, out):
    i = cuda.grid(1)
    if i < out.shape[0]:
        out[i] = a[i] - b[i] if i == 3 else a[i] + b[i]

def add_reference(a, b, out):
    out[:] = a + b
"""

TESTS = """
import numpy as np
from kernels import add_guarded, add_unguarded, add_wrong, add_reference

N = 10

def args():
    return np.arange(N, dtype=np.float64), np.ones(N), np.zeros(N)

def test_guarded(numba_check):
    res = numba_check.kernel(add_guarded, 1, 16, reference=add_reference)(*args())
    assert res.simulator
    np.testing.assert_array_equal(res.args[2], np.arange(N) + 1.0)

def test_unguarded(numba_check):
    numba_check.kernel(add_unguarded, 1, 16, reference=add_reference)(*args())

def test_wrong(numba_check):
    numba_check.kernel(add_wrong, 1, 16, reference=add_reference)(*args())
"""


@pytest.fixture
def cuda_project(nc_sub: pytest.Pytester) -> pytest.Pytester:
    nc_sub.makepyfile(kernels=KERNELS, test_kernels=TESTS)
    # The conftest imports numba.cuda before any test: only an explicit setting, applied before
    # conftests load, can choose the simulator in time.
    nc_sub.makeconftest("from numba import cuda\nimport kernels\n")
    nc_sub.makeini(
        "[pytest]\naddopts = -p no:cacheprovider\nnumba_check_max_time = 0.05\n"
        "numba_check_cudasim = on\n"
    )
    return nc_sub


def test_simulator_enabled_before_conftest_import(cuda_project: pytest.Pytester) -> None:
    result = cuda_project.runpytest_subprocess()
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(["numba-check: *CUDA simulator"])
    result.stdout.fnmatch_lines(
        [
            "*kernel 'add_unguarded' failed with grid 1, block 16: thread (1?, 0, 0) of block "
            "(0, 0, 0) raised IndexError: index 1? is out of bounds for axis 0 with size 10",
            "*is a guard such as `if i < out.shape[[]0]:` missing?*",
        ]
    )
    out = result.stdout.str()
    assert "where:    arg 2 'out'[3]" in out
    result.stdout.fnmatch_lines(["*::test_guarded*add_guarded*timing skipped: CUDA simulator*"])


LEAK_CHECK = """
import os, subprocess, sys
from kernels import add_guarded, add_reference
import numpy as np

def test_kernel(numba_check):
    res = numba_check.kernel(add_guarded, 1, 16, reference=add_reference)(
        np.arange(10.0), np.ones(10), np.zeros(10))
    assert res.simulator
    # Nothing leaks into the environment of this process's children.
    assert "NUMBA_ENABLE_CUDASIM" not in os.environ
"""


def test_auto_switches_on_for_a_test_file_that_checks_kernels(nc_sub: pytest.Pytester) -> None:
    nc_sub.makepyfile(kernels=KERNELS, test_leak=LEAK_CHECK)
    result = nc_sub.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(passed=1)
    assert "CUDA" not in result.stdout.str().split("collected")[0]  # not in the header


def test_auto_leaves_sessions_without_kernel_checks_alone(nc_sub: pytest.Pytester) -> None:
    nc_sub.makepyfile(
        test_plain="""
import os

def test_env():
    import numba
    from numba import cuda
    assert "NUMBA_ENABLE_CUDASIM" not in os.environ
    assert not numba.config.ENABLE_CUDASIM
"""
    )
    nc_sub.makeini("[pytest]\naddopts = -p no:cacheprovider\n")
    result = nc_sub.runpytest_subprocess()
    result.assert_outcomes(passed=1)
    assert "numba-check:" not in result.stdout.str()  # no header line when not in use


def test_auto_too_late_is_a_clear_failure(nc_sub: pytest.Pytester) -> None:
    nc_sub.makepyfile(kernels=KERNELS, test_leak=LEAK_CHECK)
    nc_sub.makeconftest("from numba import cuda\n")
    result = nc_sub.runpytest_subprocess()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*numba.cuda was imported in real-GPU mode*Set numba_check_cudasim = on in the ini*"]
    )


def test_conflict_is_a_usage_error_when_simulator_is_demanded(
    cuda_project: pytest.Pytester,
) -> None:
    script = textwrap.dedent(
        """
        import sys
        import numba.cuda
        import pytest
        sys.exit(pytest.main(["-p", "no:cacheprovider", "--numba-cudasim=on"]))
        """
    )
    result = cuda_project.run(sys.executable, "-c", script)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*numba.cuda was imported in real-GPU mode*"])


def test_numba_check_refuses_kernels(cuda_project: pytest.Pytester) -> None:
    cuda_project.makepyfile(
        test_misuse="""
        from kernels import add_guarded

        def test_it(numba_check):
            numba_check(add_guarded, 1)
        """
    )
    result = cuda_project.runpytest_subprocess("test_misuse.py")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*is a CUDA kernel: use numba_check.kernel*"])
