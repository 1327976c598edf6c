"""numba_check.matching drives visitors as libcst does, and matches as libcst.matchers does."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import libcst.matchers as lm
import pytest

from numba_check import matching as m

SAMPLE = Path(__file__).parent.parent / "src" / "numba_check" / "engine.py"
# Nodes that hold only whitespace and punctuation: matching leaves them out on purpose.
SKIPPED = (
    cst.EmptyLine,
    cst.TrailingWhitespace,
    cst.Newline,
    cst.Comment,
    cst.SimpleWhitespace,
    cst.ParenthesizedWhitespace,
    cst.LeftParen,
    cst.RightParen,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.LeftCurlyBrace,
    cst.RightCurlyBrace,
    cst.Comma,
    cst.Semicolon,
    cst.Colon,
    cst.Dot,
    cst.AssignEqual,
)


class Recorder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, int, str]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if not isinstance(node, SKIPPED):
            self.events.append(("visit", id(node), type(node).__name__))
        return not isinstance(node, cst.Lambda)  # pruning is honoured too

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if not isinstance(original_node, SKIPPED):
            self.events.append(("leave", id(original_node), type(original_node).__name__))

    def visit_Try_body(self, node: cst.Try) -> None:
        self.events.append(("field", id(node), "Try.body"))

    def leave_Try_body(self, node: cst.Try) -> None:
        self.events.append(("end-field", id(node), "Try.body"))


@pytest.fixture(scope="module")
def module() -> cst.Module:
    return cst.parse_module(SAMPLE.read_text("utf-8"))


def test_visit_calls_what_libcst_calls_in_the_same_order(module):
    ours, theirs = Recorder(), Recorder()
    m.visit(module, ours)
    module.visit(theirs)
    assert len(ours.events) > 5000
    assert ours.events == theirs.events


def test_fast_visitors_give_the_same_metadata(module):
    from libcst.metadata import QualifiedNameProvider

    def names(wrapper):
        found = wrapper.resolve(QualifiedNameProvider)
        return {
            (type(n).__name__, repr(sorted(q.name for q in (v() if callable(v) else v))))
            for n, v in found.items()
            if isinstance(n, (cst.Name, cst.Attribute, cst.Call))
        }

    plain = names(cst.MetadataWrapper(module))
    with m.fast_visitors():
        fast = names(cst.MetadataWrapper(module))
    assert fast == plain


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (m.Call(), lm.Call()),
        (m.Name("self"), lm.Name("self")),
        (m.FunctionDef() | m.ClassDef(), lm.FunctionDef() | lm.ClassDef()),
        (
            m.Call(func=m.Attribute(attr=m.Name("append"))),
            lm.Call(func=lm.Attribute(attr=lm.Name("append"))),
        ),
        (
            m.Assign(targets=[m.AssignTarget(m.Tuple() | m.List())]),
            lm.Assign(targets=[lm.AssignTarget(lm.Tuple() | lm.List())]),
        ),
    ],
)
def test_findall_finds_what_libcst_matchers_find(module, ours, theirs):
    # The module, then every def and class in it and their bodies (their spans in the
    # module's index), then a def of a module never indexed (a walk).
    assert m.findall(module, ours) == lm.findall(module, theirs)
    assert m.findall(module, ours)
    parts = m.findall(module, m.FunctionDef() | m.ClassDef())
    for tree in [*parts, *(part.body for part in parts)]:
        assert m.findall(tree, ours) == lm.findall(tree, theirs)
    other = cst.parse_module(SAMPLE.read_text(encoding="utf-8"))
    function = next(n for n in other.body if isinstance(n, cst.FunctionDef))
    assert m.findall(function, ours) == lm.findall(function, theirs)


def test_an_unknown_node_class_is_an_error():
    with pytest.raises(AttributeError, match="no node class"):
        m.Cal()  # type: ignore[attr-defined]
