"""benchmarks/libcst_floor.py on a tiny tree: which text it times, and what it prints."""

from __future__ import annotations

import textwrap
from types import ModuleType

import pytest

from tests.benchmark_scripts import load_script

MODULE = textwrap.dedent(
    """\
    from numba import njit


    @njit(cache=True)
    def outer(x):
        @njit
        def inner(y):
            return y
        return inner(x)


    def plain():
        return 1


    class TestIt:
        def test_closure(self):
            @njit
            def f(x):
    # a comment in the first column
                return x

            assert f(1) == 1
    """
)


@pytest.fixture(scope="module")
def floor() -> ModuleType:
    return load_script("libcst_floor")


def test_only_the_outermost_compiled_functions_are_timed(floor):
    found = floor.compiled_texts(MODULE)
    texts = [text for text, _ in found]
    assert [rows for _, rows in found] == [6, 4]
    assert len(texts) == 2  # `inner` is inside `outer`; `plain` and the test are not compiled
    assert texts[0].startswith("@njit(cache=True)\ndef outer(x):")
    assert "return inner(x)" in texts[0]
    # The closure keeps its indentation under `if True:`, comment and all, and parses.
    assert texts[1].startswith("if True:\n        @njit\n")
    assert "def plain" not in "".join(texts)


def test_the_report(floor, tmp_path, capsys):
    package = tmp_path / floor.PACKAGES[0] / "pkg"
    package.mkdir(parents=True)
    (package / "kernels.py").write_text(MODULE, encoding="utf-8")
    (package / "plain.py").write_text("def f():\n    return 1\n", encoding="utf-8")
    assert floor.main(["--dir", str(tmp_path), "--flake8-seconds", "12"]) == 0
    out = capsys.readouterr().out
    assert "modules that may use Numba: 1 (of 2 files)" in out
    assert "compiled functions alone (10 lines)" in out
    assert "6x faster than flake8 (12.0 s) on 2 CPUs: 4.0 CPU-s" in out


def test_a_tree_that_is_not_there_is_named(floor, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        floor.main(["--dir", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "real_code.py" in capsys.readouterr().err
