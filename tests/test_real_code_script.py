"""benchmarks/real_code.py on a tiny local tree: archives found, unpacked, linted and counted.

No network: every test that reaches pip replaces `subprocess.run`.
"""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.benchmark_scripts import load_script

KERNELS = """\
import numba
from numba import njit, prange


def helper(x):
    return x + 1


@njit
def calls_plain(x):
    return helper(x)


@numba.njit(parallel=True)
def total(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i]
    return s
"""

OTHER = """\
from numba import njit


@njit
def g(x):
    return x * 2
"""


@pytest.fixture(scope="module")
def rc() -> ModuleType:
    return load_script("real_code")


def _wheel(path: Path, files: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w") as zipped:
        for name, text in files.items():
            zipped.writestr(name, text)


def _sdist(path: Path, files: dict[str, str]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.fixture
def tree(tmp_path: Path, rc: ModuleType, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A download folder holding a wheel and an sdist; pip must not be called."""
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    _wheel(
        downloads / "demo_pkg-1.0-py3-none-any.whl",
        {
            "demo_pkg/__init__.py": "",
            "demo_pkg/kernels.py": KERNELS,
            "demo_pkg/plain.py": "x = 1\n",
            "demo_pkg-1.0.dist-info/METADATA": "Name: demo-pkg\n",
        },
    )
    _sdist(downloads / "other-2.0.tar.gz", {"other-2.0/other.py": OTHER})

    def no_pip(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"pip was called: {args}")

    monkeypatch.setattr(rc.subprocess, "run", no_pip)
    return tmp_path


def _run(rc: ModuleType, *argv: str) -> str:
    out = io.StringIO()
    assert rc.main(list(argv), out=out) == 0
    return out.getvalue()


def test_counts_files_compiled_functions_and_codes(rc: ModuleType, tree: Path) -> None:
    report = tree / "out.json"
    text = _run(
        rc, "demo-pkg==1.0", "other==2.0", "--dir", str(tree), "-j", "1", "--json", str(report)
    )
    data = json.loads(report.read_text())
    demo = data["packages"]["demo-pkg==1.0"]
    assert demo["archive"] == "demo_pkg-1.0-py3-none-any.whl"
    assert demo["files"] == 3
    assert demo["files_with_compiled_functions"] == 1
    assert demo["compiled_functions"] == 2
    assert demo["compiled_by_target"] == {"cpu": 1, "parallel": 1}
    assert demo["diagnostics_by_code"] == {
        "NB202": {
            "name": "untyped-global-function",
            "severity": "error",
            "count": 1,
            "per_1000_compiled": 500.0,
        }
    }
    assert demo["diagnostics_by_severity"] == {"error": 1, "warning": 0, "info": 0}
    assert demo["per_1000_compiled_by_severity"]["error"] == 500.0
    other = data["packages"]["other==2.0"]
    assert (other["files"], other["compiled_functions"], other["diagnostics_by_code"]) == (1, 1, {})
    assert data["total"]["compiled_functions"] == 3
    assert data["total"]["per_1000_compiled_by_severity"]["error"] == pytest.approx(333.33)
    assert data["total"]["crashes"] == {}

    assert "compiled functions: 2 (cpu 1, parallel 1)" in text
    assert "1 error (500.00 per 1k)" in text
    # The listing names each error where it is, relative to the download folder.
    assert "demo_pkg-1.0/demo_pkg/kernels.py:11:12: NB202 [error]" in text
    # Unpacked once; the second run reuses the folders.
    assert (tree / "demo_pkg-1.0" / rc.UNPACKED_MARK).is_file()
    assert (tree / "other-2.0" / "other-2.0" / "other.py").is_file()


def test_select_is_passed_through(rc: ModuleType, tree: Path) -> None:
    report = tree / "out.json"
    _run(
        rc, "demo-pkg==1.0", "--dir", str(tree), "-j", "1", "--select", "NB1", "--json", str(report)
    )
    data = json.loads(report.read_text())
    assert data["select"] == ["NB1"]
    assert data["packages"]["demo-pkg==1.0"]["diagnostics_by_code"] == {}
    assert data["packages"]["demo-pkg==1.0"]["compiled_functions"] == 2


def test_download_only_lints_nothing(rc: ModuleType, tree: Path) -> None:
    text = _run(rc, "other==2.0", "--dir", str(tree), "--download-only")
    assert text == f"other==2.0: {tree / 'other-2.0'}\n"


def test_a_crash_is_reported_and_the_run_goes_on(
    rc: ModuleType, tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from numba_check import engine

    real = engine.check_text

    def check_text(source: str, filename: str, config: Any) -> Any:
        if filename.endswith("other.py"):
            raise TypeError("boom")
        return real(source, filename, config)

    monkeypatch.setattr(engine, "check_text", check_text)
    report = tree / "out.json"
    text = _run(
        rc, "other==2.0", "demo-pkg==1.0", "--dir", str(tree), "-j", "1", "--json", str(report)
    )
    data = json.loads(report.read_text())
    crash = data["packages"]["other==2.0"]["crashes"]["other-2.0/other-2.0/other.py"]
    assert crash.startswith("TypeError: boom (in test_real_code_script.py:")
    assert data["packages"]["demo-pkg==1.0"]["compiled_functions"] == 2
    assert "numba-check crashed on 1 file(s)" in text


def test_counting_context_is_removed_after_a_serial_run(rc: ModuleType, tree: Path) -> None:
    from numba_check import engine

    before = engine.ModuleContext
    _run(rc, "other==2.0", "--dir", str(tree), "-j", "1", "--list", "none")
    assert engine.ModuleContext is before


def test_downloads_with_pip_when_missing(
    rc: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []

    class Done:
        def __init__(self, code: int) -> None:
            self.returncode = code

    def fake_pip(command: list[str], check: bool) -> Done:
        calls.append(command)
        if "--only-binary" in command:
            return Done(1)  # no wheel: the sdist is tried next
        dest = Path(command[command.index("--dest") + 1])
        _sdist(dest / "fresh-3.1.tar.gz", {"fresh-3.1/fresh.py": "x = 1\n"})
        return Done(0)

    monkeypatch.setattr(rc.subprocess, "run", fake_pip)
    text = _run(rc, "fresh==3.1", "--dir", str(tmp_path), "--download-only")
    assert text == f"fresh==3.1: {tmp_path / 'fresh-3.1'}\n"
    assert [c[c.index("download") + 1 :] for c in calls] == [
        [
            "--no-deps",
            "--disable-pip-version-check",
            "--quiet",
            flag,
            ":all:",
            "--dest",
            str(tmp_path / "downloads"),
            "fresh==3.1",
        ]
        for flag in ("--only-binary", "--no-binary")
    ]


@pytest.mark.parametrize(
    ("text", "requirement", "name", "version"),
    [
        ("numba", "numba==0.68.1", "numba", "0.68.1"),
        ("numba==0.60.0", "numba==0.60.0", "numba", "0.60.0"),
        ("Demo.Pkg", "Demo.Pkg", "demo_pkg", None),
    ],
)
def test_parse_spec(
    rc: ModuleType, text: str, requirement: str, name: str, version: str | None
) -> None:
    assert rc.parse_spec(text) == rc.Spec(requirement, name, version)


def test_parse_spec_refuses_ranges(rc: ModuleType) -> None:
    with pytest.raises(ValueError, match="name==version"):
        rc.parse_spec("numba>=0.57")


@pytest.mark.parametrize(
    ("archive", "version"),
    [
        ("demo_pkg-1.0-py3-none-any.whl", "1.0"),
        ("demo-pkg-1.0.tar.gz", "1.0"),
        ("demo_pkg-1.0.zip", "1.0"),
        ("demo_pkgs-1.0-py3-none-any.whl", None),
        ("demo_pkg-1.0.egg", None),
    ],
)
def test_archive_version(rc: ModuleType, archive: str, version: str | None) -> None:
    assert rc.archive_version(rc.parse_spec("demo-pkg"), Path(archive)) == version


def test_a_wheel_is_preferred_to_an_sdist(rc: ModuleType, tmp_path: Path) -> None:
    for name in ("pkg-1.0.tar.gz", "pkg-1.0-py3-none-any.whl", "pkg-0.9-py3-none-any.whl"):
        (tmp_path / name).touch()
    assert rc.find_archive(rc.parse_spec("pkg==1.0"), tmp_path).name == "pkg-1.0-py3-none-any.whl"
    assert rc.find_archive(rc.parse_spec("pkg==2.0"), tmp_path) is None
