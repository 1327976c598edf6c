"""What numba-check writes cannot harm the user's files: the cache folder is never reached
through a link out of the project, never marked unless numba-check made it; fixes are written
atomically, keep the file's mode and links, and never overwrite an edit made during the run;
a cache entry cannot inject a fix."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from numba_check import api, fixes, safe_files
from numba_check.cache import Cache, package_stamp
from tests.cli.snippets import NB101, NB302, NB302_FIXED
from tests.robustness.helpers import no_traceback

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX links and modes")

GITIGNORE = "keep me\n"


def _outside(tmp_path: Path) -> Path:
    """A folder beside the project (the project is tmp_path/"project", the working folder)."""
    folder = tmp_path.parent / f"{tmp_path.name}-outside"
    folder.mkdir()
    return folder


@pytest.fixture
def project(tmp_path, monkeypatch):
    # The project is a subfolder, so that "outside the project" is still inside tmp_path.
    from tests.cli.conftest import Project

    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.chdir(root)
    monkeypatch.delenv("NUMBA_CHECK_DEBUG", raising=False)
    return Project(root)


def _files_under(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


# -- the cache folder ----------------------------------------------------------------------


def test_shipped_gitignore_link_in_the_cache_folder_is_not_followed(project, run, tmp_path):
    victim = _outside(tmp_path) / "victim.txt"
    victim.write_text(GITIGNORE)
    cache = project.root / ".numba_check_cache"
    cache.mkdir()
    (cache / ".gitignore").symlink_to(victim)
    (cache / "CACHEDIR.TAG").symlink_to(victim)
    project.write("a.py", NB101)
    for _ in range(2):
        result = run("a.py")
        assert result.code == 1
        no_traceback(result.out, result.err)
    assert victim.read_text() == GITIGNORE


def test_shipped_cache_folder_link_is_not_written_through(project, run, tmp_path):
    elsewhere = _outside(tmp_path)
    (elsewhere / ".gitignore").write_text(GITIGNORE)
    (project.root / ".numba_check_cache").symlink_to(elsewhere, target_is_directory=True)
    project.write("a.py", NB101)
    for _ in range(2):
        assert run("a.py").code == 1
    assert _files_under(elsewhere) == {".gitignore": GITIGNORE.encode()}


def test_cache_dir_naming_an_existing_folder_outside_is_not_marked(project, run, tmp_path):
    elsewhere = _outside(tmp_path)
    (elsewhere / ".gitignore").write_text(GITIGNORE)
    project.pyproject(f'cache-dir = "../{elsewhere.name}"\n')
    project.write("a.py", NB101)
    for _ in range(2):
        assert run("a.py").code == 1
    assert _files_under(elsewhere) == {".gitignore": GITIGNORE.encode()}


def test_cache_dir_outside_that_numba_check_makes_is_used(project, run, tmp_path):
    made = tmp_path / "made-by-us"
    project.pyproject('cache-dir = "../made-by-us"\n')
    project.write("a.py", NB101)
    assert run("a.py").code == 1
    assert (made / "CACHEDIR.TAG").is_file()
    assert (made / ".gitignore").read_text() == "# Created by numba-check.\n*\n"
    assert list(made.rglob("*.json"))


def test_cache_folder_behind_a_link_to_a_folder_outside(project, run, tmp_path):
    elsewhere = _outside(tmp_path)
    (project.root / "build").symlink_to(elsewhere, target_is_directory=True)
    project.pyproject('cache-dir = "build/cache"\n')
    project.write("a.py", NB101)
    assert run("a.py").code == 1
    assert not (elsewhere / "cache").exists()


def test_cache_entry_links_are_not_followed(project, run, tmp_path):
    # A shipped cache, marked as ours, whose entries and subfolders are links.
    project.write("a.py", NB101)
    project.write("b.py", NB302)
    assert run("a.py", "b.py").code == 1
    cache = project.root / ".numba_check_cache"
    entries = sorted(cache.rglob("*.json"))
    assert len(entries) == 2
    victim = _outside(tmp_path) / "victim.json"
    victim.write_text(GITIGNORE)
    entries[0].unlink()
    entries[0].symlink_to("/dev/zero")  # read: would never end
    entries[1].unlink()
    entries[1].symlink_to(victim)
    project.write("a.py", NB101 + "\n")  # new keys: entries are written again
    result = run("a.py", "b.py")
    assert result.code == 1 and "NB101" in result.out and "NB302" in result.out
    assert victim.read_text() == GITIGNORE


def test_cache_subfolder_link_out_is_not_written_through(project, run, tmp_path):
    project.write("a.py", NB101)
    assert run("a.py").code == 1
    cache = project.root / ".numba_check_cache"
    version = next(cache.glob("v*"))
    elsewhere = _outside(tmp_path)
    os.rename(version, elsewhere / "moved")
    version.symlink_to(elsewhere / "moved", target_is_directory=True)
    before = _files_under(elsewhere)
    project.write("a.py", NB101 + "\n")
    assert run("a.py").code == 1
    assert _files_under(elsewhere) == before


def test_fifo_as_cache_entry_does_not_block(tmp_path):
    cache = Cache(tmp_path / "cache", "fp")
    key = "ab" * 32
    cache.put(key, [])
    entry = next((tmp_path / "cache").rglob("*.json"))
    entry.unlink()
    os.mkfifo(entry)
    assert cache.get(key, "a.py") is None  # returns at once: no writer will ever come


# -- the cache key -------------------------------------------------------------------------


def test_cache_key_covers_the_python_version(monkeypatch):
    before = package_stamp()
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    assert package_stamp() != before


def test_cache_key_covers_the_package_data_files():
    data = Path(api.__file__).parent / "knowledge" / "data" / "numpy-limits.toml"
    info = data.stat()
    before = package_stamp()
    try:
        os.utime(data, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
        assert package_stamp() != before
    finally:
        os.utime(data, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_forged_cached_fix_is_not_applied(project, run):
    project.write("a.py", NB302)
    assert run("a.py").code == 1  # fills the cache, with the genuine fix
    (entry,) = (project.root / ".numba_check_cache").rglob("*.json")
    data = json.loads(entry.read_text())
    data[0]["fix"]["edits"].append([1, 0, 1, 0, "import os; os.system('touch pwned')\n"])
    entry.write_text(json.dumps(data))
    assert run("a.py").code == 1  # the forged entry is what a check reads
    result = run("--fix", "a.py")
    assert result.code == 0, result.err
    assert project.read("a.py") == NB302_FIXED
    assert not (project.root / "pwned").exists()


# -- fixes written to disk -----------------------------------------------------------------


def test_fix_keeps_the_mode(project, run):
    path = project.write("a.py", NB302)
    path.chmod(0o640)
    assert run("--fix", "a.py").code == 0
    assert project.read("a.py") == NB302_FIXED
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in project.root.iterdir() if p.name.endswith(".tmp")] == []


def test_fix_through_a_link_in_the_project_keeps_the_link(project, run):
    real = project.write("lib/real.py", NB302)
    link = project.root / "a.py"
    link.symlink_to("lib/real.py")
    assert run("--fix", "a.py").code == 0
    assert link.is_symlink() and os.readlink(link) == "lib/real.py"
    assert real.read_text() == NB302_FIXED


def test_fix_through_a_link_out_of_the_project_is_refused(project, run, tmp_path):
    victim = _outside(tmp_path) / "victim.py"
    victim.write_text(NB302)
    (project.root / "a.py").symlink_to(victim)
    result = run("--fix", "--output-format", "concise", "a.py")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == (
        f"a.py:1:1: NB905 error: Fixes not written: a.py is a link to {victim}, outside the project"
    )
    assert lines[1].startswith("a.py:7:21: NB302 ")
    assert "Found 2 errors." in result.out  # nothing counted as fixed
    assert victim.read_text() == NB302


def test_fix_leaves_an_edit_made_meanwhile(project, run, monkeypatch):
    path = project.write("a.py", NB302)
    edited = NB302 + "# saved by the user while --fix ran\n"
    real_fix = fixes.fix_source

    def fix_while_the_user_saves(*args, **kwargs):
        result = real_fix(*args, **kwargs)
        path.write_text(edited)  # the editor saves between the read and the write
        return result

    monkeypatch.setattr("numba_check.fixes.fix_source", fix_while_the_user_saves)
    result = run("--fix", "--output-format", "concise", "a.py")
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "a.py:1:1: NB905 error: Fixes not written: the file changed on disk while it was being checked;"
        " run again"
    )
    assert "Found 2 errors." in result.out  # nothing counted as fixed
    assert path.read_text() == edited


@pytest.mark.parametrize(
    "failing", ["write", "fsync", "replace"], ids=["write", "flush to disk", "rename"]
)
def test_failed_write_leaves_the_original_bytes(project, run, monkeypatch, failing):
    path = project.write("a.py", NB302)
    project.write("b.py", NB302)

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    if failing == "write":
        real_mkstemp = safe_files.tempfile.mkstemp

        def mkstemp(*args, **kwargs):
            fd, name = real_mkstemp(*args, **kwargs)
            if ".a.py." in name:
                os.close(fd)  # the write then fails on a closed descriptor
                fd = os.open(os.devnull, os.O_RDONLY)
            return fd, name

        monkeypatch.setattr(safe_files.tempfile, "mkstemp", mkstemp)
    elif failing == "fsync":
        real_fsync = os.fsync
        monkeypatch.setattr(
            safe_files.os,
            "fsync",
            lambda fd: full_disk() if os.fstat(fd).st_size > 0 else real_fsync(fd),
        )
    else:
        monkeypatch.setattr(safe_files.os, "replace", full_disk)
    result = run("--fix", "--output-format", "concise", ".")
    assert result.code == 1
    assert path.read_text() == NB302
    assert result.out.startswith("a.py:1:1: NB905 error: Cannot write fixes to file: ")
    assert result.out.splitlines()[0].endswith("; the file was left as it was")
    assert [p.name for p in project.root.iterdir() if p.name.endswith(".tmp")] == []
    if failing == "write":
        assert project.read("b.py") == NB302_FIXED
        assert "(1 fixed, 2 remaining)" in result.out
    no_traceback(result.out, result.err)


def test_file_size_limit_leaves_the_file_whole(project):
    # Under RLIMIT_FSIZE a write past the limit fails (Python ignores SIGXFSZ): the old code
    # truncated the file first and left it cut mid-loop.
    body = "".join(f"    total += {i}\n" for i in range(200))
    source = NB302 + "\n\n@numba.njit\ndef g():\n    total = 0\n" + body + "    return total\n"
    path = project.write("a.py", source)
    limit = len(source.encode()) // 2  # the file is already longer: only new writes fail
    script = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
        from numba_check.cli import main
        sys.exit(main(["--no-cache", "--fix", "--output-format", "concise", "a.py"]))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=project.root, capture_output=True, text=True
    )
    assert done.returncode == 1, done.stderr
    assert path.read_text() == source
    assert "NB905 error: Cannot write fixes to file: File too large" in done.stdout
    assert [p.name for p in project.root.iterdir() if p.name.endswith(".tmp")] == []
