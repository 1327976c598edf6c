"""numba_check.matching walks `ast` trees in source order and matches node patterns."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from numba_check import matching as m

SAMPLE = Path(__file__).parent.parent / "src" / "numba_check" / "engine.py"


@pytest.fixture(scope="module")
def module() -> ast.Module:
    return ast.parse(SAMPLE.read_text("utf-8"))


def _start(node: ast.AST) -> tuple[int, int]:
    return (node.lineno, node.col_offset)  # type: ignore[attr-defined]


def test_walk_reaches_every_node_but_contexts_and_operators(module):
    shared = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
    expected = {id(n) for n in ast.walk(module) if not isinstance(n, shared)}
    walked = [id(n) for n in m.walk(module)]
    assert len(walked) == len(set(walked)) == len(expected)
    assert set(walked) == expected


def test_children_come_in_source_order():
    source = (
        "@deco\ndef f(a, b=1) -> int:\n    return {a: b, **c} if a else [x for x in b]\n"
        "g(k=v, *rest, z=1)\n"
        "class C(B, metaclass=M):\n    pass\n"
    )
    for node in m.walk(ast.parse(source)):
        starts = [_start(c) for c in m.children(node) if hasattr(c, "lineno")]
        assert starts == sorted(starts), ast.dump(node)


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def on_visit(self, node: ast.AST) -> bool:
        self.events.append(("visit", type(node).__name__))
        return not isinstance(node, ast.Lambda)  # pruning is honoured

    def on_leave(self, node: ast.AST) -> None:
        self.events.append(("leave", type(node).__name__))

    def on_visit_attribute(self, node: ast.AST, field: str) -> None:
        self.events.append(("field", f"{type(node).__name__}.{field}"))

    def on_leave_attribute(self, node: ast.AST, field: str) -> None:
        self.events.append(("end-field", f"{type(node).__name__}.{field}"))


def test_visit_nests_leaves_prunes_and_hooks_fields():
    tree = ast.parse("try:\n    f(lambda: g)\nexcept E:\n    pass\n")
    recorder = Recorder()
    m.visit(tree, recorder, frozenset({"Try_body"}))
    events = recorder.events
    assert events[:4] == [
        ("visit", "Module"),
        ("visit", "Try"),
        ("field", "Try.body"),
        ("visit", "Expr"),
    ]
    assert ("visit", "Lambda") in events and ("visit", "Name") in events
    names = [e for e in events if e == ("visit", "Name")]
    assert len(names) == 2  # f and E; g is inside the pruned lambda
    assert events.index(("end-field", "Try.body")) < events.index(("visit", "ExceptHandler"))
    assert events[-1] == ("leave", "Module")


@pytest.mark.parametrize(
    "pattern",
    [
        m.Call(),
        m.Name("self"),
        m.FunctionDef() | m.ClassDef(),
        m.Call(func=m.Attribute(attr="append")),
        m.Assign(targets=[m.Tuple() | m.List()]),
        m.stmt(),  # an abstract class: every statement
        m.Constant(),  # a class others derive from (the deprecated ast.Num and the like)
    ],
)
def test_findall_finds_what_a_walk_finds(module, pattern):
    # The module (its index), every def and class in it (spans of the index), and a def of
    # a module never indexed (a walk).
    def walked(tree: ast.AST) -> list[ast.AST]:
        return [n for n in m.walk(tree) if m.matches(n, pattern)]

    assert m.findall(module, pattern) == walked(module)
    assert m.findall(module, pattern)
    for part in m.findall(module, m.FunctionDef() | m.ClassDef()):
        assert m.findall(part, pattern) == walked(part)
        body = part.body  # type: ignore[attr-defined]
        assert m.findall_in(body, pattern) == [n for s in body for n in walked(s)]
    other = ast.parse(SAMPLE.read_text(encoding="utf-8"))
    function = next(n for n in other.body if isinstance(n, ast.FunctionDef))
    assert m.findall(function, pattern) == walked(function)


# Where a node's last child is not the last of its last field: keyword arguments after a
# `*args`, a dict with a `**` entry (its key is None), empty containers and calls.
ODD_SHAPES = """
f(a, *b, k=1, **c)
f(k=1, *b)
f(*b, k=g(1))
d = {1: 2, **e, 3: [4]}
x, y = {}, f()
@decorator(x)
def h(p, /, q=1, *r, s, **t) -> int:
    return lambda u=(1, 2): {v: w for v, w in u if v}
"""


def test_every_subtree_of_the_index_is_exactly_its_walk():
    tree = ast.parse(ODD_SHAPES)
    everything = m.AST()
    for node in m.walk(tree):
        assert m.findall(node, everything) == list(m.walk(node)), ast.dump(node)


def test_parents_are_the_nodes_that_list_them_as_children(module):
    tree = ast.parse(ODD_SHAPES)
    for root in (tree, module):
        expected = {child: node for node in m.walk(root) for child in m.children(node)}
        assert m.parents(root) == expected


def test_positional_arguments_fill_fields_in_order():
    assert m.matches(ast.parse("x").body[0].value, m.Name("x"))
    assert not m.matches(ast.parse("y").body[0].value, m.Name("x"))


def test_an_unknown_node_class_is_an_error():
    with pytest.raises(AttributeError, match="no node class"):
        m.Cal()  # type: ignore[attr-defined]


class Filtered(Recorder):
    """Records the events of some classes only, as a rule that hooks them sees them."""

    def __init__(self, visited: frozenset[type], left: frozenset[type]) -> None:
        super().__init__()
        self.visited, self.left = visited, left

    def on_visit(self, node: ast.AST) -> bool:
        if type(node) not in self.visited:
            return True
        return super().on_visit(node)

    def on_leave(self, node: ast.AST) -> None:
        if type(node) in self.left:
            super().on_leave(node)


@pytest.mark.parametrize(
    ("visited", "left", "fields"),
    [
        ({ast.Call, ast.Name}, set(), set()),
        ({ast.FunctionDef, ast.Lambda, ast.Name}, {ast.FunctionDef, ast.Lambda}, set()),
        ({ast.Try, ast.Raise, ast.Lambda}, {ast.Try}, {"Try_body", "arg_annotation"}),
        (set(), {ast.For, ast.Attribute}, {"FunctionDef_returns", "Try_finalbody"}),
    ],
)
def test_visit_classes_gives_the_events_visit_gives(module, visited, left, fields):
    # Over the whole module and over the bodies of its defs, lambdas pruned by on_visit.
    visited, left, fields = frozenset(visited), frozenset(left), frozenset(fields)
    m.index_of(module)
    defs = [d for d in module.body if isinstance(d, (ast.FunctionDef, ast.ClassDef))]
    for trees in ([module], *(d.body for d in defs)):
        walked, indexed = Filtered(visited, left), Filtered(visited, left)
        for tree in trees:
            m.visit(tree, walked, fields)
        m.visit_classes(trees, indexed, visited, left, fields)
        assert indexed.events == walked.events
    assert len(walked.events) > 0 or trees
