"""numba_check.names against Python itself: what a read in a module or class body sees.

Each program below is run. Every binding in it binds a value that says which binding it is
(``_b(7, ...)`` is token 7), every checked read is wrapped in ``_r(k, name)``, which logs the
value the read evaluated to, and a name no binding has reached yet reads a sentinel planted in
the builtins (so no program stops on a NameError). Then, for each logged read, the binding
Python used must be among `Names.referents` of that `Name` node; and where the read runs once,
outside any loop (nothing of a previous iteration can reach it), it must be the last of them.
A read that found nothing must have no referents; one that found a builtin, the builtin.

The programs are hand-written, one or more per construct whose order matters, and generated
with hypothesis (assignments, augmented and annotated assignments, walrus, comprehensions,
`for` and `while` loops, `with`, imports, decorated defs with defaults and annotations, and
decorated classes with bases, keywords and bodies of their own, nested).
"""

from __future__ import annotations

import ast
import builtins
import os
import sys
import types
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from numba_check.names import Binding, Names

# The names programs bind and read: two builtins among them (a read that reaches no binding
# reads the builtin), the others read a sentinel there.
POOL = ("a", "b", "c", "len", "abs")


class Token:
    """The value binding `ident` binds."""

    def __init__(self, ident: int) -> None:
        self.ident = ident

    def __repr__(self) -> str:
        return f"Token({self.ident})"

    # `x += _b(7)`: x becomes token 7, whatever it was.
    def __add__(self, other: object) -> object:
        return other

    def __radd__(self, other: object) -> object:
        return self


class Unbound:
    """What a read of a pool name no binding has reached evaluates to."""

    def __init__(self, name: str) -> None:
        self.name = name


class _Base:
    def __init_subclass__(cls, **keywords: object) -> None:
        super().__init_subclass__()


class _Context:
    def __init__(self, token: Token) -> None:
        self.token = token

    def __enter__(self) -> Token:
        return self.token

    def __exit__(self, *exc: object) -> bool:
        return False


class _Oracle(types.ModuleType):
    """``from _oracle import t7 as x`` binds token 7."""

    def __getattr__(self, attr: str) -> Token:
        if attr.startswith("t") and attr[1:].isdigit():
            return Token(int(attr[1:]))
        raise AttributeError(attr)


def run(source: str) -> list[tuple[int, object]]:
    """Run `source` as a module; the (read, value) pairs its `_r` calls logged, in order."""
    log: list[tuple[int, object]] = []
    tests: dict[int, int] = {}

    def _w(site: int, *reads: object) -> bool:
        # Each time a `while` runs: true twice, then false.
        tests[site] = tests.get(site, 0) + 1
        return tests[site] % 3 != 0

    def _r(read: int, value: object) -> object:
        log.append((read, value))
        return value

    helpers = {
        "_b": lambda ident, *reads: Token(ident),
        "_r": _r,
        "_it": lambda ident, *reads: [Token(ident), Token(ident)],
        "_w": _w,
        "_c": lambda ident, *reads: _Context(Token(ident)),
        "_d": lambda ident, *reads: lambda decorated: Token(ident),
        "_base": lambda *reads: _Base,
        "_k": lambda *reads: 0,
        "_S": {},
    }
    namespace = dict(vars(builtins))
    namespace.update({name: Unbound(name) for name in POOL if not hasattr(builtins, name)})
    namespace.update(helpers)
    modules = {"_oracle": _Oracle("_oracle")}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                modules[alias.name] = Token(int(alias.name.removeprefix("_om")))
    saved = {name: sys.modules.get(name) for name in modules}
    sys.modules.update(modules)
    try:
        # dont_inherit: annotations are evaluated, as in a module without the future import.
        code = compile(source, "<program>", "exec", dont_inherit=True)
        exec(code, {"__builtins__": namespace})
    finally:
        for name, module in saved.items():
            if module is None:
                del sys.modules[name]
            else:
                sys.modules[name] = module
    return log


def _token_of(node: ast.AST | None, call: str) -> int | None:
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == call
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ):
        return node.args[0].value  # type: ignore[no-any-return]
    return None


def binding_nodes(tree: ast.Module) -> dict[tuple[int, str], list[ast.AST]]:
    """(token, name) -> the nodes `Names` records as the bindings that bind it."""
    found: dict[tuple[int, str], list[ast.AST]] = {}

    def add(token: int | None, name: str, node: ast.AST) -> None:
        if token is not None:  # else it binds no token: no read of it is checked
            found.setdefault((token, name), []).append(node)

    def targets(target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            add(_token_of(value, "_b"), target.id, target)
        elif isinstance(target, ast.Tuple):
            assert isinstance(value, ast.Tuple)
            for t, v in zip(target.elts, value.elts, strict=True):
                targets(t, v)

    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                targets(target, node.value)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.NamedExpr)):
            assert node.value is not None
            targets(node.target, node.value)
        elif isinstance(node, (ast.For, ast.comprehension)):
            assert isinstance(node.target, ast.Name)
            add(_token_of(node.iter, "_it"), node.target.id, node.target)
        elif isinstance(node, ast.withitem):
            assert isinstance(node.optional_vars, ast.Name)
            add(_token_of(node.context_expr, "_c"), node.optional_vars.id, node.optional_vars)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.decorator_list:
            add(_token_of(node.decorator_list[0], "_d"), node.name, node)
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                add(int(alias.name[1:]), alias.asname or alias.name, node)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                add(int(alias.name.removeprefix("_om")), alias.asname or alias.name, node)
    return found


def reads(tree: ast.Module) -> dict[int, ast.Name]:
    """k -> the `Name` node read by ``_r(k, name)``."""
    found = {}
    for node in ast.walk(tree):
        read = _token_of(node, "_r")
        if read is not None:
            name = node.args[1]  # type: ignore[attr-defined]
            assert isinstance(name, ast.Name)
            found[read] = name
    return found


def _describe(binding: Binding) -> str:
    if binding.is_builtin:
        return f"builtins.{binding.name}"
    node = binding.node
    return f"{binding.name} ({type(node).__name__} at line {node.lineno})"  # type: ignore[union-attr]


def check(source: str, once: set[int] | None = None, loose: set[int] = frozenset()) -> None:
    """Run `source` and compare each logged read with `Names.referents`.

    `once`: the reads outside any loop, where Python's binding must be the last referent (None:
    every read). `loose`: reads in a comprehension's element, which `Names` resolves as in a
    function (every binding of the enclosing scope): Python's binding, when it found one, must
    be among them."""
    tree = ast.parse(source)
    names = Names(tree)
    nodes = binding_nodes(tree)
    name_of = reads(tree)
    log = run(source)
    for read, value in log:
        name = name_of[read]
        referents = names.referents(name)
        exact = read not in loose and (once is None or read in once)
        if isinstance(value, Unbound):
            # A list of bindings cannot say "or nothing yet": only a read that runs once,
            # outside loops and comprehensions, is checked.
            assert not exact or referents == [], (
                f"read {read}: Python found nothing, names.py says "
                f"{[_describe(b) for b in referents]}"
            )
            continue
        if not isinstance(value, Token) and value is getattr(builtins, name.id, None):
            if read not in loose:
                assert any(b.is_builtin for b in referents), (
                    f"read {read}: Python found the builtin, names.py says "
                    f"{[_describe(b) for b in referents]}"
                )
                assert not exact or referents[-1].is_builtin
            continue
        assert isinstance(value, Token), (read, value)
        expected = nodes.get((value.ident, name.id), [])
        assert expected, f"read {read}: no binding of {name.id!r} binds token {value.ident}"
        assert any(b.node in expected for b in referents if b.name == name.id), (
            f"read {read} of {name.id!r} on line {name.lineno}: Python used token "
            f"{value.ident}, names.py says {[_describe(b) for b in referents]}"
        )
        if exact:
            assert referents[-1].node in expected, (
                f"read {read} of {name.id!r} on line {name.lineno}: Python used token "
                f"{value.ident}, the last binding names.py lists is {_describe(referents[-1])}"
            )


# Python 3.14 evaluates annotations when they are asked for (PEP 649), not when the def or
# the assignment runs.
EAGER_ANNOTATIONS = sys.version_info < (3, 14)

# (what it shows, program, {read: the token Python's read finds, "builtin" or None (nothing)})
CASES = [
    (
        "an assignment's value runs before its targets",
        "a = _b(1)\na = _b(2, (c := _b(3)), _r(0, a))\n_r(1, a)\n",
        {0: 1, 1: 2},
    ),
    (
        "targets are assigned left to right, a subscript target evaluated in turn",
        "a = _b(1)\na = _S[_k(_r(0, a))] = _b(2)\n",
        {0: 2},
    ),
    (
        "a def's decorators, defaults and annotations run before its name is bound",
        "a = _b(1)\n@_d(2, _r(0, a))\ndef a(p=_r(1, a), *, q: _r(2, a) = _r(3, a)) -> _r(4, a):\n"
        "    pass\n_r(5, a)\n",
        {0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 2} if EAGER_ANNOTATIONS else {0: 1, 1: 1, 3: 1, 5: 2},
    ),
    (
        "a for loop's iterable runs before its target is bound",
        "a = _b(1)\nfor a in _it(2, _r(0, a)):\n    _r(1, a)\n_r(2, a)\n",
        {0: 1, 1: 2, 2: 2},
    ),
    (
        "a class's decorators, bases and keywords run, then its body, before its name is bound",
        "a = _b(1)\n@_d(2, _r(0, a))\nclass a(_base(_r(1, a)), kw=_r(2, a)):\n    _r(3, a)\n"
        "_r(4, a)\n",
        {0: 1, 1: 1, 2: 1, 3: 1, 4: 2},
    ),
    (
        "an import binds when it runs",
        "_r(0, len)\nfrom _oracle import t1 as len, t2 as b\nimport _om3 as c\n_r(1, len)\n"
        "_r(2, c)\n",
        {0: "builtin", 1: 1, 2: 3},
    ),
    (
        "a with item's expression runs before its target is bound",
        "a = _b(1)\nwith _c(2, _r(0, a)) as a, _c(3, _r(1, a)) as b:\n    _r(2, a)\n",
        {0: 1, 1: 2, 2: 2},
    ),
    (
        "an augmented assignment reads, then writes",
        "a = _b(1)\na += _b(2, _r(0, a))\n_r(1, a)\n",
        {0: 1, 1: 2},
    ),
    (
        "a walrus binds after its value",
        "a = _b(1)\n_b(3, (a := _b(2, _r(0, a))), _r(1, a))\n",
        {0: 1, 1: 2},
    ),
    (
        "a comprehension's first iterable runs in the class body, its element does not",
        "a = _b(1)\nclass C:\n    a = _b(2)\n    x = [_r(1, a) for i in _it(3, _r(0, a))]\n",
        {0: 2, 1: 1},
    ),
    (
        "an annotated assignment stores its value, then evaluates the annotation",
        "a = _b(1)\na: _r(0, a) = _b(2)\nclass C:\n    a: _r(1, a) = _b(3)\n",
        {0: 2, 1: 3} if EAGER_ANNOTATIONS else {},
    ),
    (
        "a class body reads the module as it is when the body runs",
        "a = _b(1)\nclass C:\n    _r(0, a)\n    _r(1, b)\n    a = _b(2)\n    _r(2, a)\n"
        "a = _b(3)\nb = _b(4)\n",
        {0: 1, 1: None, 2: 2},
    ),
    (
        "a module reads the builtins until it binds the name",
        "_r(0, abs)\nabs = _b(1)\n_r(1, abs)\n",
        {0: "builtin", 1: 1},
    ),
    (
        "a nested class body skips the class around it",
        "a = _b(1)\nclass C:\n    a = _b(2)\n    class D:\n        _r(0, a)\n",
        {0: 1},
    ),
]

# Loops: a read sees its own iteration's bindings and the previous one's.
LOOP_CASES = [
    (
        "a read in a class-level loop sees the module on the first pass, the class after",
        "a = _b(1)\nclass C:\n    for i in _it(2):\n        _r(0, a)\n        a = _b(3)\n",
        {0: [1, 3]},
    ),
    (
        "a while loop's test runs again after its body",
        "a = _b(1)\nwhile _w(0, _r(0, a)):\n    a = _b(2)\n",
        {0: [1, 2, 2]},
    ),
    (
        "a loop's else runs once after it",
        "for i in _it(1):\n    a = _b(2)\nelse:\n    _r(0, a)\n    a = _b(3)\n",
        {0: [2]},
    ),
]


@pytest.mark.parametrize(("source", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_construct_in_execution_order(source, expected):
    seen = {read: value for read, value in run(source)}
    found = {}
    for read, value in seen.items():
        if isinstance(value, Token):
            found[read] = value.ident
        elif isinstance(value, Unbound):
            found[read] = None
        else:
            found[read] = "builtin"
    assert found == expected  # the program shows what it says it shows
    check(source)


@pytest.mark.parametrize(
    ("source", "expected"), [c[1:] for c in LOOP_CASES], ids=[c[0] for c in LOOP_CASES]
)
def test_loops(source, expected):
    found: dict[int, list[int]] = {}
    for read, value in run(source):
        assert isinstance(value, Token)
        found.setdefault(read, []).append(value.ident)
    assert found == expected
    check(source, once=set())


# -- generated programs ---------------------------------------------------------------------


@dataclass
class _Program:
    """A module built statement by statement from hypothesis' draws."""

    draw: object
    lines: list[str] = field(default_factory=list)
    tokens: int = 0
    read_count: int = 0
    once: set[int] = field(default_factory=set)
    loose: set[int] = field(default_factory=set)

    def token(self) -> int:
        self.tokens += 1
        return self.tokens

    def name(self) -> str:
        return self.draw(st.sampled_from(POOL))  # type: ignore[operator, no-any-return]

    def choice(self, n: int) -> int:
        return self.draw(st.integers(0, n - 1))  # type: ignore[operator, no-any-return]

    def read(self, name: str, in_loop: bool, loose: bool = False) -> str:
        k = self.read_count
        self.read_count += 1
        if loose:
            self.loose.add(k)
        elif not in_loop:
            self.once.add(k)
        return f"_r({k}, {name})"

    def exprs(self, in_loop: bool, depth: int, walrus: bool = True) -> str:
        return "".join(f", {self.expr(in_loop, depth, walrus)}" for _ in range(self.choice(3)))

    def expr(self, in_loop: bool, depth: int, walrus: bool = True) -> str:
        kind = self.choice(3 if depth < 2 else 1)
        if kind == 1 and walrus:
            name = self.name()
            return f"({name} := _b({self.token()}{self.exprs(in_loop, depth + 1)}))"
        if kind == 2:
            target = self.name()
            iterable = f"_it({self.token()}{self.exprs(in_loop, depth + 1, walrus=False)})"
            element = self.name()
            read = self.read(element, in_loop, loose=element != target)
            return f"[{read} for {target} in {iterable}]"
        return self.read(self.name(), in_loop)

    def statement(self, indent: str, in_loop: bool, depth: int) -> None:
        line = self.lines.append
        kind = self.choice(11 if depth < 3 else 7)
        expr = self.expr
        if kind == 0:  # a = _S[...] = b = value
            targets = []
            for _ in range(1 + self.choice(2)):
                if self.choice(3) == 0:
                    targets.append(f"_S[_k({expr(in_loop, depth)})]")
                else:
                    targets.append(self.name())
            value = f"_b({self.token()}{self.exprs(in_loop, depth)})"
            line(f"{indent}{' = '.join(targets)} = {value}")
        elif kind == 1:  # a, b = value, value
            first = f"_b({self.token()}{self.exprs(in_loop, depth)})"
            second = f"_b({self.token()}{self.exprs(in_loop, depth)})"
            line(f"{indent}{self.name()}, {self.name()} = {first}, {second}")
        elif kind == 2:
            line(f"{indent}{self.name()} += _b({self.token()}{self.exprs(in_loop, depth)})")
        elif kind == 3:
            annotation = expr(in_loop, depth, walrus=False)
            value = f"_b({self.token()}{self.exprs(in_loop, depth)})"
            line(f"{indent}{self.name()}: {annotation} = {value}")
        elif kind == 4:
            line(f"{indent}_b(0, {expr(in_loop, depth)})")
        elif kind == 5:
            names = [f"t{self.token()} as {self.name()}" for _ in range(1 + self.choice(2))]
            line(f"{indent}from _oracle import {', '.join(names)}")
        elif kind == 6:
            line(f"{indent}import _om{self.token()} as {self.name()}")
        elif kind == 7:  # for, with an else sometimes
            line(f"{indent}for {self.name()} in _it({self.token()}{self.exprs(in_loop, depth)}):")
            self.body(indent + "    ", True, depth + 1)
            if self.choice(2):
                line(f"{indent}else:")
                self.body(indent + "    ", in_loop, depth + 1)
        elif kind == 8:
            # No walrus in the test: it runs once more after the body, which a list of the
            # bindings in the order of the source cannot show (its binding, not the body's,
            # would be the one a read after the loop sees).
            line(f"{indent}while _w({self.token()}{self.exprs(True, depth, walrus=False)}):")
            self.body(indent + "    ", True, depth + 1)
        elif kind == 9:
            line(f"{indent}with _c({self.token()}{self.exprs(in_loop, depth)}) as {self.name()}:")
            self.body(indent + "    ", in_loop, depth + 1)
        elif kind == 10:
            decorator = f"@_d({self.token()}{self.exprs(in_loop, depth)})"
            line(f"{indent}{decorator}")
            if self.choice(2):
                default = expr(in_loop, depth)
                annotation = expr(in_loop, depth, walrus=False)
                keyword = expr(in_loop, depth)
                returns = expr(in_loop, depth, walrus=False)
                line(
                    f"{indent}def {self.name()}(p={default}, *, q: {annotation} = {keyword})"
                    f" -> {returns}:"
                )
                line(f"{indent}    pass")
            else:
                bases = f"_base({self.exprs(in_loop, depth)[2:]})"
                line(f"{indent}class {self.name()}({bases}, kw={expr(in_loop, depth)}):")
                self.body(indent + "    ", in_loop, depth + 1)

    def body(self, indent: str, in_loop: bool, depth: int) -> None:
        self.lines.append(f"{indent}pass")
        for _ in range(1 + self.choice(3)):
            self.statement(indent, in_loop, depth)


# A longer run: NUMBA_CHECK_NAMES_EXAMPLES=20000 pytest tests/test_names_execution_order.py
EXAMPLES = int(os.environ.get("NUMBA_CHECK_NAMES_EXAMPLES", "150"))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_generated_programs_read_what_python_reads(data):
    program = _Program(data.draw)
    for _ in range(1 + program.choice(6)):
        program.statement("", False, 0)
    source = "\n".join(program.lines) + "\n"
    note(source)
    check(source, program.once, program.loose)
