"""The --verify interface: flags and configuration, Numba missing, another target version,
JSON and --statistics, the cache, timeouts and crashed workers."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from numba_check.cli import main
from numba_check.settings import ConfigError, load_settings
from numba_check.verify import verify_sources
from numba_check.verify.pool import run_all
from numba_check.verify.recipe import Recipe, Result

pytest.importorskip("numba")

REFUSED = """
import numba

@numba.njit
def f(n):
    return n.no_such_attribute

@numba.njit
def g(x):
    return x + 1

if __name__ == "__main__":
    f(3)
    g(2.5)
"""


def _project(tmp_path: Path, text: str = REFUSED, config: str = "") -> Path:
    (tmp_path / "kernels.py").write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    if config:
        (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    return tmp_path


def test_settings(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.numba-check]\nverify = true\nverify-timeout = 5\n")
    settings = load_settings(config=config)
    assert settings.verify is True and settings.verify_timeout == 5.0
    assert load_settings({"verify": False}, config=config).verify is False  # --no-verify
    assert load_settings({"verify-timeout": "2.5"}, config=config).verify_timeout == 2.5
    for bad in ("0", "-1", "soon", "inf"):
        with pytest.raises(ConfigError, match="--verify-timeout: expected a positive number"):
            load_settings({"verify-timeout": bad}, config=config)


def test_without_numba_one_line_and_exit_2(tmp_path: Path) -> None:
    _project(tmp_path)
    script = textwrap.dedent(
        f"""
        import sys
        sys.modules["numba"] = None  # what find_spec reports for a missing module
        from numba_check.cli import main
        sys.exit(main([{str(tmp_path)!r}, "--verify", "--no-cache"]))
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "--verify needs Numba installed" in lines[0], proc.stderr
    assert proc.stdout == ""


def test_other_target_version_is_said_once(tmp_path: Path, capsys, monkeypatch) -> None:
    _project(tmp_path, "import numba\n\nx = 1\n")
    monkeypatch.chdir(tmp_path)
    code = main(["kernels.py", "--verify", "--no-cache", "--target-numba", "0.60"])
    err = capsys.readouterr().err
    assert code == 0
    assert err.count("target-numba is 0.60.0 but Numba") == 1
    assert "--verify compiles with the installed Numba" in err


def test_json_statistics_and_exit_codes(tmp_path: Path, capsys, monkeypatch) -> None:
    _project(tmp_path, REFUSED + "\n@numba.njit\ndef h(x):\n    return np2.sin(x)\n\nh(1.0)\n")
    monkeypatch.chdir(tmp_path)
    assert main(["kernels.py", "--no-cache", "--output-format", "json"]) == 0  # static: clean
    capsys.readouterr()
    code = main(["kernels.py", "--verify", "--no-cache", "--output-format", "json"])
    out = capsys.readouterr()
    assert code == 1
    found = json.loads(out.out)
    assert [d["code"] for d in found] == ["NB950"]
    assert found[0]["location"]["row"] == 5 and found[0]["severity"] == "error"
    assert "1 refused" in out.err and "1 could not be verified" in out.err
    # NB951 is counted by --statistics though not selected, and selected it is listed.
    main(["kernels.py", "--verify", "--no-cache", "--statistics", "--output-format", "json"])
    rows = {r["code"]: r["count"] for r in json.loads(capsys.readouterr().out)}
    assert rows == {"NB950": 1, "NB951": 1}
    main(
        [
            "kernels.py",
            "--verify",
            "--no-cache",
            "--extend-select",
            "NB951",
            "-q",
            "--output-format",
            "json",
        ]
    )
    listed = json.loads(capsys.readouterr().out)
    assert sorted(d["code"] for d in listed) == ["NB950", "NB951"]
    assert "np2" in next(d["message"] for d in listed if d["code"] == "NB951")


def test_a_warm_run_compiles_nothing(tmp_path: Path) -> None:
    from numba_check.settings import Settings

    _project(tmp_path)
    settings = Settings(cache_dir=tmp_path / "cache", project_root=tmp_path)
    files = [("kernels.py", tmp_path / "kernels.py", (tmp_path / "kernels.py").read_text())]
    cold = verify_sources(files, settings, jobs=1)
    warm = verify_sources(files, settings, jobs=1)
    assert cold.compiled_recipes == 2 and warm.compiled_recipes == 0
    assert warm.functions_without_times() == cold.functions_without_times()
    assert warm.diagnostics == cold.diagnostics
    assert (tmp_path / "cache" / "verify" / "CACHEDIR.TAG").is_file()


def test_timeout_costs_one_function(tmp_path: Path, capsys, monkeypatch) -> None:
    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    # No compilation ends in a millisecond: each function times out, and the run goes on.
    code = main(
        [
            "kernels.py",
            "--verify",
            "--no-cache",
            "--verify-timeout",
            "0.001",
            "--extend-select",
            "NB951",
            "--output-format",
            "concise",
            "-q",
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert out.count("the compiler timed out after 0.001 s") == 2, out
    assert "NB950" not in out


def crashing_worker(connection) -> None:  # pragma: no cover - runs in a worker process
    """A worker that dies on recipe "boom" and answers the others."""
    import os

    connection.send(("ready", None))
    while True:
        job = connection.recv()
        if job is None:
            return
        index, recipe = job
        if recipe.name == "boom":
            os._exit(3)
        connection.send((index, Result(untyped="fine")))


def test_a_crash_costs_one_function() -> None:
    recipes = [Recipe("m.py", name, 1, "m.py", name, (), ()) for name in ("a", "boom", "b", "c")]
    results: dict[int, Result] = {}
    run_all(recipes, workers=2, timeout=60, done=results.__setitem__, target=crashing_worker)
    assert results[1].failure == "crashed"
    assert [results[i].untyped for i in (0, 2, 3)] == ["fine"] * 3
