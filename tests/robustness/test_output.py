"""Writing things out: file names a console cannot show, an output file that cannot be written,
fixes to a file that cannot be written. A clear message and the right exit code, no traceback.

What a console can show is a property of the process's standard streams: one test per property
runs `python -m numba_check` with PYTHONIOENCODING, the others run the command line in this
process with the streams that setting gives a process (`on_console`).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from numba_check import cli, safe_files
from tests.cli.snippets import NB101, NB302, NB302_FIXED
from tests.robustness.helpers import lint, no_traceback, run_cli

FORMATS = ("concise", "full", "json", "junit", "github", "gitlab", "sarif")


@dataclass(frozen=True)
class Console:
    returncode: int
    stdout: bytes
    stderr: bytes


def on_console(monkeypatch: pytest.MonkeyPatch, encoding: str, *args: str, cwd: Path) -> Console:
    """``numba-check ARGS`` in this process, its standard streams as PYTHONIOENCODING=`encoding`
    makes a process's: that encoding, errors refused on stdout, backslash-escaped on stderr."""
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding=encoding, errors="strict", write_through=True)
    stderr = io.TextIOWrapper(err, encoding=encoding, errors="backslashreplace", write_through=True)
    with monkeypatch.context() as patch:
        patch.chdir(cwd)
        patch.delenv("NUMBA_CHECK_DEBUG", raising=False)
        patch.setattr(sys, "stdout", stdout)
        patch.setattr(sys, "stderr", stderr)
        code = cli.main(list(args))
        stdout.flush()
        stderr.flush()
    return Console(code, out.getvalue(), err.getvalue())


def test_name_an_ascii_console_cannot_show_in_a_process(tmp_path):
    (tmp_path / "café.py").write_text(NB101, encoding="utf-8")
    done = run_cli(
        "--no-cache",
        "--output-format",
        "concise",
        ".",
        cwd=tmp_path,
        env={"PYTHONIOENCODING": "ascii"},
    )
    no_traceback(done.stdout, done.stderr)
    assert done.returncode == 1
    assert "caf" in done.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_name_an_ascii_console_cannot_show(tmp_path, monkeypatch, fmt):
    (tmp_path / "café.py").write_text(NB101, encoding="utf-8")
    done = on_console(monkeypatch, "ascii", "--no-cache", "--output-format", fmt, ".", cwd=tmp_path)
    stdout = done.stdout.decode("ascii")  # strict: only what an ASCII console can show
    no_traceback(stdout, done.stderr.decode("ascii"))
    assert done.returncode == 1
    assert "caf" in stdout


def _undecodable_name(folder: Path) -> None:
    with open(os.path.join(os.fsencode(folder), b"bad\xff.py"), "wb") as handle:
        handle.write(NB101.encode())


# Where each format shows the name b"bad\xff.py" (output/base.py documents the choice).
SHOWN = "bad\\xff.py"


def _names_in(fmt: str, text: str) -> list[str]:
    if fmt in ("concise", "full", "github"):
        headers = [line for line in text.splitlines() if ":8:5: NB101" in line]
        return [line.split(":8:5: NB101", 1)[0].rsplit("::", 1)[-1] for line in headers]
    if fmt == "json":
        return [d["filename"] for d in json.loads(text)]
    if fmt == "junit":
        return [s.get("name") for s in ET.fromstring(text.encode()).iter("testsuite")]
    if fmt == "gitlab":
        return [issue["location"]["path"] for issue in json.loads(text)]
    (run,) = json.loads(text)["runs"]
    return [
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for result in run["results"]
        for loc in result["locations"]
    ]


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="names must be valid Unicode")
def test_name_with_undecodable_bytes_in_a_process(tmp_path):
    # A POSIX file name is bytes; Python gives undecodable ones as surrogate escapes.
    _undecodable_name(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "numba_check", "--no-cache", "--output-format", "json", "."],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    text = done.stdout.decode("utf-8")  # strict: no lone surrogate was written
    no_traceback(text, done.stderr.decode("utf-8"))
    assert done.returncode == 1
    assert _names_in("json", text) == [SHOWN]


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="names must be valid Unicode")
@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "output-file"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_name_with_undecodable_bytes(tmp_path, monkeypatch, fmt, to_file):
    _undecodable_name(tmp_path)
    args = ("--no-cache", "--output-format", fmt, *(("-o", "out.txt") if to_file else ()), ".")
    done = on_console(monkeypatch, "utf-8", *args, cwd=tmp_path)
    out = (tmp_path / "out.txt").read_bytes() if to_file else done.stdout
    text = out.decode("utf-8")  # strict: no lone surrogate was written
    no_traceback(text, done.stderr.decode("utf-8"))
    assert done.returncode == 1
    assert _names_in(fmt, text) == ["bad%FF.py" if fmt == "sarif" else SHOWN]


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="names must be valid Unicode")
def test_diff_of_a_name_with_undecodable_bytes(tmp_path):
    with open(os.path.join(os.fsencode(tmp_path), b"bad\xff.py"), "wb") as handle:
        handle.write(NB302.encode())
    done = subprocess.run(
        [sys.executable, "-m", "numba_check", "--no-cache", "--diff", "-o", "out.txt", "."],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
    )
    no_traceback(done.stderr.decode("utf-8"))
    assert done.returncode == 1
    diff = (tmp_path / "out.txt").read_bytes().decode("utf-8")
    assert diff.startswith(f"--- {SHOWN}\n+++ {SHOWN}\n@@ ")


@pytest.mark.parametrize("target", [".", "sub/a.py/x"])
def test_output_file_that_cannot_be_written(project, run, target):
    project.write("a.py", NB101)
    project.write("sub/a.py", "")
    result = run("--no-cache", "-o", target, "a.py")
    assert result.code == 2
    assert result.err.startswith(f"numba-check: error: --output-file: cannot write {target}: ")
    assert result.err.count("\n") == 1
    no_traceback(result.out, result.err)


def test_fix_to_a_read_only_file(project, run):
    path = project.write("ro.py", NB302)
    path.chmod(0o444)
    try:
        if os.access(path, os.W_OK):
            pytest.skip("running as root (or with CAP_DAC_OVERRIDE): mode 444 is writable")
        report = lint(run, "--fix", "ro.py")
    finally:
        path.chmod(0o644)
    assert report.found == [("ro.py", "NB905", 1, 1), ("ro.py", "NB302", 7, 21)]
    assert report.messages[0] == (
        "Cannot write fixes to file: Permission denied; the file was left as it was"
    )
    assert project.read("ro.py") == NB302


def test_fix_that_cannot_be_written_leaves_the_others_fixed(project, run, monkeypatch):
    # The same as mode 444, also where the tests run as root: writing raises PermissionError.
    project.write("a.py", NB302)
    project.write("ro.py", NB302)
    project.write("z.py", NB302)
    real = safe_files.write_fixed

    def write_fixed(path: Path, text: str, original: str, roots) -> None:
        if path.name == "ro.py":
            raise PermissionError(13, "Permission denied", str(path))
        real(path, text, original, roots)

    monkeypatch.setattr(safe_files, "write_fixed", write_fixed)  # api imports it when writing
    result = run("--no-cache", "--fix", "--output-format", "concise", ".")
    assert result.code == 1
    assert result.out.splitlines()[:2] == [
        "ro.py:1:1: NB905 error: Cannot write fixes to file: Permission denied; the file was left as it was",
        "ro.py:7:21: NB302 [*] error: " + result.out.splitlines()[1].split("error: ", 1)[-1],
    ]
    assert "Fixed 2 errors:\n- a.py:\n    1 \u00d7 NB302 (shape-as-list)\n- z.py:" in result.out
    assert "Found 4 errors (2 fixed, 2 remaining)." in result.out
    assert project.read("a.py") == project.read("z.py") == NB302_FIXED
    assert project.read("ro.py") == NB302
    no_traceback(result.out, result.err)
