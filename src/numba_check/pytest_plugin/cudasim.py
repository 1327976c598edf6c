"""Choosing between Numba's CUDA simulator and a real GPU, early enough to matter.

``numba.cuda`` picks the simulator or the driver once, at its first import, from
``NUMBA_ENABLE_CUDASIM`` as ``numba.core.config`` read it. Nothing is switched for sessions
that do not ask: ``--numba-cudasim=on`` (or the ini setting) sets the variable before conftests
load, for the session and its subprocesses (xdist workers need it); in ``auto`` mode the first
``numba_check.kernel`` on a machine without a GPU imports ``numba.cuda`` in simulator mode, with
the variable set only during that import, and says clearly when something imported
``numba.cuda`` for the GPU first. This module imports neither numba nor anything heavy.
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


def import_for_kernels(want: bool) -> None:
    """Import ``numba.cuda`` in the wanted mode, leaving the environment as it was."""
    if cuda_imported():
        return
    before = os.environ.get(ENV)
    if want:
        os.environ[ENV] = "1"
    config = sys.modules.get("numba.core.config")
    try:
        if config is not None:
            config.reload_config()
        import numba.cuda  # noqa: F401 - the import is what chooses the mode
    finally:
        if before is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = before


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
    """Apply an explicit mode before conftests load; report a conflict if it is too late.

    ``auto`` changes nothing here: the simulator is chosen when a kernel check needs it.
    """
    want = wanted(mode)
    if mode == "auto":
        return CudaState(want, None)
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
            "-p option, a conftest or a test module imported it first). Set "
            "numba_check_cudasim = on in the ini file (or pass --numba-cudasim=on, or export "
            "NUMBA_ENABLE_CUDASIM=1) so that the simulator is chosen before conftests load."
        )
    return (
        "numba-check wanted a real GPU (" + source + "), but numba.cuda was imported in "
        "simulator mode first (NUMBA_ENABLE_CUDASIM=1 was set before numba.cuda was "
        "imported). Unset NUMBA_ENABLE_CUDASIM, or pass --numba-cudasim=on."
    )
