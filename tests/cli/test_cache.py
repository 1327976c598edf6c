"""The content-hash cache: hits give the same answer, corrupt entries are ignored."""

from __future__ import annotations

from numba_check.cache import Cache
from numba_check.model import Applicability, Diagnostic, Edit, Fix, Location, Severity
from tests.cli.snippets import NB101, NB302


def cache_files(root):
    return sorted((root / ".numba_check_cache").rglob("*.json"))


def test_cache_folder_is_marked(project, run):
    project.write("a.py", NB101)
    run("a.py")
    folder = project.root / ".numba_check_cache"
    tag = (folder / "CACHEDIR.TAG").read_text()
    assert tag.startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert len(cache_files(project.root)) == 1


def test_cache_hit_gives_the_same_output(project, run):
    project.write("a.py", NB101 + NB302.replace("def f(", "def g("))
    first = run("--output-format", "json", "a.py")
    second = run("--output-format", "json", "a.py")
    assert first == second


def test_cache_is_keyed_by_settings(project, run):
    project.write("a.py", NB101)
    assert run("a.py").code == 1
    assert run("--ignore", "NB101", "a.py").code == 0
    assert run("--target-numba", "0.46", "--output-format", "concise", "a.py").out.count("NB105")


def test_cache_sees_edits(project, run):
    project.write("a.py", NB101)
    assert run("a.py").code == 1
    project.write("a.py", "import numba\n")
    assert run("a.py").code == 0


def test_corrupt_cache_is_ignored(project, run):
    project.write("a.py", NB101)
    run("a.py")
    for entry in cache_files(project.root):
        entry.write_text("{not json")
    result = run("--output-format", "concise", "a.py")
    assert result.code == 1
    assert "NB101" in result.out


def test_no_cache(project, run):
    project.write("a.py", NB101)
    run("--no-cache", "a.py")
    assert not (project.root / ".numba_check_cache").exists()


def test_cache_dir(project, run):
    project.write("a.py", NB101)
    run("--cache-dir", "elsewhere", "a.py")
    assert (project.root / "elsewhere" / "CACHEDIR.TAG").exists()
    assert not (project.root / ".numba_check_cache").exists()


def test_cache_dir_in_pyproject(project, run):
    project.pyproject('cache-dir = "tmp/c"\n')
    project.write("a.py", NB101)
    run("a.py")
    assert (project.root / "tmp" / "c" / "CACHEDIR.TAG").exists()


def test_round_trip(tmp_path):
    cache = Cache(tmp_path / "cache", "fp")
    diag = Diagnostic(
        code="NB302",
        name="shape-as-list",
        message="m",
        severity=Severity.ERROR,
        filename="a.py",
        location=Location(3, 4),
        end_location=Location(3, 9),
        fix=Fix(Applicability.SAFE, "fix it", (Edit(Location(3, 4), Location(3, 9), "(a)"),)),
        url="https://example.org",
        cell=2,
    )
    key = cache.key("a.py", "text")
    assert cache.get(key, "a.py") is None
    cache.put(key, [diag])
    assert cache.get(key, "a.py") == (diag,)
    assert cache.get(key, "a.py")[0].cell == 2
    assert cache.key("b.py", "text") != key
    assert Cache(tmp_path / "cache", "other").key("a.py", "text") != key


def test_read_only_cache_folder_is_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    cache = Cache(blocker / "sub", "fp")  # cannot create a folder under a file
    cache.put("ab" * 32, [])
    assert cache.get("ab" * 32, "a.py") is None
