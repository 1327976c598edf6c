"""What the text alone says: no numba import, or no entry point's name, means nothing to compile."""

from __future__ import annotations

import ast

import pytest

from numba_check.engine import build_config, check_text
from numba_check.module_context import ModuleContext
from numba_check.prefilter import may_compile, may_use_numba
from numba_check.selection import Selection
from tests.conformance.corpus import load_corpus
from tests.rules.cases import all_cases


@pytest.mark.parametrize(
    ("source", "imports", "compiles"),
    [
        ("import numba\n@numba.njit\ndef f(): pass\n", True, True),
        ("from numba import njit as fast\n@fast\ndef f(): pass\n", True, True),
        ("import numba.cuda as cu\n@cu.jit\ndef k(a): pass\n", True, True),
        ("from numba.extending import overload_method\n", True, True),
        ("from numba import prange, types\nx = types.float64\n", True, False),
        ("import numba\nprint(numba.__version__)\n", True, False),
        ("# numba is not imported here: njit\n", False, False),
        ("def jitter(): pass\n", False, False),  # `jit` only as part of a word
        # Imported, however the import is spelled.
        ("from numba import (\n    prange,\n    njit as fast,\n)\n", True, True),
        ("from numba import prange, \\\n    jit\n", True, True),
        ("import os; from numba import jit\n", True, True),
        ("try: from numba import jit\nexcept ImportError: pass\n", True, True),
        ("from numba . core.decorators import jit\n", True, True),
        ("x = 1\r\rfrom numba import njit\r", True, True),
        # Reached as an attribute, across lines.
        ("import numba as nb\nfast = (nb\n    .njit)\n", True, True),
        ("import numba\nfast = numba. \\\n    njit\n", True, True),
        # A star import may bind any name.
        ("from numba import *\n@njit\ndef f(): pass\n", True, True),
        ("from numba import*\n@njit\ndef f(): pass\n", True, True),
        # Any tokenisation Python accepts (issue 17): a backslash after any token, a form feed
        # before the statement or between its tokens, `import(`.
        ("from \\\n numba import njit\n", True, True),
        ("from numba \\\n import njit\n", True, True),
        ("from\\\nnumba\\\nimport\\\nnjit\n", True, True),
        ("import os, \\\n  numba\nnumba.njit\n", True, True),
        ("import \\\r\nnumba\r\nnumba.njit\r\n", True, True),
        ("\x0cfrom numba import njit\n", True, True),
        ("x = 1\n\x0cimport numba\nnumba.njit\n", True, True),
        ("from\x0cnumba\x0cimport\x0cnjit\n", True, True),
        ("from numba import(njit)\n", True, True),
        ("if x: \\\n    from numba import njit\n", True, True),
        # Only in comments, docstrings and other names' imports: nothing can be compiled.
        ('import numba\n"""Functions to jit."""\n# njit is not used here\n', True, False),
        ("from numba import prange\njit = 1\n", True, False),
        ("import numba\n# from numba import njit\n", True, False),
    ],
)
def test_imports_and_entry_point_names(source, imports, compiles):
    assert may_use_numba(source) is imports
    assert may_compile(source) is compiles


def test_no_module_with_compiled_code_is_left_out():
    """Every rule case and every snippet of the conformance corpus in which the engine finds
    a compiled function passes the prefilter."""
    sources = [case.code for _rule, case in all_cases()]
    sources += [snippet.source for snippet in load_corpus()]
    checked = 0
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        if ModuleContext(tree, source).compiled:
            checked += 1
            assert may_compile(source), source
    assert checked > 1000


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


ZEROS = "def f(n):\n    return np.zeros(n, dtype=int)\n"


@pytest.mark.parametrize(
    "source",
    [
        "from numba import *\nimport numpy as np\n@njit\n" + ZEROS,
        "import numpy as np\nfrom \\\n numba import njit\n@njit\n" + ZEROS,
        "import numpy as np\nimport \\\n numba\n@numba.njit\n" + ZEROS,
        "import numpy as np\n\x0cfrom numba import njit\n@njit\n" + ZEROS,
    ],
    ids=["star-import", "backslash-from", "backslash-import", "form-feed"],
)
def test_such_modules_are_checked(source):
    # Not only let through: the function is found compiled (`from numba import *` binds
    # numba.__all__) and the rule fires, as Numba refuses `dtype=int` in np.zeros.
    config = build_config(Selection(), (0, 68, 1))
    assert [d.code for d in check_text(source, "m.py", config)] == ["NB307"]


@pytest.mark.parametrize(
    "line",
    ["import x;", "from a import x;", "  \\\n", "import" + " " * 50],
)
def test_time_is_linear_in_the_input(line):
    # Each statement is scanned once: thousands of imports on a line, or of continued blank
    # lines, cost no more per statement than a few (this took seconds when the scan of each
    # `;` or line start went on to the end of the line).
    import time

    def cost(n: int) -> float:
        text = "numba njit\n" + line * n + "x\n"
        start = time.perf_counter()
        may_use_numba(text), may_compile(text)
        return time.perf_counter() - start

    cost(100)
    assert cost(40_000) < 2.0
