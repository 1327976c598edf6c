"""The type lattice: each unification fact the layer relies on, proven by compiling.

Every pair below is written into a function where both values meet in one variable that is then
read (`a = A; if n > 0: a = B; return a`), the shape in which Numba unifies; the layer's verdict
(a type, or REFUSED) must be what the installed Numba does.
"""

from __future__ import annotations

import ast
import textwrap
import warnings

import pytest

from numba_check.module_context import ModuleContext
from numba_check.semantic import types as t

# (first value, second value, whether Numba unifies them, the unified type the layer gives)
PAIRS = [
    ("1", "2.5", True, "float64"),
    ("True", "1", True, "int64"),
    ("1", "1j", True, "complex128"),
    ("2.5", "1j", True, "complex128"),
    ("None", "np.zeros(3)", True, "Optional(array(float64, 1d))"),
    ("1", "'x'", False, None),
    ("np.zeros(3)", "1.0", False, None),
    ("np.zeros(3, dtype=np.int64)", "np.zeros(3)", False, None),
    ("np.zeros(3)", "np.zeros((3, 3))", False, None),
    ("np.zeros(3)", "np.ones(4)", True, "array(float64, 1d)"),
    ("[1, 2]", "[1.5]", False, None),
    ("[1, 2]", "[3]", True, "list(int64)"),
    ("(1, 2)", "(1, 2, 3)", False, None),
    ("(1, 2)", "(1.5, 2)", True, "(float64, int64)"),
    ("[1]", "List([1])", False, None),
    ("'a'", "None", True, "Optional(str)"),
    ("b'x'", "1", False, None),
    ("b'x'", "2.5", False, None),
    ("b'x'", "True", False, None),
    ("b'x'", "'x'", False, None),
    ("b'x'", "np.zeros(3)", False, None),
    ("b'x'", "(1, 2)", False, None),
    ("b'x'", "b'yy'", True, "bytes"),
    # NumPy functions and methods the layer knows always give an array (semantic.infer).
    ("np.linspace(0.0, 1.0, 5)", "1.0", False, None),
    ("np.sort(np.zeros(3))", "2.5", False, None),
    ("np.zeros(3).reshape((3, 1))", "1", False, None),
    ("np.zeros((2, 2)).ravel()", "np.ones(4)", True, "array(float64, 1d)"),
    ("np.zeros((2, 2)).flatten()", "np.zeros((2, 2))", False, None),
    ("np.zeros(3).real", "np.ones(3)", True, "array(unknown, 1d)"),
    # str methods the layer knows give a str or a list of strs (semantic.infer).
    ("'ab'.upper()", "1", False, None),
    ("'ab'.title()", "'x'", True, "str"),
    ("'a,b'.split(',')", "[1]", False, None),
    ("str(n)", "2.5", False, None),
    ("np.array([1, 2])", "np.zeros(3)", False, None),
    ("np.array([[1.0, 2]])", "np.zeros((2, 2))", True, "array(float64, 2d)"),
    ("np.array([True, 1])", "np.arange(3)", True, "array(int64, 1d)"),
    (
        "np.asarray([[1, 2], [3, 4]], dtype=np.float64)",
        "np.ones((1, 1))",
        True,
        "array(float64, 2d)",
    ),
]

# Values Python passes into compiled code: (first, second, whether their Numba types differ, as
# numba.typeof gives them to the items of a list argument, which must all have one type).
ARGUMENT_PAIRS = [
    ("1", "2", False),
    ("1", "2.5", True),
    ("True", "1", True),
    ("1", "12297829382473034410", True),
    ("6148914691236517205", "1229782938247303441", False),
    ("np.float64(1)", "2.5", False),
    ("np.float64(1)", "np.float32(2)", True),
    ("np.int64(1)", "3", False),
    ("(1, 2.0)", "(3, 4)", True),
    ("(1, 2.0)", "(3, 4.0)", False),
    ("(1, 2)", "(1, 2, 3)", True),
    ("np.zeros(2)", "np.ones(5)", False),
    ("np.zeros(2)", "np.zeros((2, 2))", True),
    ("np.zeros(2)", "np.zeros(2, dtype=np.complex128)", True),
    ("np.array([1])", "np.array([[0, 1, 2]])", True),
    ("np.array([1.0, 2])", "np.arange(3.0)", False),
    ("'a'", "'bc'", False),
    ("'a'", "1", True),
    ("None", "1", True),
]


def layer_verdict(first: str, second: str) -> t.Type:
    source = textwrap.dedent(
        f"""
        import numpy as np
        from numba import njit
        from numba.typed import List

        @njit
        def f(n):
            a = {first}
            if n > 0:
                a = {second}
            return a
        """
    )
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source)
    ret = ctx.compiled[0].node.body[-1]
    assert isinstance(ret, ast.Return) and ret.value is not None
    return ctx.semantic.type_of(ret.value)


@pytest.mark.parametrize(("first", "second", "unifies", "described"), PAIRS)
def test_layer_unifies_as_declared(first: str, second: str, unifies: bool, described) -> None:
    found = layer_verdict(first, second)
    if unifies:
        assert found.describe() == described
    else:
        assert found is t.REFUSED


@pytest.mark.compiler
def test_numba_agrees_with_every_pair() -> None:
    numba = pytest.importorskip("numba")
    np = pytest.importorskip("numpy")
    from numba.typed import List

    for first, second, unifies, _ in PAIRS:
        source = f"def f(n):\n    a = {first}\n    if n > 0:\n        a = {second}\n    return a\n"
        namespace = {"np": np, "List": List}
        exec(source, namespace)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                numba.njit(namespace["f"])(1)
                compiled = True
            except Exception:  # noqa: BLE001 - any compile failure is a refusal
                compiled = False
        assert compiled is unifies, (first, second)


@pytest.mark.parametrize(("first", "second", "different"), ARGUMENT_PAIRS)
def test_argument_types_differ_as_declared(first: str, second: str, different: bool) -> None:
    source = f"import numpy as np\na = {first}\nb = {second}\n"
    tree = ast.parse(source)
    ctx = ModuleContext(tree, source)
    a, b = (ctx.semantic.argument_type(node.value) for node in tree.body[1:])  # type: ignore[attr-defined]
    assert t.differ(a, b) is different, (a, b)


@pytest.mark.compiler
def test_typeof_agrees_with_every_argument_pair() -> None:
    numba = pytest.importorskip("numba")
    np = pytest.importorskip("numpy")
    for first, second, different in ARGUMENT_PAIRS:
        a, b = (numba.typeof(eval(value, {"np": np})) for value in (first, second))
        assert (a != b) is different, (first, second)


def test_unknown_is_never_refused() -> None:
    assert t.unify(t.UNKNOWN, t.INT64) is t.UNKNOWN
    assert t.unify(t.Array(t.UNKNOWN, 1), t.Array(t.FLOAT64, 1)) is not t.REFUSED
    assert t.unify(t.ListOf(None), t.ListOf(t.INT64)) is t.UNKNOWN
    assert t.unify(t.Scalar("uint32"), t.INT64) is t.UNKNOWN


def test_literal_types_unify_through_the_lattice() -> None:
    """The types of literals (what the NB401-NB404 messages name) unify in the layer as
    Numba's `unify_types` has them (checked on 0.57.1 and 0.68.1): numbers up the tower, None
    with anything, and str, bytes and numbers never together."""
    from itertools import product

    literals = [t.BOOLEAN, t.INT64, t.FLOAT64, t.COMPLEX128, t.Str(), t.Bytes(), t.NONE]
    numbers = {t.BOOLEAN, t.INT64, t.FLOAT64, t.COMPLEX128}
    for size in (1, 2, 3):
        for types in product(literals, repeat=size):
            rest = {k for k in types if k != t.NONE}
            expected = rest <= numbers or len(rest) <= 1
            assert (t.unify_all(types) is not t.REFUSED) is expected, types


def test_literalness_unifies_as_numba_does() -> None:
    """Numba's literal types unify as their types (IntegerLiteral(1) and (2) give int64), and
    with a run-time value give one (`s = "a"; s = str(n)` compiles to unicode_type); a plain
    type leaves the literalness open."""
    literal, runtime, either = t.Literal(t.Str()), t.NonLiteral(t.Str()), t.Str()
    assert t.unify(literal, runtime) == runtime
    assert t.unify(literal, literal) == either
    assert t.unify(runtime, either) == runtime
    assert t.unify(either, either) == either
    assert t.unify(literal, t.INT64) is t.REFUSED
    assert t.unify(t.Literal(t.INT64), t.Literal(t.FLOAT64)) == t.FLOAT64
    assert t.unify(t.Literal(t.UNKNOWN), t.NonLiteral(t.INT64)) is t.UNKNOWN
    assert t.unliteral(literal) == t.unliteral(runtime) == either
    assert not t.known(t.Literal(t.UNKNOWN)) and t.known(t.NonLiteral(t.INT64))
    assert t.Literal(t.INT64).describe() == "Literal[int64]"
    assert [t.phrase(x) for x in (literal, runtime, either)] == [
        "a str literal",
        "a str built at run time",
        "a str",
    ]
    assert t.phrase(t.Iterator("range")) == "an iterator"
    assert t.Iterator("range").describe() == "range_state64"
    assert t.phrase(t.ListOf(t.UNKNOWN)) == "a list" and t.phrase(t.Bytes()) == "bytes"


def test_literal_type_is_the_type_numba_gives_a_literal() -> None:
    from numba_check.semantic.infer import literal_type

    def of(text: str) -> t.Type | None:
        return literal_type(ast.parse(text, mode="eval").body)

    assert of("-9223372036854775808") == t.INT64
    assert of("9223372036854775808") is None  # uint64 or refused: not an int64
    assert of("-2.5") == t.FLOAT64 and of("1j") == t.COMPLEX128 and of("True") == t.BOOLEAN
    assert of("f'{x}'") == of("'a'") == t.Str() and of("b'a'") == t.Bytes()
    assert of("None") == t.NONE
    assert of("-True") is None and of("...") is None and of("x") is None
    assert t.short_names([t.Str(), t.INT64, t.Str(), t.BOOLEAN, t.NONE]) == "str, int, bool, None"
    assert t.converts_safely(t.BOOLEAN, t.FLOAT64) and not t.converts_safely(t.FLOAT64, t.INT64)
    assert not t.converts_safely(t.Str(), t.Bytes())


# A uint64 with an int64: what the layer says Numba gives (a binary operation, or a variable
# holding both), each checked against the compiled signature's return type.
MIXED_SIGNEDNESS = [
    ("x + 1", "int64"),
    ("x - 1", "int64"),
    ("x * 3", "int64"),
    ("x // 2", "int64"),
    ("x % 7", "int64"),
    ("x ** 2", "int64"),
    ("x | 1", "int64"),
    ("x ^ 1", "int64"),
    ("x & 1", "int64"),
    ("1 + x", "int64"),
    ("x / 2", "float64"),
    ("x >> 1", "uint64"),
    ("x << 1", "uint64"),
    ("x + x", "uint64"),
    ("x * x", "uint64"),
    ("x // x", "uint64"),
    ("x ^ x", "uint64"),
]


def _mixed_source(expression: str) -> str:
    return f"def f(a):\n    x = np.uint64(a)\n    return {expression}\n"


@pytest.mark.parametrize(("expression", "described"), MIXED_SIGNEDNESS)
def test_layer_types_mixed_signedness(expression: str, described: str) -> None:
    source = "import numpy as np\nfrom numba import njit\n@njit\n" + _mixed_source(expression)
    ctx = ModuleContext(ast.parse(source), source)
    ret = ctx.compiled[0].node.body[-1]
    assert isinstance(ret, ast.Return) and ret.value is not None
    assert ctx.semantic.type_of(ret.value).describe() == described


def test_a_variable_holding_uint64_and_int64_is_float64() -> None:
    assert t.unify(t.UINT64, t.INT64) == t.FLOAT64 == t.unify(t.INT64, t.UINT64)
    source = textwrap.dedent(
        """
        import numpy as np
        from numba import njit

        @njit
        def f(n):
            h = np.uint64(1)
            for i in range(n):
                h = h * 3
            return h
        """
    )
    ctx = ModuleContext(ast.parse(source), source)
    ret = ctx.compiled[0].node.body[-1]
    assert ctx.semantic.type_of(ret.value).describe() == "float64"


@pytest.mark.compiler
def test_numba_types_mixed_signedness_as_the_layer_says() -> None:
    numba = pytest.importorskip("numba")
    np = pytest.importorskip("numpy")
    for expression, described in MIXED_SIGNEDNESS:
        namespace = {"np": np}
        exec(_mixed_source(expression), namespace)
        compiled = numba.njit(namespace["f"])
        compiled(5)
        (signature,) = compiled.nopython_signatures
        assert str(signature.return_type) == described, expression
    namespace = {"np": np}
    exec(
        "def f(n):\n    h = np.uint64(1)\n    for i in range(n):\n        h = h * 3\n"
        "    return h\n",
        namespace,
    )
    compiled = numba.njit(namespace["f"])
    compiled(3)
    assert str(compiled.nopython_signatures[0].return_type) == "float64"


# What `type_of` gives the receivers the NumPy rules ask about (issue 16: they read names
# through the layer, along the flow): (the function's parameters, its body before the return,
# the returned expression, the type the layer gives it).
RECEIVERS = [
    ("a", "x = [a]", "x", "list(unknown)"),
    ("a", "x = [1, 'a']", "x", "the result of a list display of items of different types"),
    ("a", "x = {a: a}", "x", "dict(unknown, unknown)"),
    ("a", "x = (a for _ in range(3))", "x", "the result of a generator expression"),
    ("a", "x = lambda: a", "x", "function <lambda>"),
    ("a: np.ndarray", "x = a * a", "x", "array(unknown)"),
    ("a: np.ndarray", "x = ~a", "x", "array(unknown)"),
    ("a: np.ndarray", "x = a @ a", "x", "unknown"),
    ("a", "x = math.floor(a)", "x", "the result of calling math.floor"),
    ("a", "x = helper(a)", "x", "the result of calling helper"),
    ("a", "x = len", "x", "builtin builtins.len"),
    ("a", "x = np", "x", "the result of an import"),
    # Along the flow: the list bound after the read does not reach it.
    ("a: np.ndarray", "y = a.copy()\n    a = [1]", "y", "array(unknown)"),
]


@pytest.mark.parametrize(("params", "body", "expression", "described"), RECEIVERS)
def test_layer_types_receivers(params: str, body: str, expression: str, described: str) -> None:
    source = (
        "import math\nimport numpy as np\nfrom numba import njit\n"
        "def helper(v):\n    return v\n"
        f"@njit\ndef f({params}):\n    {body}\n    return {expression}\n"
    )
    ctx = ModuleContext(ast.parse(source), source)
    ret = ctx.compiled[0].node.body[-1]
    assert isinstance(ret, ast.Return) and ret.value is not None
    assert ctx.semantic.type_of(ret.value).describe() == described


RUNTIME_STR = t.NonLiteral(t.Str())
# How literal a str is, as `type_of` gives it (the call rules read it: `float(s)` of a run-time
# str is refused where `float('1.5')` compiles since 0.60): (body, expression, type).
STRS = [
    ("s = 'a'", "s", t.Str()),
    ("s = str(a)", "s", RUNTIME_STR),
    ("s = f'{a}'", "s", RUNTIME_STR),
    ("s = f'x'", "s", t.Str()),
    ("s = 'a'\n    s += 'b'", "s", RUNTIME_STR),
    ("s = 'a'.upper()", "s", RUNTIME_STR),
    ("s = 'a,b'.split(',')[0]", "s", RUNTIME_STR),
    ("s = 'a' + str(a)", "s", RUNTIME_STR),
    ("s = 'ab'[0]", "s", t.Str()),
    ("s = [str(a)]", "s", t.ListOf(t.Str())),
    # Along the flow: the run-time str bound after the read does not reach it.
    ("s = 'a'\n    r = s\n    s = str(a)", "r", t.Str()),
    ("r = 0\n    for s in ['a', 'b']:\n        r = s", "r", t.unify(t.INT64, RUNTIME_STR)),
    ("r = [s for s in ['a', 'b']]", "r", t.ListOf(t.Str())),
]


@pytest.mark.parametrize(("body", "expression", "expected"), STRS)
def test_layer_types_str_literalness(body: str, expression: str, expected: t.Type) -> None:
    source = f"from numba import njit\n@njit\ndef f(a):\n    {body}\n    return {expression}\n"
    ctx = ModuleContext(ast.parse(source), source)
    ret = ctx.compiled[0].node.body[-1]
    assert isinstance(ret, ast.Return) and ret.value is not None
    assert ctx.semantic.type_of(ret.value) == expected
