"""Third-party plugin packages, built from tests/plugins/packages and installed for real.

Each package is built with pip (setuptools as the backend, no build isolation, no index) and
installed with ``pip install --target`` into its own folder, once per session. A command run
with that folder on PYTHONPATH sees an installed distribution whose entry points
importlib.metadata finds, as it would in a virtual environment.

``numba_check_cli`` runs the console script in a process of its own; ``cli_in_process``
runs the same command line through ``cli.main`` in this process, with the folders first on
``sys.path``, for the tests that are about what a plugin does rather than how the command starts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGES = Path(__file__).parent / "packages"


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def _install(package: str, workdir: Path) -> Path:
    # Built from a copy: setuptools writes build/ and *.egg-info next to the sources.
    source = workdir / "src"
    shutil.copytree(PACKAGES / package, source)
    site = workdir / "site"
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    command += ["--no-deps", "--no-build-isolation", "--no-index", "--target", str(site)]
    proc = subprocess.run(
        [*command, str(source)], capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, f"pip could not install {package}:\n{proc.stdout}{proc.stderr}"
    return site


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``installed("numba-check-demo")``: the folder the package is installed in."""
    sites: dict[str, Path] = {}

    def get(package: str) -> Path:
        if package not in sites:
            sites[package] = _install(package, tmp_path_factory.mktemp(package))
        return sites[package]

    return get


@pytest.fixture(scope="session")
def demo_site(installed: Callable[[str], Path]) -> Path:
    """numba-check-demo 1.2.0: rule NB801, output format `tap`, knowledge `scipy.special.*`."""
    return installed("numba-check-demo")


@pytest.fixture
def numba_check_cli(tmp_path: Path) -> Callable[..., Result]:
    """Run the ``numba-check`` console script in `tmp_path`, with the given plugin sites."""
    script = Path(sys.executable).with_name("numba-check")

    def run(*args: str, sites: Sequence[Path] = (), env: dict[str, str] | None = None) -> Result:
        environ = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_CHECK_")}
        environ["PYTHONPATH"] = os.pathsep.join(str(s) for s in sites)
        environ.update(env or {})
        command = [str(script)] if script.exists() else [sys.executable, "-m", "numba_check"]
        proc = subprocess.run(
            [*command, *args],
            cwd=tmp_path,
            env=environ,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run


@pytest.fixture
def cli_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Result]:
    """``numba_check_cli``'s command line run in this process: each call finds the plugins anew,
    as a new process would, from the given sites put first on ``sys.path``."""
    from numba_check import cli, plugins

    monkeypatch.chdir(tmp_path)
    for name in [k for k in os.environ if k.startswith("NUMBA_CHECK_")]:
        monkeypatch.delenv(name)

    def run(*args: str, sites: Sequence[Path] = (), env: dict[str, str] | None = None) -> Result:
        with monkeypatch.context() as patch:
            for site in reversed(sites):
                patch.syspath_prepend(str(site))
            for name, value in (env or {}).items():
                patch.setenv(name, value)
            capsys.readouterr()
            try:
                # Loaded plugins are kept per process; so are the modules a plugin imported.
                plugins._load.cache_clear()
                code = cli.main(list(args))
            finally:
                plugins._load.cache_clear()
                _forget_modules_from(sites)
            captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def _forget_modules_from(sites: Sequence[Path]) -> None:
    folders = tuple(str(site) + os.sep for site in sites)
    if not folders:
        return
    for name, module in list(sys.modules.items()):
        if (getattr(module, "__file__", None) or "").startswith(folders):
            del sys.modules[name]
