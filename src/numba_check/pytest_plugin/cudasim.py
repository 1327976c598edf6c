"""Choosing between Numba's CUDA simulator and a real GPU, early enough to matter.

``numba.cuda`` picks the simulator or the driver once, at its first import, from
``NUMBA_ENABLE_CUDASIM`` as ``numba.core.config`` read it. The plugin module therefore sets the
variable when it is imported (the earliest moment a pytest11 plugin gets), before any conftest
or test module can import ``numba.cuda``. This module imports neither numba nor anything heavy.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

ENV = "NUMBA_ENABLE_CUDASIM"

# What the user had exported before the plugin touched it (None: not set).
USER_ENV: str | None = os.environ.get(ENV)
_set_by_plugin = False


def gpu_driver_present() -> bool:
    """Cheap look for an NVIDIA driver, without loading it (no subprocess, no numba)."""
    if sys.platform.startswith("linux"):
        paths = ("/proc/driver/nvidia/version", "/dev/nvidiactl", "/dev/dxg")
        return any(os.path.exists(p) for p in paths)
    if sys.platform == "win32":
        system_root = os.environ.get("SYSTEMROOT", r"C:\Windows")
        return os.path.exists(os.path.join(system_root, "System32", "nvcuda.dll"))
    return False  # macOS and others: no CUDA driver


def _truthy(text: str | None) -> bool:
    return (text or "").strip() not in ("", "0")


def cuda_imported() -> bool:
    return "numba.cuda" in sys.modules


def simulator_loaded() -> bool:
    """Whether the numba.cuda already imported is the simulator."""
    cuda = sys.modules.get("numba.cuda")
    jit = getattr(cuda, "jit", None)
    return getattr(jit, "__module__", "").startswith("numba.cuda.simulator")


def _apply(enable: bool) -> None:
    global _set_by_plugin
    if enable:
        if not _truthy(os.environ.get(ENV)):
            os.environ[ENV] = "1"
            _set_by_plugin = True
    elif _set_by_plugin:
        os.environ.pop(ENV, None)
        _set_by_plugin = False
    numba = sys.modules.get("numba.core.config")
    if numba is not None and not cuda_imported():
        # numba read its config already: re-read it, or numba.cuda would use the old value.
        numba.reload_config()


def enable_early() -> None:
    """At plugin import: turn the simulator on when the user chose nothing and no GPU is seen."""
    if USER_ENV is None and not cuda_imported() and not gpu_driver_present():
        _apply(True)


def wanted(mode: str) -> bool:
    """Whether the simulator should be in use for this resolved mode (auto|on|off)."""
    if mode == "on":
        return True
    if mode == "off":
        return False
    if USER_ENV is not None:
        return _truthy(USER_ENV)
    return not gpu_driver_present()


@dataclass(frozen=True)
class CudaState:
    wanted: bool
    conflict: str | None  # why numba.cuda is in the other mode, if it is


def settle(mode: str, source: str) -> CudaState:
    """Apply the resolved mode before conftests load; report a conflict if it is too late."""
    want = wanted(mode)
    if not cuda_imported():
        _apply(want)
    return CudaState(want, conflict(want, source))


def conflict(want: bool, source: str = "auto") -> str | None:
    if not cuda_imported():
        return None
    loaded_sim = simulator_loaded()
    if loaded_sim == want:
        return None
    if want:
        return (
            "numba-check wanted Numba's CUDA simulator (" + source + "), but numba.cuda was "
            "imported in real-GPU mode before the plugin could enable it (another plugin, a "
            "-p option or PYTHONSTARTUP imported it first). Export NUMBA_ENABLE_CUDASIM=1 "
            "before running pytest, or pass --numba-cudasim=off to use the real GPU."
        )
    return (
        "numba-check wanted a real GPU (" + source + "), but numba.cuda was imported in "
        "simulator mode first (NUMBA_ENABLE_CUDASIM=1 was set before numba.cuda was "
        "imported). Unset NUMBA_ENABLE_CUDASIM, or pass --numba-cudasim=on."
    )
