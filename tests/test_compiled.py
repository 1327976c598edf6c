"""Which functions count as Numba-compiled, with which target and options."""

from __future__ import annotations

import ast
import textwrap

import pytest

from numba_check.compiled import CompiledFinder, CompiledFunction, EntryKind, Target


def compiled(source: str) -> list[CompiledFunction]:
    tree = ast.parse(textwrap.dedent(source))
    return CompiledFinder(tree).find()


def found(source: str) -> dict[str, tuple[Target, dict]]:
    return {
        c.name: (c.target, {k: v for k, v in c.options.items() if not k.startswith("_")})
        for c in compiled(source)
    }


@pytest.mark.parametrize(
    ("source", "name", "target"),
    [
        ("import numba\n@numba.njit\ndef f(): pass", "f", Target.CPU),
        ("import numba\n@numba.jit(nopython=True)\ndef f(): pass", "f", Target.CPU),
        ("import numba as nb\n@nb.njit(cache=True)\ndef f(): pass", "f", Target.CPU),
        ("from numba import njit as fast\n@fast\ndef f(): pass", "f", Target.CPU),
        ("from numba import jit\n@jit('f8(f8)')\ndef f(x): pass", "f", Target.CPU),
        ("from numba import njit\n@njit(parallel=True)\ndef f(): pass", "f", Target.PARALLEL),
        ("from numba import njit\ndef f(): pass\ng = njit(f)", "f", Target.CPU),
        ("import numba\ndef f(): pass\ng = numba.jit(nopython=True)(f)", "f", Target.CPU),
        ("import numba\ndef f(): pass\ng = numba.njit('i8()', cache=True)(f)", "f", Target.CPU),
        (
            "from numba import vectorize\n@vectorize(['f8(f8)'])\ndef f(x): return x",
            "f",
            Target.UFUNC,
        ),
        (
            "from numba import guvectorize\n@guvectorize(['void(f8[:], f8[:])'], '(n)->(n)')\n"
            "def f(x, out): pass",
            "f",
            Target.GUFUNC,
        ),
        ("from numba import stencil\n@stencil\ndef f(a): return a[0, 1]", "f", Target.STENCIL),
        ("from numba import cfunc\n@cfunc('f8(f8)')\ndef f(x): return x", "f", Target.CFUNC),
        ("from numba import cuda\n@cuda.jit\ndef k(a): pass", "k", Target.CUDA_KERNEL),
        (
            "import numba.cuda\n@numba.cuda.jit('void(f4[:])')\ndef k(a): pass",
            "k",
            Target.CUDA_KERNEL,
        ),
        (
            "from numba import cuda\n@cuda.jit(device=True)\ndef d(a): return a",
            "d",
            Target.CUDA_DEVICE,
        ),
        (
            "from numba.experimental import jitclass\n@jitclass([('x', float64)])\nclass P:\n"
            "    def __init__(self, x):\n        self.x = x\n    def norm(self):\n        return self.x",
            "norm",
            Target.CPU,
        ),
        (
            "from numba.extending import register_jitable\n@register_jitable\ndef f(x): return x",
            "f",
            Target.CPU,
        ),
        (
            "import numpy as np\nfrom numba.extending import overload\n@overload(np.clip)\n"
            "def ol(a, lo, hi):\n    def impl(a, lo, hi):\n        return a\n    return impl",
            "impl",
            Target.CPU,
        ),
    ],
)
def test_compiled_spellings(source: str, name: str, target: Target) -> None:
    result = found(source)
    assert name in result, result
    assert result[name][0] is target


@pytest.mark.parametrize(
    "source",
    [
        "import pytest\n@pytest.mark.parametrize('x', [1])\ndef test(x): pass",
        "import functools\n@functools.cache\ndef f(x): return x",
        "def jit(f): return f\n@jit\ndef f(): pass",
        "from mylib import njit\n@njit\ndef f(): pass",
        "import numba\n@numba.extending.intrinsic\ndef f(typingctx): pass",
        "import numba\ndef f(): pass\nnumba.typeof(f)",
    ],
)
def test_look_alikes_are_not_compiled(source: str) -> None:
    assert found(source) == {}


def test_overload_outer_function_is_not_compiled() -> None:
    source = (
        "import numpy as np\nfrom numba.extending import overload\n@overload(np.clip)\n"
        "def ol(a, lo, hi):\n    def impl(a, lo, hi):\n        return a\n    return impl"
    )
    assert set(found(source)) == {"impl"}


def test_options_recorded() -> None:
    source = "import numba\n@numba.njit(parallel=True, fastmath=True, cache=True)\ndef f(): pass"
    assert found(source)["f"][1] == {"parallel": True, "fastmath": True, "cache": True}


def test_entry_kind_of_cuda_device() -> None:
    (function,) = compiled("from numba import cuda\n@cuda.jit(device=True)\ndef d(a): return a")
    assert function.entry is EntryKind.CUDA_JIT and function.on_gpu


def test_plain_jit_falls_back_to_object_mode_before_059() -> None:
    (function,) = compiled("import numba\n@numba.jit\ndef f(): pass")
    assert function.nopython((0, 59, 0))
    assert not function.nopython((0, 58, 1))


def test_async_defs_and_signatures() -> None:
    (function,) = compiled("import numba\n@numba.njit('f8(f8)')\nasync def f(x): return x")
    assert isinstance(function.node, ast.AsyncFunctionDef) and function.has_signature
