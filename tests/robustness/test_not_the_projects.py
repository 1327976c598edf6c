"""What is not the project's own cannot stop a run (issue 17).

A broken pyproject.toml in a folder above the project that does not configure numba-check, one
bad notebook, a path that cannot be read, a FIFO or a device named on the command line: each is
one warning or one diagnostic, and every other file is still checked. A third-party plugin whose
rule or output format raises is named in one line (exit 2), not reported as numba-check's bug.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from numba_check import hookimpl, plugins
from numba_check.model import Severity
from numba_check.rules.base import Rule
from tests.cli.snippets import NB101
from tests.robustness.helpers import lint, lint_in_process, no_traceback

NB101_IN = ("NB101", 8, 5)


def run_in(folder: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NUMBA_CHECK")}
    return subprocess.run(
        [sys.executable, "-m", "numba_check", "--no-cache", "--output-format", "concise", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


# -- configuration files above the project -------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b'[tool.black]\nline-length = "\xff\xfe"\n', id="not-utf8"),
        pytest.param(b"deep = " + b"[" * 100_000 + b"]" * 100_000 + b"\n", id="nested-100000"),
        pytest.param(b"[tool.black\n", id="invalid-toml"),
    ],
)
def test_a_broken_pyproject_that_is_not_ours_is_passed_over(tmp_path: Path, content: bytes):
    (tmp_path / "pyproject.toml").write_bytes(content)
    project = tmp_path / "checkout"
    project.mkdir()
    (project / "m.py").write_text(NB101, encoding="utf-8")
    done = run_in(project, "m.py")
    no_traceback(done.stdout, done.stderr)
    assert done.returncode == 1, done.stderr
    assert "m.py:8:5: NB101" in done.stdout
    warning = [line for line in done.stderr.splitlines() if "warning" in line]
    assert len(warning) == 1, done.stderr
    assert warning[0].startswith("numba-check: warning: ../pyproject.toml: ")
    assert warning[0].endswith("passed over, as it does not configure numba-check")


def test_a_broken_pyproject_that_configures_us_is_an_error(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_bytes(b'[tool.numba-check]\nselect = ["\xff"]\n')
    (tmp_path / "m.py").write_text(NB101, encoding="utf-8")
    done = run_in(tmp_path, "m.py")
    assert done.returncode == 2
    assert done.stderr.startswith("numba-check: error: pyproject.toml: invalid TOML: not UTF-8")
    no_traceback(done.stderr)


# -- files that cannot be checked -------------------------------------------------------------


def test_a_deeply_nested_notebook_is_one_diagnostic(project, run):
    project.write("deep.ipynb", "[" * 100_000 + "]" * 100_000)
    project.write("m.py", NB101)
    report = lint(run, ".")
    assert report.found == [("deep.ipynb", "NB901", 1, 1), ("m.py", *NB101_IN)]
    assert report.messages[0] == "Cannot parse notebook: JSON nested too deeply"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev/zero")
def test_fifos_devices_sockets_and_missing_paths_are_refused(tmp_path: Path):
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "zero.py").symlink_to("/dev/zero")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(tmp_path / "sock.py"))
    except OSError:  # a path too long for a socket address
        server.close()
        server = None
    (tmp_path / "m.py").write_text(NB101, encoding="utf-8")
    named = ["pipe.py", "zero.py", "/dev/zero", "missing.py", "m.py"]
    if server is not None:
        named.append("sock.py")
    start = time.monotonic()
    try:
        report = lint_in_process(*named, cwd=tmp_path, timeout=60)
    finally:
        if server is not None:
            server.close()
    assert time.monotonic() - start < 60  # nothing blocked (a FIFO opened for reading would)
    by_file = dict(zip((f for f, *_ in report.found), report.messages, strict=True))
    assert by_file["pipe.py"] == "Cannot read file: a FIFO (named pipe), not a regular file"
    assert by_file["zero.py"] == "Cannot read file: a character device, not a regular file"
    assert by_file["/dev/zero"] == "Cannot read file: a character device, not a regular file"
    assert by_file["missing.py"] == "Cannot read file: No such file or directory"
    if server is not None:
        assert by_file["sock.py"].startswith("Cannot read file: ")
    assert ("m.py", *NB101_IN) in report.found
    assert {c for _, c, *_ in report.found} == {"NB905", "NB101"}


# -- plugins that raise -----------------------------------------------------------------------


class FailingRule(Rule):
    """## What it does
    Raises, to show how numba-check reports a plugin's bug.

    ## Why is this bad?
    It is not.

    ## Example
    ```python
    x = 1
    ```

    ## Use instead
    ```python
    x = 1
    ```
    """

    code = "NB871"
    name = "always-raises"
    severity = Severity.INFO
    message = "never reported"

    def visit_Return(self, node: Any) -> None:
        raise ZeroDivisionError("the plugin's own bug")


class FailingPlugin:
    @hookimpl
    def numba_check_add_rules(self) -> list[type[Rule]]:
        return [FailingRule]

    @hookimpl
    def numba_check_add_output_formats(self) -> dict[str, Any]:
        def render(diagnostics: Any, ctx: Any) -> str:
            raise KeyError("no such field")

        def silent(diagnostics: Any, ctx: Any) -> Any:
            return None

        return {"broken": render, "silent": silent}


class WithFailingPlugin(plugins.Plugins):
    """The plugins as if FailingPlugin were installed under the entry-point name "failing"."""

    def _load_entry_points(self) -> None:
        self._register(FailingPlugin(), "failing")


@pytest.fixture
def failing_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plugins, "load_plugins", lambda blocked=(): WithFailingPlugin(blocked))


HINT = " (disable it with --disable-plugins failing or NUMBA_CHECK_DISABLE_PLUGINS=failing)"


def test_a_plugin_rule_that_raises_is_named_in_one_line(project, run, failing_plugin):
    project.write("m.py", NB101)
    result = run("--no-cache", "m.py")
    assert result.code == 2
    assert result.err == (
        "numba-check: error: plugin 'failing': rule NB871 (always-raises) failed on m.py: "
        f"ZeroDivisionError: the plugin's own bug{HINT}\n"
    )


def test_a_plugin_format_that_raises_is_named_in_one_line(project, run, failing_plugin):
    project.write("m.py", NB101)
    result = run("--no-cache", "--ignore", "NB871", "--output-format", "broken", "m.py")
    assert result.code == 2
    assert result.err == (
        "numba-check: error: plugin 'failing': output format 'broken' failed: "
        f"KeyError: 'no such field'{HINT}\n"
    )


def test_a_plugin_format_that_returns_no_text_is_named_in_one_line(project, run, failing_plugin):
    project.write("m.py", NB101)
    result = run("--no-cache", "--ignore", "NB871", "--output-format", "silent", "m.py")
    assert result.code == 2
    assert result.err == (
        "numba-check: error: plugin 'failing': output format 'silent' returned NoneType, "
        f"not text{HINT}\n"
    )


def test_a_builtin_rule_that_raises_is_still_our_bug(project, run, monkeypatch):
    from numba_check.rules import RULES_BY_CODE

    def explode(self: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(RULES_BY_CODE["NB101"], "finish", explode)
    project.write("m.py", NB101)
    result = run("--no-cache", "m.py")
    assert result.code == 2
    assert result.err.startswith("numba-check: error: internal error: RuleFailed: rule NB101 (")
    assert "failed on m.py: RuntimeError: boom" in result.err
    assert "This is a bug in numba-check" in result.err
