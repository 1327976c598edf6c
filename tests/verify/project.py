"""A project for --verify tests: every type source, every stand-in kind, and user code that
would write a marker file wherever it ran (on import, as a decorator, as a default value, at
module level, in a script): verifying it must write none."""

from __future__ import annotations

import textwrap
from pathlib import Path

MARKER_DIR = "markers"


def files(markers: Path) -> dict[str, str]:
    m = str(markers)
    write = f"open({m!r} + '/' + tag + '.marker', 'w').write('x')"
    return {
        "pkg/__init__.py": f"tag = 'package_init'\n{write}\n",
        "pkg/consts.py": """
            import numpy as np

            N = 4
            SCALE = 2.5 * N
            DATA = np.zeros((N, 2), dtype=np.float32)
            PAIR = (1, 2.0)
        """,
        "pkg/extension.py": """
            from numba.extending import overload

            def clip01(x):
                return min(max(x, 0.0), 1.0)

            @overload(clip01)
            def _clip01(x):
                def impl(x):
                    return min(max(x, 0.0), 1.0)
                return impl
        """,
        "pkg/kernels.py": f"""
            import functools
            import numpy as np
            import numba as nb
            from numba import njit, float64, int64
            import scipy.special
            from .consts import DATA, SCALE, PAIR
            from . import consts
            from .extension import clip01
            from .nowhere import thing

            def writes(tag):
                {write}
                return lambda f: f

            writes("module_level")
            TABLE = writes("constant")
            TWICE = 1
            TWICE = 2

            @njit("float64(float64)")
            def sig_str(x):
                return x + SCALE

            @njit(float64(int64))
            def sig_types(n):
                return n * consts.SCALE

            @njit("float64(float64)")
            def sig_refused(x):
                return x.no_such_attribute

            @njit("float64[:](float64[::1])")
            def as_any_layout(a):
                return a

            # Typed as the helper's signature says (an 'A' array): without it, 'C' arrays.
            @njit(nb.types.List(nb.float64[:])(nb.float64[::1]))
            def listy(a):
                out = []
                out.append(as_any_layout(a))
                return out

            @njit
            def hinted(x: float, n: int, a: nb.float64[:]):
                return x * n + a[0]

            @njit
            def hint_unknown(x: "SomeClass"):
                return x

            @njit
            def hinted_guess_refused(x: float):
                return x.nope

            @njit
            def hinted_exact_refused(a: nb.float64[:]):
                return a.nope

            ACC = []
            ACC.append(1.0)

            @njit
            def uses_mutated(x):
                return len(ACC) + x

            @njit
            def takes_list(items):
                return items[0]

            class Box:
                def __init__(self, v):
                    self.v = v

            @njit
            def makes_plain_object(x):
                return Box(x)

            G2 = 5

            @njit
            def reads_global_from_inner(n):
                def inner():
                    global G2
                    return G2
                G2 = n
                return inner() + G2

            @njit
            def called_literal(n):
                return n + 1

            @njit
            def called_container(pair, items):
                return pair[0] + pair[1] + items[0]

            @njit
            def called_array(a):
                return a.sum()

            @njit
            def dict_list_values(n):
                d = {{1: [1.0], 2: [2.0, 3.0]}}
                return n

            @njit
            def make(n):
                return np.arange(n) * 1.5

            @njit
            def consumes(a):
                return a.max()

            @njit
            def inner(x):
                return x * 2

            @njit
            def outer(x):
                return inner(x) + 1

            @njit
            def main_only(x):
                return x - 1

            @njit
            def tested(x, y):
                return x * y

            @njit
            def untyped(x):
                return x

            @njit
            def uses_scipy(x):
                return scipy.special.gamma(x)

            @njit
            def uses_twice(x):
                return x + TWICE

            @njit
            def uses_table(x):
                return TABLE(x)

            @njit
            def uses_default(x, y=writes("default")):
                return x + y

            @njit
            def uses_extension(x):
                return clip01(x)

            @njit
            def uses_missing(x):
                return x + not_defined_anywhere

            @njit
            def uses_unresolved(x):
                return thing(x)

            @njit
            @writes("decorator")
            def wrapped(x):
                return x

            @njit
            def refused_noqa(x):
                return x.nope  # noqa: NB950

            def plain(x):
                return x

            @functools.lru_cache
            def cached_plain(x):
                return x

            @njit
            def uses_decorated(x):
                return cached_plain(x)

            @njit
            def calls_plain(x):
                return plain(x)

            if __name__ == "__main__":
                writes("main")
                main_only(3.5)
        """,
        "scripts/run.py": f"""
            import numpy as np
            from pkg.kernels import (
                called_literal, called_container, called_array, dict_list_values, make,
                consumes, outer, uses_scipy, uses_twice, uses_table, uses_default,
                uses_extension, uses_missing, uses_unresolved, wrapped, refused_noqa,
                calls_plain, sig_str, uses_decorated, uses_mutated, takes_list,
                makes_plain_object, reads_global_from_inner,
            )
            from pkg import kernels
            from pkg.consts import DATA

            tag = "script"
            {write}
            called_literal(3)
            called_container((1, 2.5), [1.0, 2.0])
            called_array(DATA)
            x = np.linspace(0.0, 1.0, 5)
            kernels.called_array(x)
            dict_list_values(2)
            y = make(6)
            consumes(y)
            outer(2.0)
            uses_scipy(1.0)
            uses_twice(1)
            uses_table(1.0)
            uses_default(1.0)
            uses_extension(0.5)
            uses_missing(1.0)
            uses_unresolved(1.0)
            wrapped(1)
            refused_noqa(1.0)
            calls_plain(1)
            sig_str(1.0)
            uses_decorated(1.0)
            uses_mutated(1.0)
            grown = []
            grown.append(1.5)
            takes_list(grown)
            makes_plain_object(1)
            reads_global_from_inner(3)
        """,
        "tests/test_kernels.py": f"""
            import numpy as np
            import pytest
            from numba import njit
            from pkg.kernels import tested

            def test_local_kernel():
                @njit
                def local_sum(a):
                    return a.sum()

                assert local_sum(np.ones(3)) == 3.0

            def test_closure():
                k = 2

                @njit
                def closure(x):
                    return x * k

                assert closure(1.0) == 2.0

            def test_expected_failure():
                with pytest.raises(Exception):
                    tested("a", None)  # meant to fail: no types from here
                try:
                    tested(None, "b")
                except Exception:
                    pass

            @pytest.mark.parametrize("x, y", [(1, 2.0), pytest.param(3, 4.5), (2, 2.0)])
            def test_tested(x, y):
                tag = "test_body"
                {write}
                assert tested(x, y) == x * y
        """,
    }


def write_project(root: Path) -> Path:
    markers = root / MARKER_DIR
    markers.mkdir()
    for name, text in files(markers).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return markers
