"""Fixes write a name only where it means what the rule meant (issue 17).

A rule whose fix spells a name the code did not have there (NB307 and NB308 write ``np.int_``)
declares it in ``Replacement.writes``; the engine offers the fix only where ``Names.means`` finds
that every binding the name's root may have at that spot gives it the meaning the rule wants.
The other fixes only move or re-bracket what was written (``[n, m]`` to ``(n, m)``, ``out=x``
to ``x``, ``1`` to ``1.0``): they write no new name, so ``tests/test_fix_names.py`` checks that
no rule's fix adds one without declaring it.
"""

from __future__ import annotations

import ast
import symtable

import pytest

from numba_check.api import check_source
from numba_check.names import Names
from numba_check.rules import RULES_BY_CODE

HEAD = "import numpy as np\nimport numpy\nfrom numba import njit\n"


def nb307(source: str) -> list[tuple[str, bool]]:
    return [(d.code, d.fix is not None) for d in check_source(HEAD + source)]


@pytest.mark.parametrize(
    ("body", "fixed"),
    [
        # `np` is the module here: `np.int_` is numpy.int_.
        ("@njit\ndef f(n):\n    return numpy.zeros(n, dtype=int)\n", True),
        # A local `np` anywhere in the function: `np.int_` would be that local's attribute.
        ("@njit\ndef f(n):\n    np = numpy\n    return numpy.zeros(n, dtype=int)\n", False),
        ("@njit\ndef f(n, np):\n    return numpy.zeros(n, dtype=int)\n", False),
        # A module-level rebinding may be what `np` is when the function runs.
        ("np = None\n@njit\ndef f(n):\n    return numpy.zeros(n, dtype=int)\n", False),
        # Another function's local is not this one's.
        (
            "@njit\ndef g(np):\n    return np\n@njit\ndef f(n):\n"
            "    return numpy.zeros(n, dtype=int)\n",
            True,
        ),
        # A comprehension's variable shadows inside the comprehension only.
        (
            "@njit\ndef f(n):\n    return [numpy.zeros(n, dtype=int) for np in range(3)]\n",
            False,
        ),
    ],
)
def test_nb307_fix_only_where_np_is_numpy(body: str, fixed: bool) -> None:
    assert nb307(body) == [("NB307", fixed)]


def test_means_follows_python_scoping() -> None:
    source = (
        "import numpy as np\nclass C:\n    np = 1\n    x = np\n    def m(self):\n"
        "        return np\ndef f():\n    global np\n    np = 2\n    return np\n"
    )
    tree = ast.parse(source)
    names = Names(tree)
    reads = {n.lineno: n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == "np"}
    # In the class body, np is the class attribute; in the method, the class is skipped and
    # np is the module's, which f may rebind through `global`: not certainly numpy any more.
    assert not names.means(reads[4], "np.int_", "numpy.int_")
    assert not names.means(reads[6], "np.int_", "numpy.int_")
    table = symtable.symtable(source, "m", "exec")
    method = table.lookup("C").get_namespace().lookup("m").get_namespace()
    assert method.lookup("np").is_global()  # symtable agrees: the method reads the global


def test_means_for_an_import_read_nowhere_else() -> None:
    tree = ast.parse("import numpy as np\ndef f(n):\n    return n\n")
    names = Names(tree)
    (n,) = [x for x in ast.walk(tree) if isinstance(x, ast.Name) and x.id == "n"]
    assert names.means(n, "np.int_", "numpy.int_")
    assert not names.means(n, "np.int_", "numpy.float64")
    assert not names.means(n, "numpy.int_", "numpy.int_")  # `numpy` is not bound here


def test_every_fixing_rule_declares_the_names_it_writes() -> None:
    # For every case of every rule with a fix: the fixed text holds no name that the original
    # lacked, unless the rule declares it (NB307, NB308 and NB101 `Exception`, NB110 `set` in
    # Replacement.writes; NB202 inserts its decorator and checks `Names.means` itself).
    declared = {"NB307", "NB308", "NB101", "NB110", "NB202"}
    for code, rule in RULES_BY_CODE.items():
        for case in getattr(rule, "INVALID", ()):
            if not case.fixed:
                continue
            before = _names(case.code)
            after = _names(case.fixed)
            new = after - before
            assert not new or code in declared, (code, new)


def _names(source: str) -> set[str]:
    """The names and dotted names (``np.int_``) that `source` spells."""
    return {d for d in map(_dotted, ast.walk(ast.parse(source))) if d is not None}


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None
