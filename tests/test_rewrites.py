"""The structural fixes (numba_check.rewrites) on the spellings around a node that libcst prints
its own way: no line end on the last line, Windows line ends, tabs, characters outside ASCII
on the line, comments above the statements. Each is fixed where a text edit would be, and
nothing else changes."""

from __future__ import annotations

import pytest

from numba_check.engine import build_config, check_text
from numba_check.fixes import fix_source
from numba_check.selection import Selection

CONFIG = build_config(Selection(select=("NB",)), (0, 68, 1))


def lint(text: str):
    return check_text(text, "case.py", CONFIG)


CASES = [
    pytest.param(
        "import numba\n@numba.njit\ndef f(x):\n    try:\n        return 1 / x\n"
        "    except ZeroDivisionError:\n        return 0.0",
        "import numba\n@numba.njit\ndef f(x):\n    try:\n        return 1 / x\n"
        "    except Exception:\n        return 0.0",
        id="no-final-line-end",
    ),
    pytest.param(
        "import numba\ndef g(x):\n    return x\n@numba.njit\ndef f(x):\n    return g(x)",
        "import numba\n@numba.njit\ndef g(x):\n    return x\n@numba.njit\ndef f(x):\n"
        "    return g(x)",
        id="no-final-line-end-decorator",
    ),
    pytest.param(
        "import numba\r\n@numba.njit\r\ndef f(x):\r\n    try:\r\n        return 1 / x\r\n"
        "    except ZeroDivisionError as e:\r\n        return {i for i in range(3)}\r\n",
        "import numba\r\n@numba.njit\r\ndef f(x):\r\n    try:\r\n        return 1 / x\r\n"
        "    except Exception:\r\n        return set([i for i in range(3)])\r\n",
        id="windows-line-ends",
    ),
    pytest.param(
        "import numba\n@numba.njit\ndef f(x):\n\ttry:\n\t\treturn 1 / x\n"
        "\texcept ZeroDivisionError as e:\n\t\treturn 0.0\n",
        "import numba\n@numba.njit\ndef f(x):\n\ttry:\n\t\treturn 1 / x\n"
        "\texcept Exception:\n\t\treturn 0.0\n",
        id="tabs",
    ),
    pytest.param(
        "import numba\nimport numpy as np\n@numba.njit\ndef f(x):\n"
        '    s = "é€😀"; t = sum(i for i in x); u = np.zeros(3, dtype=int)  # 😀\n'
        "    return t, {j for j in x}, s\n",
        "import numba\nimport numpy as np\n@numba.njit\ndef f(x):\n"
        '    s = "é€😀"; t = sum([i for i in x]); u = np.zeros(3, dtype=np.int_)  # 😀\n'
        "    return t, set([j for j in x]), s\n",
        id="beyond-ascii",
    ),
    pytest.param(
        "from numba import njit\n\nclass K:\n    @staticmethod\n    @njit\n    def f(x):\n"
        "        if x:\n            try:\n                y = 1 / x\n"
        "            except (ValueError,\n                    ZeroDivisionError):\n"
        "                y = sum(\n                    i for i in range(3)\n"
        "                )\n        return y\n",
        "from numba import njit\n\nclass K:\n    @staticmethod\n    @njit\n    def f(x):\n"
        "        if x:\n            try:\n                y = 1 / x\n"
        "            except Exception:\n"
        "                y = sum(\n                    [i for i in range(3)]\n"
        "                )\n        return y\n",
        id="nested-blocks-over-lines",
    ),
    pytest.param(
        '#!/usr/bin/env python\n# A header comment.\n\n"""Docstring."""\n\nimport numba\n\n'
        "# Above f.\n@numba.njit\ndef f(a):\n    return max(x for x in a)\n\n\n"
        "# Above g.\n@numba.njit\ndef g(a):\n    return len({x for x in a})\n",
        '#!/usr/bin/env python\n# A header comment.\n\n"""Docstring."""\n\nimport numba\n\n'
        "# Above f.\n@numba.njit\ndef f(a):\n    return max([x for x in a])\n\n\n"
        "# Above g.\n@numba.njit\ndef g(a):\n    return len(set([x for x in a]))\n",
        id="header-comments-and-statements-apart",
    ),
]


@pytest.mark.parametrize(("source", "fixed"), CASES)
def test_structural_fixes_keep_the_spelling_around_them(source: str, fixed: str) -> None:
    once = fix_source(source, lint, unsafe=True)
    assert once.source == fixed
    assert fix_source(once.source, lint, unsafe=True).source == once.source
