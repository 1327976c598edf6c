"""`numba-check explain [FILE]`: stdin or a file, text or JSON, exit 0 / 1 / 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from numba_check.rules import RULES_BY_CODE

from .conftest import untyped_helper_message
from .messages import recorded

EXCEPT_CLASS = next(m for m in recorded("0.68") if m.id == "NB101-invalid-2").text
UFUNC_KEYWORD = next(m for m in recorded("0.68") if m.id == "NB309-invalid-0").text
UNKNOWN = (
    "numba.core.errors.TypingError: Failed in nopython mode pipeline (step: nopython frontend)\n"
    "Something Numba has never said before\n\n"
    "During: typing of call at /somewhere/else/kernels.py (12)\n"
    # The same place again, relative to the directory Numba ran in.
    'File "../../somewhere/else/kernels.py", line 12:\n'
    "def f(x):\n"
    "    ^\n"
)


def test_a_file(run, tmp_path: Path) -> None:
    (tmp_path / "error.txt").write_text(EXCEPT_CLASS)
    result = run("explain", "error.txt")
    assert result.code == 0, result.err
    rule = RULES_BY_CODE["NB101"]
    assert result.out.startswith("Numba's message:\n    TypingError: Failed in nopython mode")
    assert "  NB101 exception-class-match (high confidence)\n" in result.out
    assert (
        "      matched: UnsupportedError: Exception matching is limited to <class 'Exception'>\n"
        in result.out
    )
    # The documentation, as `numba-check rule NB101` prints it.
    assert f"# {rule.name} (NB101)\n\n{rule.documentation()}" in result.out
    assert result.err == ""


@pytest.mark.parametrize("args", [("explain",), ("explain", "-")])
def test_standard_input(run, args: tuple[str, ...]) -> None:
    result = run(*args, stdin=EXCEPT_CLASS)
    assert result.code == 0
    assert "NB101 exception-class-match" in result.out


def test_several_rules_first_documented_others_named(run) -> None:
    result = run("explain", stdin=UFUNC_KEYWORD)
    assert result.code == 0
    assert "  NB309 ufunc-out-keyword (high confidence)\n" in result.out
    assert "  NB310 ufunc-keyword-argument (high confidence)\n" in result.out
    assert "# ufunc-out-keyword (NB309)" in result.out
    assert "# ufunc-keyword-argument (NB310)" not in result.out
    assert "Documentation of the other rules (NB310): `numba-check rule CODE`." in result.out
    # The matched line is shown once for the rules of one pattern.
    assert result.out.count("matched: ") == 1


def test_json(run) -> None:
    result = run("explain", "--output-format", "json", stdin=EXCEPT_CLASS)
    assert result.code == 0
    data = json.loads(result.out)
    assert data["error"] == "TypingError"
    assert data["message"][0].startswith("TypingError: Failed in nopython mode pipeline")
    assert {"filename": "snippet_NB101_invalid_2.py", "row": 5} in data["locations"]
    (candidate,) = data["candidates"]
    assert candidate == {
        "code": "NB101",
        "name": "exception-class-match",
        "severity": "error",
        "confidence": "high",
        "pattern": "exception-matching-limited",
        "matched": "UnsupportedError: Exception matching is limited to <class 'Exception'>",
        "linter": None,
        "summary": RULES_BY_CODE["NB101"].summary(),
        "documentation": RULES_BY_CODE["NB101"].documentation(),
    }


def test_the_linter_confirms_the_named_line(run, module: Path) -> None:
    result = run("explain", stdin=untyped_helper_message(module))
    assert result.code == 0
    where = f"{module.resolve()}:10"
    assert (
        f"  NB202 untyped-global-function (medium confidence), reported by the linter at {where}\n"
        in result.out
    )
    data = json.loads(
        run("explain", "--output-format", "json", stdin=untyped_helper_message(module)).out
    )
    assert data["candidates"][0]["linter"] == {"filename": str(module.resolve()), "row": 10}
    assert (
        "reported by the linter"
        not in run("explain", "--no-lint", stdin=untyped_helper_message(module)).out
    )


def test_no_rule_covers_it(run) -> None:
    result = run("explain", stdin=UNKNOWN)
    assert result.code == 1
    assert "Something Numba has never said before" in result.out
    assert "No rule of numba-check covers this message." in result.out
    assert "\nIt names /somewhere/else/kernels.py:12: `numba-check` on that file" in result.out
    assert "https://numba.readthedocs.io/en/stable/user/troubleshoot.html" in result.out
    data = json.loads(run("explain", "--output-format", "json", stdin=UNKNOWN).out)
    assert data["candidates"] == []


@pytest.mark.parametrize(
    ("args", "stdin", "error"),
    [
        (("explain",), "", "explain: standard input is empty: give the text of a Numba error"),
        (("explain", "-"), "  \n\n", "explain: standard input is empty"),
        (("explain", "missing.txt"), "", "explain: cannot read missing.txt: No such file"),
        (
            ("explain",),
            'Traceback (most recent call last):\n  File "a.py", line 1, in <module>\n    f()\n',
            "explain: no error message in the input, only a traceback's frames",
        ),
    ],
)
def test_bad_input_exits_2(run, args: tuple[str, ...], stdin: str, error: str) -> None:
    result = run(*args, stdin=stdin)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"numba-check: error: {error}")


def test_an_empty_file(run, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = run("explain", "empty.txt")
    assert (result.code, result.err) == (
        2,
        "numba-check: error: explain: empty.txt is empty: give the text of a Numba error\n",
    )


def test_a_bad_format_is_a_usage_error(run) -> None:
    result = run("explain", "--output-format", "sarif", stdin=EXCEPT_CLASS)
    assert result.code == 2
    assert "invalid choice: 'sarif'" in result.err


def test_help_lists_explain(run) -> None:
    assert "explain" in run("--help").out
    help_text = run("explain", "--help").out
    assert "--output-format" in help_text and "--no-lint" in help_text


def test_console_entry_reads_a_pipe(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "numba_check", "explain", "--output-format", "json"],
        input=EXCEPT_CLASS,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert [c["code"] for c in json.loads(done.stdout)["candidates"]] == ["NB101"]
