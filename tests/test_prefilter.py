"""What the text alone says: no numba import, or no entry point's name, means nothing to compile."""

from __future__ import annotations

import pytest

from numba_check.engine import build_config, check_text
from numba_check.prefilter import may_compile, may_use_numba
from numba_check.selection import Selection


@pytest.mark.parametrize(
    ("source", "imports", "compiles"),
    [
        ("import numba\n@numba.njit\ndef f(): pass\n", True, True),
        ("from numba import njit as fast\n@fast\ndef f(): pass\n", True, True),
        ("import numba.cuda as cu\n@cu.jit\ndef k(a): pass\n", True, True),
        ("from numba.extending import overload_method\n", True, True),
        ("from numba import prange, types\nx = types.float64\n", True, False),
        ("import numba\nprint(numba.__version__)\n", True, False),
        ("# numba is not imported here: njit\n", False, True),
        ("def jitter(): pass\n", False, False),  # `jit` only as part of a word
    ],
)
def test_imports_and_entry_point_names(source, imports, compiles):
    assert may_use_numba(source) is imports
    assert may_compile(source) is compiles


def test_a_module_that_compiles_nothing_is_not_parsed():
    config = build_config(Selection(), (0, 68, 1))
    assert check_text("import numba\n\ndef f(:\n    pass\n", "m.py", config) == ()
    assert check_text("import numba\nx = numba.__version__\n", "m.py", config) == ()
    # One that names an entry point is, even where the name is not (yet) used as one.
    (found,) = check_text("from numba import njit\n\ndef f(:\n    pass\n", "m.py", config)
    assert found.code == "NB901"


def test_a_module_that_compiles_nothing_still_reports_its_unused_noqa():
    config = build_config(Selection(extend_select=("NB904",)), (0, 68, 1))
    (found,) = check_text("import numba\nx = 1  # noqa: NB101\n", "m.py", config)
    assert (found.code, found.location.line) == ("NB904", 2)
