"""The linter's confirmation: the file and line a message names, linted."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from numba_check.explain import Confidence, SourceLocation, explain, lint_locations

from .conftest import untyped_helper_message


def test_without_a_file_the_patterns_rank(tmp_path: Path) -> None:
    found = explain(untyped_helper_message(tmp_path / "gone.py"))
    assert found.codes == ("NB202", "NB201", "NB303")
    assert all(c.linted is None for c in found.candidates)


def test_the_linter_confirms_the_rule_at_the_named_line(module: Path) -> None:
    found = explain(untyped_helper_message(module))
    first = found.candidates[0]
    assert first.code == "NB202"
    assert first.linted == SourceLocation(str(module.resolve()), 10)
    assert first.pattern == "untyped-global-function"
    assert first.confidence is Confidence.MEDIUM
    # The other candidates stay, after it, unconfirmed.
    assert found.codes[1:] == ("NB201", "NB303")
    assert all(c.linted is None for c in found.candidates[1:])


def test_the_linter_can_add_a_rule_no_pattern_named(module: Path) -> None:
    # A message no pattern knows, naming the line of the `%` format.
    text = f'TypingError: something new\nFile "{module}", line 15:\n    ^\n'
    found = explain(text)
    assert [(c.code, c.pattern, c.matched) for c in found.candidates] == [("NB204", None, "")]
    assert found.candidates[0].linted == SourceLocation(str(module.resolve()), 15)


def test_no_lint_reads_no_file(module: Path) -> None:
    found = explain(untyped_helper_message(module), lint=False)
    assert all(c.linted is None for c in found.candidates)


def test_a_line_without_diagnostics_confirms_nothing(module: Path) -> None:
    found = explain(untyped_helper_message(module, line=5))
    assert found.codes == ("NB202", "NB201", "NB303")
    assert all(c.linted is None for c in found.candidates)


def test_installed_packages_are_not_linted(tmp_path: Path) -> None:
    installed = tmp_path / "lib" / "site-packages" / "pkg" / "kernels.py"
    installed.parent.mkdir(parents=True)
    installed.write_text(
        "from numba import njit\n\ndef h(x):\n    return x\n\n@njit\ndef f(x):\n    return h(x)\n"
    )
    assert lint_locations([SourceLocation(str(installed), 8)]) == {}


def test_unreadable_and_non_python_files_are_skipped(tmp_path: Path) -> None:
    binary = tmp_path / "kernels.py"
    binary.write_bytes(b"\xff\xfe\x00 not text")
    other = tmp_path / "notes.txt"
    other.write_text("x")
    assert lint_locations([SourceLocation(str(binary), 1), SourceLocation(str(other), 1)]) == {}


def test_numba_is_never_imported(module: Path) -> None:
    """Explaining (with the linter) and rendering work where Numba is broken or absent."""
    script = textwrap.dedent(
        f"""
        import sys
        from numba_check.explain import explain
        from numba_check.explain.page import markdown_page
        from numba_check.explain.report import render_text, to_json

        found = explain({untyped_helper_message(module)!r})
        assert found.candidates[0].linted is not None
        render_text(found), to_json(found), markdown_page()
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("numba", "numpy")))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
