"""Node patterns over libcst trees: ``m.Call(func=m.Name("len")) | m.Attribute()``,
``m.matches(node, pattern)``, ``m.findall(tree, pattern)``.

The subset of ``libcst.matchers`` numba-check uses, spelled the same way (a module imported
``as m``), for two reasons measured on this project: importing ``libcst.matchers`` costs about
0.4 s of CPU (it defines a matcher class for every field of every node type), most of the
start-up of a one-file run; and its ``findall`` runs libcst's visitor machinery, which rebuilds
every node it passes, where walking the fields directly is several times faster.

A pattern names a node class of ``libcst`` and constrains fields: a pattern, a list of patterns
(the sequence matches element by element), or a plain value compared with ``==``. Positional
arguments fill the node's fields in declaration order (``m.Name("x")`` is ``value="x"``).
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import libcst as cst
from libcst.metadata import scope_provider

__all__ = [
    "Pattern",
    "fast_visitors",
    "child_fields",
    "children",
    "findall",
    "is_node",
    "matches",
    "visit",
    "walk",
]

# Fields that only hold whitespace, comments and punctuation: no pattern looks inside them.
_SKIPPED_FIELDS = frozenset(
    {
        "leading_lines",
        "lines_after_decorators",
        "lpar",
        "rpar",
        "header",
        "footer",
        "trailing_whitespace",
        "comma",
        "semicolon",
        "colon",
        "dot",
        "equal",
        "lbracket",
        "rbracket",
        "lbrace",
        "rbrace",
        "newline",
    }
)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}
_IS_NODE: dict[type, bool] = {}


class _FieldOrder(cst.CSTVisitor):
    """Records the fields of one node in the order libcst visits them (source order)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        self.fields.append(attribute)


def child_fields(node: cst.CSTNode) -> tuple[str, ...]:
    """The fields of `node`'s class that hold child nodes, in source order, as libcst's
    visitors see them (learnt once per class), whitespace and punctuation left out."""
    cls = type(node)
    fields = _CHILD_FIELDS.get(cls)
    if fields is None:
        order = _FieldOrder()
        node._visit_and_replace_children(order)
        declared = [f.name for f in dataclasses.fields(cls)]
        names = dict.fromkeys([*order.fields, *declared])
        fields = tuple(
            n for n in names if n not in _SKIPPED_FIELDS and not n.startswith("whitespace")
        )
        _CHILD_FIELDS[cls] = fields
    return fields


def is_node(value: object) -> bool:
    # isinstance() against libcst's abstract base classes goes through ABCMeta: cache by type.
    cls = type(value)
    known = _IS_NODE.get(cls)
    if known is None:
        known = _IS_NODE[cls] = issubclass(cls, cst.CSTNode)
    return known


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The child nodes of `node` in source order (whitespace and punctuation left out)."""
    out: list[cst.CSTNode] = []
    for name in child_fields(node):
        value = getattr(node, name)
        if type(value) is tuple or type(value) is list:
            out.extend(v for v in value if is_node(v))
        elif is_node(value):
            out.append(value)
    return out


def walk(tree: cst.CSTNode, prune: tuple[type, ...] = ()) -> Iterator[cst.CSTNode]:
    """`tree` and every node under it, in source order (whitespace and punctuation left out);
    the children of nodes of the `prune` types are left out too (the nodes themselves are not,
    `tree` excepted)."""
    stack: list[cst.CSTNode] = [tree]
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        yield node
        if prune and node is not tree and isinstance(node, prune):
            continue
        kids = children(node)
        kids.reverse()
        for child in kids:
            push(child)


_ENTER, _LEAVE, _ENTER_FIELD, _LEAVE_FIELD = range(4)


def visit(tree: cst.CSTNode, visitor: Any, field_hooks: frozenset[str] | None = None) -> None:
    """Drive `visitor` over `tree` as ``tree.visit(visitor)`` does: ``on_visit`` (children
    skipped when it returns False), ``on_leave``, and ``on_visit_attribute`` /
    ``on_leave_attribute`` around the fields named in `field_hooks` (``"Try_body"``; by
    default those the visitor has ``visit_Try_body``-style methods for), in the same order.

    Unlike ``tree.visit``, it rebuilds no node (libcst reconstructs every node it passes, even
    for a read-only visitor), so it is several times faster; whitespace and punctuation nodes
    are not visited, and the visitor cannot replace nodes.
    """
    hooked_fields = _hook_map(_visitor_hooks(visitor) if field_hooks is None else field_hooks)
    on_visit, on_leave = visitor.on_visit, visitor.on_leave
    # An explicit stack, not recursion: nesting is as deep as the user's code.
    stack: list[tuple[int, cst.CSTNode, str]] = [(_ENTER, tree, "")]
    pop, push = stack.pop, stack.append
    while stack:
        event, node, field = pop()
        if event == _ENTER:
            push((_LEAVE, node, ""))
            if not on_visit(node):
                continue
            fields = hooked_fields.get(type(node).__name__) if hooked_fields else None
            for name in reversed(child_fields(node)):
                hooked = fields is not None and name in fields
                if hooked:
                    push((_LEAVE_FIELD, node, name))
                value = getattr(node, name)
                if type(value) is tuple or type(value) is list:
                    for child in reversed(value):
                        if is_node(child):
                            push((_ENTER, child, ""))
                elif is_node(value):
                    push((_ENTER, value, ""))
                if hooked:
                    push((_ENTER_FIELD, node, name))
        elif event == _LEAVE:
            on_leave(node)
        elif event == _ENTER_FIELD:
            visitor.on_visit_attribute(node, field)
        else:
            visitor.on_leave_attribute(node, field)


@contextmanager
def fast_visitors() -> Iterator[None]:
    """While active, ``node.visit(visitor)`` with a read-only ``CSTVisitor`` (libcst's metadata
    providers are such visitors, and call ``visit`` on parts of the tree themselves) is
    driven by `visit`. A transformer still gets libcst's own traversal.

    For the scope and qualified-name metadata of a module this is about three times faster;
    the metadata of whitespace nodes, which nothing here asks for, is left out.
    """
    original = cst.CSTNode.visit
    original_get_visitors = cst.BatchableCSTVisitor.get_visitors

    def fast(self: cst.CSTNode, visitor: Any) -> Any:
        if not isinstance(visitor, cst.CSTVisitor):
            return original(self, visitor)
        if _hooks_only_root(self, visitor):
            # The scope and expression-context providers hook only `visit_Module` (which
            # walks the module itself): the batched walk of every other node calls nothing.
            visitor.on_visit(self)
            visitor.on_leave(self)
        else:
            visit(self, visitor)
        return self

    def get_visitors(self: cst.BatchableCSTVisitor) -> Mapping[str, Any]:
        # libcst runs inspect.getmembers over each provider instance; the names are the
        # class's, so find them once per class.
        names = _BATCHED_NAMES.get(type(self))
        if names is None:
            names = _BATCHED_NAMES[type(self)] = tuple(original_get_visitors(self))
        return {name: getattr(self, name) for name in names}

    # The scope provider asks `isinstance(node, <18 node classes>)` of every node it leaves:
    # through ABCMeta, one check per class. The parser makes nodes of exactly those classes.
    assignment_like = scope_provider._ASSIGNMENT_LIKE_NODES
    cst.CSTNode.visit = fast  # type: ignore[method-assign]
    cst.BatchableCSTVisitor.get_visitors = get_visitors  # type: ignore[method-assign]
    scope_provider._ASSIGNMENT_LIKE_NODES = _ExactTypes(assignment_like)
    try:
        yield
    finally:
        cst.CSTNode.visit = original  # type: ignore[method-assign]
        cst.BatchableCSTVisitor.get_visitors = original_get_visitors  # type: ignore[method-assign]
        scope_provider._ASSIGNMENT_LIKE_NODES = assignment_like


class _ExactTypes:
    """Stands for a tuple of node classes in ``isinstance``: true for an object of exactly one
    of them, found in one set lookup."""

    def __init__(self, classes: Iterable[type]) -> None:
        self.classes = frozenset(classes)

    def __instancecheck__(self, instance: object) -> bool:
        return type(instance) in self.classes


_BATCHED_NAMES: dict[type, tuple[str, ...]] = {}


def _hooks_only_root(tree: cst.CSTNode, visitor: object) -> bool:
    """Whether `visitor` is libcst's batched visitor with methods for `tree`'s own class only
    (so visiting anything below `tree` calls nothing)."""
    methods = getattr(visitor, "visitor_methods", None)
    if not isinstance(methods, dict):
        return False
    if getattr(visitor, "before_visit", None) or getattr(visitor, "after_leave", None):
        return False
    root = type(tree).__name__
    return all(name in (f"visit_{root}", f"leave_{root}") for name in methods)


def _visitor_hooks(visitor: object) -> frozenset[str]:
    # libcst's batched visitor dispatches to the methods of the providers it batches.
    batched = getattr(visitor, "visitor_methods", None)
    if not isinstance(batched, dict):
        return _field_hooks(type(visitor))
    hooks = getattr(visitor, "_numba_check_hooks", None)
    if hooks is None:  # once per batched visitor: it is handed to `visit` for every subtree
        hooks = frozenset(
            _field_hook_names(
                name
                for name, methods in batched.items()
                if any(not _is_stub(name, method) for method in methods)
            )
        )
        visitor._numba_check_hooks = hooks  # type: ignore[attr-defined]
    return hooks


def _is_stub(name: str, method: Any) -> bool:
    """Whether `method` is the no-op that libcst's visitor classes define for every hook."""
    return getattr(method, "__func__", method) is getattr(cst.CSTVisitor, name, None)


def _field_hook_names(names: Iterable[str]) -> Iterator[str]:
    # Node class names have no underscore: `visit_Try_body` hooks a field, `visit_Try` not.
    for name in names:
        if name.startswith(("visit_", "leave_")) and name.count("_") >= 2:
            yield name.split("_", 1)[1]


_HOOK_MAPS: dict[frozenset[str], dict[str, frozenset[str]]] = {}
_HOOKS_ATTRIBUTE = "_numba_check_field_hooks"


def _field_hooks(cls: type) -> frozenset[str]:
    # Kept on the class itself: a table by class would keep every visitor class alive, with
    # what its methods' closures hold (a class defined in a function is new at each call).
    hooks: frozenset[str] | None = cls.__dict__.get(_HOOKS_ATTRIBUTE)
    if hooks is None:
        own = (n for n in dir(cls) if not _is_stub(n, getattr(cls, n, None)))
        hooks = frozenset(_field_hook_names(own))
        setattr(cls, _HOOKS_ATTRIBUTE, hooks)
    return hooks


def _hook_map(hooks: frozenset[str]) -> dict[str, frozenset[str]]:
    """``{"Try": {"body"}}`` for ``{"Try_body"}``: the hooked fields by node class name."""
    found = _HOOK_MAPS.get(hooks)
    if found is None:
        by_kind: dict[str, set[str]] = {}
        for hook in hooks:
            kind, _, name = hook.partition("_")
            by_kind.setdefault(kind, set()).add(name)
        found = _HOOK_MAPS[hooks] = {k: frozenset(v) for k, v in by_kind.items()}
    return found


class Pattern:
    """A node class and constraints on its fields; ``a | b`` matches either."""

    __slots__ = ("_alternatives",)

    def __init__(self, alternatives: tuple[tuple[type, dict[str, Any]], ...]) -> None:
        self._alternatives = alternatives

    @property
    def classes(self) -> tuple[type, ...]:
        return tuple(dict.fromkeys(cls for cls, _ in self._alternatives))

    def __or__(self, other: Pattern) -> Pattern:
        return Pattern(self._alternatives + other._alternatives)

    def matches(self, node: object) -> bool:
        for cls, fields in self._alternatives:
            if isinstance(node, cls) and all(
                _field_matches(getattr(node, name), want) for name, want in fields.items()
            ):
                return True
        return False

    def __repr__(self) -> str:
        return " | ".join(f"{cls.__name__}({fields})" for cls, fields in self._alternatives)


def _field_matches(value: object, want: object) -> bool:
    if isinstance(want, Pattern):
        return want.matches(value)
    if isinstance(want, (list, tuple)):
        return (
            isinstance(value, Sequence)
            and len(value) == len(want)
            and all(_field_matches(v, w) for v, w in zip(value, want, strict=True))
        )
    return bool(value == want)


def matches(node: object, pattern: Pattern) -> bool:
    return pattern.matches(node)


def findall(tree: cst.CSTNode, pattern: Pattern) -> list[cst.CSTNode]:
    """Every node of `tree` (itself included) that `pattern` matches, in source order.

    Over the module searched last, or any node of it (rules search each compiled function's
    body), the nodes come from an index by node class built in one walk of the module;
    elsewhere from a walk of `tree`.
    """
    index = _module_index(tree) if isinstance(tree, cst.Module) else _last_index
    span = index.spans.get(id(tree)) if index is not None else None
    if index is None or span is None:
        return [node for node in walk(tree) if pattern.matches(node)]
    first, last = span
    whole = isinstance(tree, cst.Module)
    found: list[tuple[int, cst.CSTNode]] = []
    classes = pattern.classes
    for kind, nodes in index.by_class.items():
        if not issubclass(kind, classes):
            continue
        if not whole:
            nodes = nodes[bisect.bisect_left(nodes, (first,)) : bisect.bisect_left(nodes, (last,))]
        found.extend(pair for pair in nodes if pattern.matches(pair[1]))
    found.sort(key=lambda pair: pair[0])
    return [node for _, node in found]


class _Index:
    """Every node of one module by class, each with its number in source order, and the
    numbers each node's subtree spans: ``id(node) -> (first, past_last)``."""

    __slots__ = ("by_class", "module", "spans")

    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self.by_class: dict[type, list[tuple[int, cst.CSTNode]]] = {}
        self.spans: dict[int, tuple[int, int]] = {}
        numbered: list[cst.CSTNode] = []
        opened: list[int] = []  # numbers of the nodes whose subtrees are being numbered
        stack: list[cst.CSTNode | None] = [module]
        while stack:
            node = stack.pop()
            if node is None:  # the subtree of the node opened last is all numbered
                first = opened.pop()
                self.spans[id(numbered[first])] = (first, len(numbered))
                continue
            self.by_class.setdefault(type(node), []).append((len(numbered), node))
            opened.append(len(numbered))
            numbered.append(node)
            stack.append(None)
            kids = children(node)
            kids.reverse()
            stack.extend(kids)


# The index of the module searched last (modules are linted one at a time; libcst's nodes take
# no weak references), replaced whole, so threads never see half of one. Every node it holds
# is alive, so no other object can have the id of one.
_last_index: _Index | None = None


def _module_index(module: cst.Module) -> _Index:
    global _last_index
    last = _last_index
    if last is not None and last.module is module:
        return last
    index = _last_index = _Index(module)
    return index


def __getattr__(name: str) -> Callable[..., Pattern]:
    cls = getattr(cst, name, None)
    if not (isinstance(cls, type) and issubclass(cls, cst.CSTNode)):
        raise AttributeError(f"libcst has no node class {name!r}")
    positional = [f.name for f in dataclasses.fields(cls)]

    def pattern(*args: object, **fields: object) -> Pattern:
        fields.update(zip(positional, args, strict=False))
        return Pattern(((cls, fields),))

    pattern.__name__ = name
    return pattern
