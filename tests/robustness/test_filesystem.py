"""The file system misbehaving: unreadable files, link loops, files that vanish mid-run, FIFOs,
a cache that cannot be used. Each gives the exact diagnostic, the exit code, and no traceback."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from numba_check import api, discovery, reading
from tests.cli.snippets import CLEAN, NB101, NB302
from tests.robustness.helpers import lint, lint_in_process

NB101_IN = ("NB101", 8, 5)


def found(report) -> list[tuple[str, str, int, int]]:
    return [(f, c, r, col) for f, c, r, col in report.found]


# -- unreadable files ---------------------------------------------------------------------


def test_unreadable_file(project, run):
    project.write("ok.py", NB101)
    secret = project.write("secret.py", NB101)
    secret.chmod(0)
    try:
        if os.access(secret, os.R_OK):
            pytest.skip("running as root (or with CAP_DAC_OVERRIDE): mode 000 is readable")
        report = lint(run, ".")
    finally:
        secret.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert found(report) == [("ok.py", *NB101_IN), ("secret.py", "NB905", 1, 1)]
    assert report.messages[1] == "Cannot read file: Permission denied"
    assert report.code == 1


def test_permission_denied_when_reading(project, run, monkeypatch):
    # The same as mode 000, also where the tests run as root: reading raises PermissionError.
    project.write("ok.py", NB101)
    project.write("secret.py", NB101)
    real = reading.read_bytes

    def read_bytes(path: Path) -> bytes:
        if Path(path).name == "secret.py":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(reading, "read_bytes", read_bytes)
    report = lint(run, ".")
    assert found(report) == [("ok.py", *NB101_IN), ("secret.py", "NB905", 1, 1)]
    assert report.messages[1] == "Cannot read file: Permission denied"
    assert report.code == 1


def test_unreadable_file_with_fix_is_left_alone(project, run, monkeypatch):
    project.write("a.py", NB302)
    monkeypatch.setattr(reading, "read_bytes", _refuse)
    report = lint(run, "--fix", "a.py")
    assert found(report) == [("a.py", "NB905", 1, 1)]
    monkeypatch.undo()
    assert project.read("a.py") == NB302


def _refuse(path: Path) -> bytes:
    raise PermissionError(13, "Permission denied", str(path))


def _name(path: object) -> str | None:
    # os.scandir is also given open folders (shutil.rmtree does that): those have no name.
    return Path(path).name if isinstance(path, (str, os.PathLike)) else None


def test_unreadable_folder_is_skipped_and_the_rest_checked(project, run, monkeypatch):
    # Discovery skips a folder it cannot list (discovery._walk). Mode 000 would not stop root,
    # so listing it raises PermissionError here.
    project.write("a/m.py", NB101)
    project.write("secret/m.py", NB101)
    project.write("z/m.py", NB101)
    real = discovery.os.scandir

    def scandir(path):
        if _name(path) == "secret":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    report = lint(run, ".")
    assert found(report) == [
        (str(Path("a", "m.py")), *NB101_IN),
        (str(Path("z", "m.py")), *NB101_IN),
    ]
    assert report.code == 1


def test_folder_deleted_during_the_walk(project, run, monkeypatch):
    project.write("a/m.py", NB101)
    project.write("b/gone.py", NB101)
    project.write("c/m.py", NB101)
    real = discovery.os.scandir

    def scandir(path):
        # The walk lists the root, then each folder: b vanishes once a is listed.
        if _name(path) == "a":
            shutil.rmtree(project.root / "b")
        return real(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    report = lint(run, ".")
    assert found(report) == [
        (str(Path("a", "m.py")), *NB101_IN),
        (str(Path("c", "m.py")), *NB101_IN),
    ]
    assert report.code == 1


# -- files that change during the run ----------------------------------------------------


def _deleting_after_discovery(monkeypatch, *victims: Path) -> None:
    real = api.discover

    def discover(*args, **kwargs):
        files = real(*args, **kwargs)
        for victim in victims:
            victim.unlink()
        return files

    monkeypatch.setattr(api, "discover", discover)


def test_file_deleted_between_discovery_and_reading(project, run, monkeypatch):
    project.write("a.py", NB101)
    _deleting_after_discovery(monkeypatch, project.write("gone.py", NB101))
    report = lint(run, ".")
    assert found(report) == [("a.py", *NB101_IN), ("gone.py", "NB905", 1, 1)]
    assert report.messages[1] == "Cannot read file: No such file or directory"
    assert report.code == 1


def test_file_deleted_before_fixing_is_not_recreated(project, run, monkeypatch):
    _deleting_after_discovery(monkeypatch, project.write("gone.py", NB302))
    report = lint(run, "--fix", ".")
    assert found(report) == [("gone.py", "NB905", 1, 1)]
    assert not (project.root / "gone.py").exists()


def test_files_deleted_during_a_parallel_run(project, monkeypatch):
    count = api.PARALLEL_THRESHOLD + 6
    paths = [project.write(f"m{i:03}.py", NB101 if i % 2 else CLEAN) for i in range(count)]
    _deleting_after_discovery(monkeypatch, *paths[::5])
    settings = api.Settings(cache=False, project_root=project.root)
    result = api.run(["."], settings, jobs=2)
    expected = []
    for i, path in enumerate(paths):
        if i % 5 == 0:
            expected.append((path.name, "NB905"))
        elif i % 2:
            expected.append((path.name, "NB101"))
    assert [(d.filename, d.code) for d in result.diagnostics] == expected


# -- links and special files --------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="POSIX links")
def test_directory_link_loops_in_a_process(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text(NB101)
    (tmp_path / "pkg" / "up").symlink_to("..")  # back to the root
    (tmp_path / "pkg" / "self").symlink_to(".")
    (tmp_path / "a").mkdir()
    (tmp_path / "c").mkdir()
    (tmp_path / "a" / "to_c").symlink_to("../c")  # a -> c -> a
    (tmp_path / "c" / "to_a").symlink_to("../a")
    (tmp_path / "loop1.py").symlink_to("loop2.py")  # file links in a loop: not a file
    (tmp_path / "loop2.py").symlink_to("loop1.py")
    (tmp_path / "dangling.py").symlink_to("nowhere.py")
    report = lint_in_process(".", cwd=tmp_path, timeout=120)
    assert found(report) == [
        ("dangling.py", "NB905", 1, 1),
        (str(Path("pkg", "m.py")), *NB101_IN),
    ]
    assert report.messages[0] == "Cannot read file: No such file or directory"
    assert report.code == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_named_like_a_module_is_not_read(tmp_path):
    # Reading a FIFO blocks until someone writes to it: the walk must not hand it over.
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "to_pipe.py").symlink_to("pipe.py")
    (tmp_path / "m.py").write_text(NB101)
    report = lint_in_process(".", cwd=tmp_path, timeout=60)
    assert found(report) == [("m.py", *NB101_IN)]


# -- the cache ----------------------------------------------------------------------------


def test_cache_dir_that_is_a_file(project, run):
    project.write("a.py", NB101)
    project.write("cache", "not a folder\n")
    for _ in range(2):
        result = run("--output-format", "concise", "--cache-dir", "cache", "a.py")
        assert (result.code, result.out[:16]) == (1, "a.py:8:5: NB101 ")
        assert "Traceback" not in result.err
    assert project.read("cache") == "not a folder\n"


@pytest.mark.parametrize("garbage", ["", "{", "{}", '[{"code": 1}]', "[[1, 2]]", "\udcff"])
def test_corrupt_cache_entries_are_misses(project, run, garbage):
    project.write("a.py", NB101)
    project.write("b.py", NB302)
    args = ("--output-format", "concise", "--cache-dir", "cache", ".")
    first = run(*args)
    entries = [p for p in (project.root / "cache").rglob("*.json")]
    assert len(entries) == 2
    for entry in entries:
        entry.write_text(garbage, encoding="utf-8", errors="surrogateescape")
    again = run(*args)
    assert (again.code, again.out) == (first.code, first.out) == (1, again.out)
    assert "NB101" in again.out and "NB302" in again.out
