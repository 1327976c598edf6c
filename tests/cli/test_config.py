"""[tool.numba-check] in pyproject.toml, its precedence under the command line, its errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from numba_check.settings import (
    DEFAULT_EXCLUDE,
    NEWEST_KNOWN_NUMBA,
    ConfigError,
    Settings,
    default_target_numba,
    load_settings,
)
from tests.cli.snippets import NB101, NB302


def codes(text: str) -> set[str]:
    return set(re.findall(r": (NB\d{3}) ", text))


def test_pyproject_select(project, run):
    project.pyproject('select = ["NB3"]\n')
    project.write("a.py", NB101 + NB302.replace("def f(", "def g("))
    assert codes(run("--output-format", "concise", "a.py").out) == {"NB302"}


def test_cli_select_replaces_pyproject_select_and_ignore(project, run):
    project.pyproject('select = ["NB3"]\nignore = ["NB101"]\n')
    project.write("a.py", NB101 + NB302.replace("def f(", "def g("))
    assert codes(run("--output-format", "concise", "--select", "NB1", "a.py").out) == {"NB101"}


def test_cli_ignore_adds_to_pyproject_ignore(project, run):
    project.pyproject('ignore = ["NB101"]\n')
    project.write("a.py", NB101 + NB302.replace("def f(", "def g("))
    assert run("--ignore", "NB302", "a.py").code == 0


def test_cli_extend_select_adds_to_pyproject(project, run):
    project.pyproject('select = ["NB1"]\nextend-select = ["NB904"]\n')
    project.write("a.py", NB101 + "y = 2  # noqa: NB501\n" + NB302.replace("def f(", "def g("))
    found = codes(run("--output-format", "concise", "--extend-select", "NB3", "a.py").out)
    assert found == {"NB101", "NB302", "NB904"}


def test_pyproject_output_format_and_cli_override(project, run):
    project.pyproject('output-format = "concise"\n')
    project.write("a.py", NB101)
    assert run("a.py").out.startswith("a.py:8:5: NB101")
    assert run("--output-format", "json", "a.py").out.startswith("[")


def test_target_numba_from_pyproject_and_cli(project, run):
    project.write("a.py", NB101)
    project.pyproject('target-numba = "0.46"\n')
    # Before 0.47 Numba had no try/except at all: another rule says so.
    assert codes(run("--output-format", "concise", "a.py").out) == {"NB105"}
    found = codes(run("--output-format", "concise", "--target-numba", "0.60.0", "a.py").out)
    assert found == {"NB101"}


def test_config_found_from_a_subfolder(project, run, monkeypatch):
    project.pyproject('ignore = ["NB101"]\n')
    project.write("pkg/sub/a.py", NB101)
    monkeypatch.chdir(project.root / "pkg" / "sub")
    assert run("a.py").code == 0


def test_pyproject_without_our_table_is_skipped(project, run, monkeypatch):
    project.pyproject('ignore = ["NB101"]\n')
    project.write("pkg/pyproject.toml", "[project]\nname = 'x'\n")
    project.write("pkg/a.py", NB101)
    monkeypatch.chdir(project.root / "pkg")
    assert run("a.py").code == 0


def test_explicit_config(project, run):
    project.write("conf/pyproject.toml", '[tool.numba-check]\nignore = ["NB1"]\n')
    project.pyproject('select = ["NB3"]\n')
    project.write("a.py", NB101)
    assert run("a.py").code == 0  # only NB3 selected by ./pyproject.toml
    assert run("--config", "conf/pyproject.toml", "a.py").code == 0
    assert run("--isolated", "a.py").code == 1


def test_missing_explicit_config(project, run):
    project.write("a.py", NB101)
    result = run("--config", "nope.toml", "a.py")
    assert result.code == 2
    assert result.err == "numba-check: error: --config: no such file: nope.toml\n"


def test_fix_from_pyproject(project, run):
    project.pyproject("fix = true\n")
    project.write("a.py", NB302)
    assert run("a.py").code == 0
    assert "np.zeros((n, m))" in project.read("a.py")
    project.write("b.py", NB302)
    assert run("--no-fix", "b.py").code == 1


PREFIX = "numba-check: error: pyproject.toml [tool.numba-check]"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('target-numba = "abc"\n', f"{PREFIX} target-numba: not a Numba version: 'abc'"),
        ("target-numba = 0.6\n", f"{PREFIX} target-numba: expected a version string"),
        ('select = ["NB999"]\n', f"{PREFIX} select: unknown rule selector 'NB999'"),
        ('select = "NB1"\n', f"{PREFIX} select: expected a list of strings, got 'NB1'"),
        ("ignore = [1]\n", f"{PREFIX} ignore: expected a list of strings"),
        ('fix = "yes"\n', f"{PREFIX} fix: expected true or false, got 'yes'"),
        ('output-format = "xml"\n', f"{PREFIX} output-format: unknown output format 'xml'"),
        ('selec = ["NB1"]\n', f"{PREFIX}: unknown option 'selec' (did you mean 'select'?)"),
        ('extend_select = ["NB1"]\n', f"{PREFIX}: unknown option 'extend_select'"),
        ('per-file-ignores = ["x"]\n', f"{PREFIX} per-file-ignores: expected a table"),
        (
            '[tool.numba-check.per-file-ignores]\n"a.py" = ["NB0"]\n',
            f"{PREFIX} per-file-ignores 'a.py': unknown rule selector 'NB0'",
        ),
        ("exclude = 3\n", f"{PREFIX} exclude: expected a list of strings, got 3"),
        ("cache-dir = 3\n", f"{PREFIX} cache-dir: expected a path"),
        ("select = [\n", "numba-check: error: pyproject.toml: invalid TOML"),
    ],
)
def test_bad_pyproject_values(project, run, body, message):
    project.pyproject(body)
    project.write("a.py", NB101)
    result = run("a.py")
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(message)
    assert len(result.err.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--target-numba", "abc"), "--target-numba: not a Numba version: 'abc'"),
        (("--target-numba", "1"), "--target-numba: not a Numba version: '1'"),
        (("--output-format", "xml"), "--output-format: unknown output format 'xml'"),
    ],
)
def test_bad_cli_values(project, run, args, message):
    project.write("a.py", NB101)
    result = run(*args, "a.py")
    assert result.code == 2
    assert result.err == f"numba-check: error: {message}" + result.err.split(message, 1)[1]
    assert len(result.err.splitlines()) == 1


# -- load_settings directly -------------------------------------------------------------------


def test_defaults(tmp_path: Path):
    settings = load_settings(cwd=tmp_path)
    assert settings == Settings(project_root=tmp_path, target_numba=settings.target_numba)
    assert settings.exclude == DEFAULT_EXCLUDE
    assert settings.config_file is None


def test_default_target_is_the_installed_numba():
    from importlib.metadata import version

    installed = tuple(int(p) for p in version("numba").split(".")[:3])
    assert default_target_numba() == installed


def test_default_target_without_numba(monkeypatch):
    from importlib import metadata

    from numba_check import installed

    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(installed, "version", lambda name: None)
    monkeypatch.setattr(metadata, "version", missing)
    assert default_target_numba() == tuple(int(p) for p in NEWEST_KNOWN_NUMBA.split("."))


@pytest.mark.parametrize(
    ("text", "expected"), [("0.61.0rc1", (0, 61, 0)), ("0.62.0.dev0+12.gabc", (0, 62, 0))]
)
def test_default_target_from_prerelease(monkeypatch, text, expected):
    from importlib import metadata

    from numba_check import installed

    monkeypatch.setattr(installed, "version", lambda name: None)  # importlib decides
    monkeypatch.setattr(metadata, "version", lambda name: text)
    assert default_target_numba() == expected


def test_default_target_read_from_the_metadata_folder_name(monkeypatch, tmp_path):
    # Without importing importlib.metadata: the first `numba-X.dist-info` on sys.path.
    (tmp_path / "numba-0.61.0rc1.dist-info").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "numba-0.58.0.dist-info").mkdir()
    monkeypatch.setattr("sys.path", [str(tmp_path), str(tmp_path / "other")])
    assert default_target_numba() == (0, 61, 0)


def test_no_plugin_folder_means_no_entry_point_scan(monkeypatch, tmp_path):
    from numba_check import installed

    dist = tmp_path / "somepkg-1.0.dist-info"
    dist.mkdir()
    (dist / "entry_points.txt").write_text("[console_scripts]\nx = y:z\n")
    monkeypatch.setattr("sys.path", [str(tmp_path)])
    assert not installed.may_have_entry_points("numba_check")
    (dist / "entry_points.txt").write_text("[numba_check]\nmine = pkg.plugin\n")
    assert installed.may_have_entry_points("numba_check")
    monkeypatch.setattr("sys.path", [str(tmp_path), str(tmp_path / "lib.zip")])
    (tmp_path / "lib.zip").write_bytes(b"PK")  # only importlib can look inside: maybe
    (dist / "entry_points.txt").write_text("[console_scripts]\nx = y:z\n")
    assert installed.may_have_entry_points("numba_check")


def test_exclude_patterns_are_anchored_where_written(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.numba-check]\nextend-exclude = ["gen/*.py", "scratch"]\n'
    )
    sub = tmp_path / "sub"
    sub.mkdir()
    settings = load_settings({"extend-exclude": ["local/x.py"]}, cwd=sub)
    assert settings.project_root == tmp_path
    assert settings.extend_exclude == (
        f"{tmp_path.as_posix()}/gen/*.py",
        "scratch",
        f"{sub.as_posix()}/local/x.py",
    )


def test_config_error_is_an_exception_with_the_source(tmp_path: Path):
    with pytest.raises(ConfigError, match=r"^--select: unknown rule selector 'NB000'$"):
        load_settings({"select": ["NB000"]}, cwd=tmp_path)
