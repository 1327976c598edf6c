"""benchmarks/same_output.py on a tiny tree: the working tree against its own last commit."""

from __future__ import annotations

import textwrap
from types import ModuleType

import pytest

from tests.benchmark_scripts import load_script

TEST_MODULE = textwrap.dedent(
    """\
    import numpy as np
    from numba import njit

    LIMIT = 3


    @njit
    def total(d):
        return len(d) + LIMIT


    def unrelated():
        return np.zeros(3)


    class TestTotal:
        def test_dict(self):
            weights = {"a": 1.0}
            assert total(weights) == 4

        def test_closure(self):
            k = 2

            @njit
            def f(x):
                try:
                    return x * k
                except Exception:
                    return 0

            assert f(1) == 2
    """
)


@pytest.fixture(scope="module")
def same_output() -> ModuleType:
    return load_script("same_output")


def test_the_working_tree_says_what_its_commit_says(same_output, tmp_path, capsys):
    for name in same_output.PACKAGES:
        package = tmp_path / name / "pkg"
        package.mkdir(parents=True)
        (package / "test_it.py").write_text(TEST_MODULE, encoding="utf-8")
        (package / "plain.py").write_text("def f():\n    return 1\n", encoding="utf-8")
    assert same_output.main(["--old", "HEAD", "--dir", str(tmp_path), "-j", "1"]) == 0
    out = capsys.readouterr().out
    assert "files: 8; diagnostics: 4; files that differ: 0; crashed (working tree): 0" in out
    assert "CPU time linting: HEAD" in out


def test_a_missing_package_is_named(same_output, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        same_output.main(["--old", "HEAD", "--dir", str(tmp_path)])
    assert exit_info.value.code == 2
    assert same_output.PACKAGES[0] in capsys.readouterr().err
