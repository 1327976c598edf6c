"""The outline libcst parses: what it keeps, what it blanks, and that positions never move."""

from __future__ import annotations

import ast
import textwrap

import pytest

from numba_check import engine
from numba_check.api import check_source
from numba_check.outline import outline
from numba_check.selection import Selection


def plan(source: str) -> str | None:
    source = textwrap.dedent(source)
    return outline(source, ast.parse(source))


def kept(source: str) -> list[str]:
    """The non-blank lines of the outline."""
    text = plan(source)
    assert text is not None
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_same_lines_same_endings_and_kept_text_unchanged():
    source = "import numba\r\n\r\ndef plain(x):\r\n    return x\r\n\r\n@numba.njit\r\ndef f(x):\r\n    return x\r\n"
    text = outline(source, ast.parse(source))
    assert text is not None
    assert text.splitlines(keepends=True)[-3:] == source.splitlines(keepends=True)[-3:]
    assert len(text.splitlines(keepends=True)) == len(source.splitlines(keepends=True))
    assert all(
        a == b or not a.strip() or a.strip() == "pass"
        for a, b in zip(text.splitlines(), source.splitlines(), strict=True)
    )


def test_a_plain_function_keeps_its_signature_and_gets_pass():
    assert kept(
        """
        import numba
        import json

        @some.decorator(1)
        def load(path):
            '''Docs.'''
            with open(path) as f:
                return json.load(f)

        @numba.njit
        def increment(x):
            return x + 1
        """
    ) == [
        "import numba",
        "import json",
        "@some.decorator(1)",
        "def load(path):",
        "pass",
        "@numba.njit",
        "def increment(x):",
        "return x + 1",
    ]


def test_names_are_matched_as_text_so_a_namesake_keeps_a_function():
    # Conservative: `f` the file handle looks like a call site of `f` the compiled function.
    lines = kept(
        "import numba\n\ndef load(path):\n    with open(path) as f:\n        return f.read()\n"
        "\n@numba.njit\ndef f(x):\n    return x\n"
    )
    assert "with open(path) as f:" in lines


def test_no_def_uses_numba_means_nothing_to_check():
    assert plan("import numba\n\ndef f(x):\n    return numba.__version__\n") is None
    assert plan("import numpy as np\n\ndef f(x):\n    return np.sum(x)\n") is None


def test_a_star_import_from_elsewhere_keeps_everything():
    source = "from numba import njit\nfrom mylib import *\n\ndef f(x):\n    return x\n"
    assert outline(source, ast.parse(source)) is source


@pytest.mark.parametrize(
    "source",
    [
        # a closure compiled inside a plain function: its scope matters
        "from numba import njit\n\ndef test():\n    k = 2\n    @njit\n    def f(x):\n        return x * k\n    return f(1)\n",
        # a def handed to an entry point, and the statement that hands it
        "import numba\n\ndef slow(x):\n    return x\n\ndef make():\n    return numba.njit(slow)\n",
        # a call site of a compiled function (arguments for the module rules)
        "from numba import njit\n\n@njit\ndef f(d):\n    return len(d)\n\ndef use():\n    d = {1: 2}\n    return f(d)\n",
        # host code that rebinds a global or seeds a generator
        "import numpy as np\nfrom numba import njit\n\n@njit\ndef f():\n    return np.random.random()\n\ndef setup():\n    np.random.seed(0)\n",
    ],
)
def test_what_the_rules_can_see_is_kept_whole(source):
    text = plan(source)
    assert text == source


def test_a_plain_function_that_only_mentions_numba_is_blanked():
    # Numba's own tests: `pyfunc` is a variable, so nothing here is compiled.
    assert kept(
        """
        import numba

        def usecase(x):
            return x

        class TestThing:
            def test_it(self):
                pyfunc = usecase
                cfunc = numba.njit(pyfunc)
                assert cfunc(1) == 1

        @numba.njit
        def f(x):
            return x
        """
    ) == [
        "import numba",
        "def usecase(x):",
        "pass",
        "class TestThing:",
        "def test_it(self):",
        "pass",
        "@numba.njit",
        "def f(x):",
        "return x",
    ]


def test_one_line_bodies_are_kept_as_they_are():
    lines = kept("import numba\n\ndef g(): return 1\n\n@numba.njit\ndef f(x): return x\n")
    assert lines == ["import numba", "def g(): return 1", "@numba.njit", "def f(x): return x"]


def test_positions_are_those_of_the_whole_module():
    source = textwrap.dedent(
        """
        import numba

        class Loader:
            '''A long class nobody compiles.'''

            def read(self, path):
                with open(path) as f:
                    return f.read()

        def helper(x):
            return x

        @numba.njit
        def f(n):
            try:
                return 1 / n
            except ZeroDivisionError:
                return 0.0
        """
    )
    [found] = check_source(source, "m.py")
    assert (found.code, found.location.line, found.location.column) == ("NB101", 18, 4)


def test_a_test_method_keeps_its_closure_what_it_reads_and_its_call_sites():
    # `label` is neither read by the closure nor by a call site, so both its lines go.
    assert kept(
        """
        import numpy as np
        from numba import njit

        class TestIt:
            def test_closure(self):
                scale = 2.0
                data = np.arange(10)
                expected = data.sum() * scale
                label = "unrelated"
                self.assertTrue(label)

                @njit
                def f(a):
                    return a.sum() * scale

                self.assertEqual(f(data), expected)
        """
    ) == [
        "import numpy as np",
        "from numba import njit",
        "class TestIt:",
        "def test_closure(self):",
        "scale = 2.0",
        "data = np.arange(10)",
        "expected = data.sum() * scale",
        "@njit",
        "def f(a):",
        "return a.sum() * scale",
        "self.assertEqual(f(data), expected)",
    ]


def test_a_def_is_handed_only_where_its_name_is_visible():
    lines = kept(
        """
        from numba import njit

        def test_compiles():
            def impl(x):
                return x + 1
            return njit(impl)(1)

        def test_runs_in_python():
            def impl(x):
                return x - 1
            return impl(1)
        """
    )
    assert "return x + 1" in lines
    assert "return x - 1" not in lines


def test_only_names_that_reach_an_entry_point_count():
    # `lower_builtin` and `types` come from Numba but compile nothing; `numba.typed.List`
    # spells no entry point, so the statement naming it goes.
    assert kept(
        """
        import numba
        from numba import types, njit
        from numba.core.imputils import lower_builtin

        @lower_builtin("len", types.Any)
        def lower_len(context, builder, sig, args):
            return context.get_constant(types.intp, 0)

        def host():
            values = numba.typed.List()
            return values

        @njit
        def f(x):
            return x
        """
    ) == [
        "import numba",
        "from numba import types, njit",
        "from numba.core.imputils import lower_builtin",
        '@lower_builtin("len", types.Any)',
        "def lower_len(context, builder, sig, args):",
        "pass",
        "def host():",
        "pass",
        "@njit",
        "def f(x):",
        "return x",
    ]


WHOLE_MODULE_CASES = {
    "closure reads a variable bound twice": """
        from numba import njit

        def test():
            k = 1
            if k:
                k = 2
            @njit
            def f(x):
                return x * k
            return f(3)
    """,
    "a plain helper registered from a plain function": """
        from numba import njit
        from numba.extending import overload

        def helper(x):
            return x

        def register():
            overload(helper)(lambda x: lambda x: x)

        @njit
        def f(x):
            return helper(x)
    """,
    "a plain helper called from compiled code": """
        from numba import njit

        def helper(x):
            return x

        def unrelated():
            return 1

        @njit
        def f(x):
            return helper(x)
    """,
    "a dict passed to a compiled function from a test": """
        from numba import njit

        @njit
        def total(d):
            return len(d)

        def test_total():
            weights = {"a": 1.0}
            other = [1, 2]
            return total(weights)
    """,
    "a method name the module defines for its own type": """
        import numpy as np
        from numba import njit

        class Box:
            def tofile(self):
                return 0

        @njit
        def f(a):
            return a.tofile()
    """,
    "a global rebound by host code": """
        from numba import njit

        LIMIT = 10

        @njit
        def f(x):
            return min(x, LIMIT)

        def configure(value):
            global LIMIT
            previous = LIMIT
            LIMIT = value
            return previous
    """,
}


@pytest.mark.parametrize("source", WHOLE_MODULE_CASES.values(), ids=WHOLE_MODULE_CASES.keys())
def test_the_outline_changes_no_diagnostic(source, monkeypatch):
    source = textwrap.dedent(source)
    config = engine.build_config(Selection(), (0, 68, 1))
    outlined = engine.check_text(source, "m.py", config)
    monkeypatch.setattr(engine, "outline", lambda text, tree: text)
    assert engine.check_text(source, "m.py", config) == outlined


def test_host_code_is_kept_where_it_hands_a_helper_over_not_where_it_calls_it():
    lines = kept(
        """
        from numba import njit

        def helper(x):
            return x

        def calls_it():
            total = helper(1)
            return total

        def hands_it_over(registry):
            unrelated = 2
            registry.add(helper)

        @njit
        def f(x):
            return helper(x)
        """
    )
    assert "total = helper(1)" not in lines
    assert "registry.add(helper)" in lines
    assert "unrelated = 2" not in lines


def test_a_global_counts_as_read_only_where_compiled_code_does_not_bind_it():
    lines = kept(
        """
        from numba import njit

        size = 10
        limit = 3

        def configure():
            limit = 5
            return limit

        def resize():
            size = 20
            return size

        @njit
        def f(x):
            size = x * 2
            return size + limit
        """
    )
    assert "limit = 5" in lines  # `limit` is read by f: changing it matters
    assert "size = 20" not in lines  # f's `size` is its own
