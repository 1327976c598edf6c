"""Normalising what users paste: colours, tracebacks, chains, pytest's E lines, excerpts."""

from __future__ import annotations

import re

import pytest

from numba_check.explain import SourceLocation, exception_text, explain, parse

from .messages import recorded

# Numba 0.68's text for `except ValueError:` (NB101-invalid-2), as printed with highlighting off.
EXCEPT_CLASS = next(m for m in recorded("0.68") if m.id == "NB101-invalid-2").text
UNTYPED_HELPER = next(m for m in recorded("0.68") if m.id == "existing-calls-untyped-helper").text


def highlight(text: str) -> str:
    """`text` with the bold escapes Numba adds by default around its lines."""
    return "\n".join(f"\x1b[1m{line}\x1b[0m" if line.strip() else line for line in text.split("\n"))


def test_the_message_lines_are_kept_the_machinery_dropped() -> None:
    parsed = parse(EXCEPT_CLASS)
    assert parsed.lines == (
        "TypingError: Failed in nopython mode pipeline (step: nopython frontend)",
        "No implementation of function Function(<intrinsic exception_match>) found for signature:",
        ">>> exception_match(none, ValueError)",
        "UnsupportedError: Exception matching is limited to <class 'Exception'>",
    )
    assert parsed.errors == ("TypingError", "UnsupportedError")
    assert parsed.error == "TypingError"


def test_source_excerpt_and_during_lines_become_locations() -> None:
    parsed = parse(EXCEPT_CLASS)
    # Numba quotes `except ValueError:` from the source: it is not part of the message.
    assert not any("except ValueError" in line for line in parsed.lines)
    assert SourceLocation("snippet_NB101_invalid_2.py", 5) in parsed.locations
    assert SourceLocation("/snippets/snippet_NB101_invalid_2.py", 5) in parsed.locations


def test_colours_are_ignored() -> None:
    coloured = highlight(EXCEPT_CLASS)
    assert "\x1b[" in coloured
    assert parse(coloured) == parse(EXCEPT_CLASS)
    assert explain(coloured, lint=False).codes == ("NB101",)


def test_windows_line_endings() -> None:
    assert parse(EXCEPT_CLASS.replace("\n", "\r\n")) == parse(EXCEPT_CLASS)


def traceback_of(message: str, frames: list[tuple[str, int, str]]) -> str:
    lines = ["Traceback (most recent call last):"]
    for path, line, func in frames:
        lines += [f'  File "{path}", line {line}, in {func}', "    do_something()", "    ^^^^^^"]
    return "\n".join(lines) + "\n" + message


def test_a_whole_traceback() -> None:
    text = traceback_of(
        UNTYPED_HELPER,
        [
            ("/home/me/project/run.py", 12, "<module>"),
            (
                "/venv/lib/python3.11/site-packages/numba/core/dispatcher.py",
                468,
                "_compile_for_args",
            ),
        ],
    )
    parsed = parse(text)
    assert (
        parsed.lines[0] == "TypingError: Failed in nopython mode pipeline (step: nopython frontend)"
    )
    assert not any("do_something" in line or "File" in line for line in parsed.lines)
    frames = [loc for loc in parsed.locations if loc.path.startswith(("/home", "/venv"))]
    # Innermost frame first; Numba's own files are known as installed ones.
    assert frames == [
        SourceLocation("/venv/lib/python3.11/site-packages/numba/core/dispatcher.py", 468),
        SourceLocation("/home/me/project/run.py", 12),
    ]
    assert frames[0].installed and not frames[1].installed
    assert explain(text, lint=False).codes[0] == "NB202"


def test_chained_exceptions_keep_both_and_report_the_last() -> None:
    text = (
        traceback_of('ValueError: bad token in signature "3"', [("/p/a.py", 3, "<module>")])
        + "\n\nThe above exception was the direct cause of the following exception:\n\n"
        + traceback_of("RuntimeError: could not build the ufunc", [("/p/b.py", 9, "<module>")])
    )
    parsed = parse(text)
    assert parsed.error == "RuntimeError"
    assert 'ValueError: bad token in signature "3"' in parsed.lines
    assert explain(text, lint=False).codes == ("NB451",)


def test_pytest_failure_lines() -> None:
    report = "\n".join(
        [
            "    def test_it():",
            ">       f(1.0)",
            "",
            "tests/test_a.py:9: ",
            "_ _ _ _ _ _ _ _ _ _ _ _",
            *(f"E   {line}" if line else "E" for line in EXCEPT_CLASS.splitlines()),
        ]
    )
    parsed = parse(report)
    assert parsed.lines == parse(EXCEPT_CLASS).lines
    assert explain(report, lint=False).codes == ("NB101",)


def test_the_plugins_trimmed_report() -> None:
    report = (
        "numba-check: Numba cannot compile 'parse' (python -> njit) in nopython mode\n"
        "TypingError:\n"
        "    Failed in nopython mode pipeline (step: nopython frontend)\n"
        "    UnsupportedError: Exception matching is limited to <class 'Exception'>\n"
        '    File "test_x.py", line 6:\n'
        "    def parse(x):\n"
        "        <source elided>\n"
        "        except ValueError:\n"
        "        ^\n"
    )
    assert explain(report, lint=False).codes == ("NB101",)
    assert SourceLocation("test_x.py", 6) in parse(report).locations


def test_raised_from_trailer() -> None:
    text = next(m for m in recorded("0.68") if m.id == "NB112-invalid-0").text
    parsed = parse(text)
    assert parsed.lines == (
        "UnsupportedBytecodeError: Use of unsupported opcode (STORE_GLOBAL) found",
    )
    assert SourceLocation("/snippets/snippet_NB112_invalid_0.py", 6) in parsed.locations


def test_an_exception_without_a_message() -> None:
    parsed = parse("AssertionError\n")
    assert parsed.lines == ("AssertionError",)
    assert parsed.error == "AssertionError"


@pytest.mark.parametrize("text", ["", "\n\n", "Traceback (most recent call last):\n"])
def test_nothing_to_explain(text: str) -> None:
    assert parse(text).empty


def test_exception_text_follows_the_chain() -> None:
    try:
        try:
            raise KeyError("inner")
        except KeyError as inner:
            raise ValueError("Multiple argument raise is not supported.") from inner
    except ValueError as exc:
        text = exception_text(exc)
    assert re.search(r"KeyError: 'inner'.*ValueError: Multiple argument", text, re.S)
    assert "Traceback" not in text
    assert explain(text, lint=False).codes == ("NB104",)
