"""Node patterns over `ast` trees: ``m.Call(func=m.Name("len")) | m.Attribute()``,
``m.matches(node, pattern)``, ``m.findall(tree, pattern)``, and a visitor driver.

A pattern names a node class of the ``ast`` module and constrains fields: a pattern, a list of
patterns (the sequence matches element by element), or a plain value compared with ``==``.
Positional arguments fill the node's fields in declaration order (``m.Name("x")`` is
``id="x"``). Declarative shapes, as libcst's matchers spell them, without libcst's cost: its
parser builds about ten times slower than `ast`'s, and the rules need nothing `ast` lacks.

Children are walked in source order, which `ast`'s own field order is not everywhere (a
def's decorators come after its body there, a dict's values after all its keys). Expression
contexts and operators are left out: CPython shares one instance of each between all nodes,
so they are matched as fields (``isinstance(node.op, ast.Add)``), never walked.
"""

from __future__ import annotations

import ast
import bisect
import functools
import heapq
import operator
from collections.abc import Callable, Iterator, Sequence
from typing import Any

__all__ = [
    "Pattern",
    "Visitor",
    "child_fields",
    "children",
    "findall",
    "findall_in",
    "identifiers",
    "index_of",
    "is_node",
    "matches",
    "parents",
    "release_index",
    "visit",
    "visit_classes",
    "walk",
]

_SKIPPED_FIELDS = frozenset(
    {
        *("ctx", "op", "ops", "type_comment", "type_ignores", "kind"),
        # Fields that hold only identifiers, numbers and flags, never a node.
        *("id", "attr", "arg", "name", "asname", "module", "level", "is_async", "conversion"),
    }
)
# Where source order differs from `_fields` order.
_SOURCE_ORDER: dict[type, tuple[str, ...]] = {
    ast.FunctionDef: ("decorator_list", "type_params", "args", "returns", "body"),
    ast.AsyncFunctionDef: ("decorator_list", "type_params", "args", "returns", "body"),
    ast.ClassDef: ("decorator_list", "type_params", "bases", "keywords", "body"),
    ast.IfExp: ("body", "test", "orelse"),
}


def _child_fields_of(cls: type) -> tuple[str, ...]:
    order = _SOURCE_ORDER.get(cls, cls._fields)  # type: ignore[attr-defined]
    return tuple(
        f
        for f in order
        if f in cls._fields  # type: ignore[attr-defined]
        and f not in _SKIPPED_FIELDS
        and not (cls is ast.Constant and f == "value")
    )


def _node_classes(base: type = ast.AST) -> Iterator[type]:
    yield base
    for sub in base.__subclasses__():
        yield from _node_classes(sub)


# Every node class's, computed up front: the walks below look a class up for each node.
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {c: _child_fields_of(c) for c in _node_classes()}
_CHILD_FIELDS_BACKWARDS = {c: fields[::-1] for c, fields in _CHILD_FIELDS.items()}


def child_fields(node: ast.AST) -> tuple[str, ...]:
    """The fields of `node`'s class that may hold child nodes, in source order."""
    cls = type(node)
    fields = _CHILD_FIELDS.get(cls)
    if fields is None:  # a class made after this module was imported
        fields = _CHILD_FIELDS[cls] = _child_fields_of(cls)
    return fields


def is_node(value: object) -> bool:
    return isinstance(value, ast.AST)


def children(node: ast.AST) -> list[ast.AST]:
    """The child nodes of `node` in source order (contexts and operators left out)."""
    cls = type(node)
    if cls is ast.Dict:
        out: list[ast.AST] = []
        for key, value in zip(node.keys, node.values, strict=True):
            if key is not None:
                out.append(key)
            out.append(value)
        return out
    if cls is ast.Call and node.args and node.keywords:
        # `f(k=v, *rest)`: `ast` keeps positional and keyword arguments apart.
        arguments = sorted([*node.args, *node.keywords], key=_start)
        return [node.func, *arguments]
    out = []
    for name in child_fields(node):
        value = getattr(node, name, None)
        if type(value) is list:
            out.extend(v for v in value if isinstance(v, ast.AST))
        elif isinstance(value, ast.AST):
            out.append(value)
    return out


def _last_child(node: ast.AST) -> ast.AST | None:
    """`children(node)[-1]` (None when there is none), without listing the others."""
    cls = type(node)
    if cls is ast.Dict:
        return node.values[-1] if node.values else None
    if cls is ast.Call and node.args and node.keywords:
        return max(node.args[-1], node.keywords[-1], key=_start)
    for name in reversed(child_fields(node)):
        value = getattr(node, name, None)
        if type(value) is list:
            for item in reversed(value):
                if isinstance(item, ast.AST):
                    return item
        elif isinstance(value, ast.AST):
            return value
    return None


def parents(root: ast.AST) -> dict[ast.AST, ast.AST]:
    """Child -> parent for every node under `root`."""
    out: dict[ast.AST, ast.AST] = {}
    stack = [root]
    pop, push = stack.pop, stack.append
    fields_of = _CHILD_FIELDS.get
    while stack:
        node = pop()
        cls = type(node)
        fields = fields_of(cls)
        for name in fields if fields is not None else child_fields(node):
            value = getattr(node, name, None)
            if value.__class__ is list:
                for child in value:
                    if isinstance(child, ast.AST):
                        out[child] = node
                        push(child)
            elif isinstance(value, ast.AST):
                out[value] = node
                push(value)
    return out


def _start(node: ast.AST) -> tuple[int, int]:
    return node.lineno, node.col_offset  # type: ignore[attr-defined]


def identifiers(node: ast.AST, *, constants: bool = False) -> Iterator[str]:
    """Every identifier written under `node` (itself included), as the rules have always
    counted names (they were written for libcst, which made a name node of each): variables,
    but also attribute names (``b`` of ``a.b``), keyword argument names (``f(n=1)``) and
    parameters; with `constants`, ``True``, ``False`` and ``None`` too."""
    for child in walk(node):
        if isinstance(child, ast.Name):
            yield child.id
        elif isinstance(child, ast.Attribute):
            yield child.attr
        elif isinstance(child, (ast.keyword, ast.arg)) and child.arg is not None:
            yield child.arg
        elif (
            constants
            and isinstance(child, ast.Constant)
            and (child.value is None or type(child.value) is bool)
        ):
            yield repr(child.value)


def walk(tree: ast.AST, prune: tuple[type, ...] = ()) -> Iterator[ast.AST]:
    """`tree` and every node under it, in source order; the children of nodes of the `prune`
    types are left out (the nodes themselves are not, `tree` excepted)."""
    stack: list[ast.AST] = [tree]
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
_NUMBER = operator.itemgetter(0)  # of an index entry, (number, node)


def visit(tree: ast.AST, visitor: Any, field_hooks: frozenset[str] = frozenset()) -> None:
    """Drive `visitor` over `tree`: ``on_visit(node)`` (children skipped when it returns
    False), then the children, then ``on_leave(node)``; and ``on_visit_attribute(node,
    field)`` / ``on_leave_attribute(node, field)`` around the fields named in `field_hooks`
    (``"Try_body"``) that hold nodes. An explicit stack, not recursion: nesting is as deep as the user's code.
    """
    hooked = _hook_map(field_hooks) if field_hooks else {}
    on_visit, on_leave = visitor.on_visit, visitor.on_leave
    stack: list[tuple[int, ast.AST, str]] = [(_ENTER, tree, "")]
    pop, push = stack.pop, stack.append
    while stack:
        event, node, field = pop()
        if event == _ENTER:
            push((_LEAVE, node, ""))
            if not on_visit(node):
                continue
            fields = hooked.get(type(node).__name__) if hooked else None
            if fields is None:
                for child in reversed(children(node)):
                    push((_ENTER, child, ""))
                continue
            for name in reversed(child_fields(node)):
                value = getattr(node, name, None)
                kids = [c for c in (value if type(value) is list else [value]) if is_node(c)]
                around = name in fields and kids
                if around:
                    push((_LEAVE_FIELD, node, name))
                for child in reversed(kids):
                    push((_ENTER, child, ""))
                if around:
                    push((_ENTER_FIELD, node, name))
        elif event == _LEAVE:
            on_leave(node)
        elif event == _ENTER_FIELD:
            visitor.on_visit_attribute(node, field)
        else:
            visitor.on_leave_attribute(node, field)


def visit_classes(
    trees: Sequence[ast.AST],
    visitor: Any,
    visited: frozenset[type],
    left: frozenset[type],
    field_hooks: frozenset[str] = frozenset(),
) -> None:
    """`visit` over `trees` (nodes of the module indexed last, see `index_of`), with only the
    events a visitor that hooks a few node classes can see: ``on_visit`` for nodes of the
    `visited` classes, ``on_leave`` for those of the `left` classes, the field events of
    `field_hooks`, all in the order `visit` gives them.

    It reads the nodes of those classes from the module's index instead of walking every
    node: module rules look at calls and defs in modules of tens of thousands of nodes.
    """
    index = _last_index
    ranges = _ranges(index, trees)
    if ranges is None:
        for tree in trees:
            visit(tree, _OnlyClasses(visitor, visited, left), field_hooks)
        return
    assert index is not None
    hooked = _hook_map(field_hooks) if field_hooks else {}
    wanted = visited | left | {c for c in index.by_class if c.__name__ in hooked}
    nodes: list[tuple[int, ast.AST]] = []
    for cls, bucket in index.by_class.items():
        if cls not in wanted:
            continue
        for numbers in ranges:
            nodes.extend(_slice(bucket, numbers))
    nodes.sort(key=_NUMBER)
    # Leave events wait in a heap by position: at one position, leaves (innermost first)
    # before entering a field (in order).
    pending: list[tuple[int, int, int, int, ast.AST, str]] = []
    push, pop = heapq.heappush, heapq.heappop
    on_visit, span = visitor.on_visit, index.span
    count = 0
    skipped_until = -1
    for number, node in nodes:
        while pending and pending[0][0] <= number:
            _fire(visitor, pop(pending))
        if number < skipped_until:
            continue
        cls = type(node)
        keep = cls not in visited or on_visit(node)
        if cls in left:
            count += 1
            push(pending, (span(node)[1], 0, -count, _LEAVE, node, ""))  # type: ignore[index]
        if not keep:
            skipped_until = span(node)[1]  # type: ignore[index]
            continue
        if not hooked:
            continue
        fields = hooked.get(cls.__name__)
        if fields is None:
            continue
        for name in child_fields(node):
            if name not in fields:
                continue
            value = getattr(node, name, None)
            kids = [v for v in (value if type(value) is list else [value]) if is_node(v)]
            if not kids:
                continue
            count += 1
            first = index.numbers[id(kids[0])]
            push(pending, (first, 1, count, _ENTER_FIELD, node, name))
            end = span(kids[-1])[1]  # type: ignore[index]
            push(pending, (end, 0, -count, _LEAVE_FIELD, node, name))
    while pending:
        _fire(visitor, pop(pending))


def _ranges(index: _Index | None, trees: Sequence[ast.AST]) -> list[tuple[int, int]] | None:
    """The index numbers of `trees`, as few ranges as they make (a body's statements are
    numbered one after the other); None where a tree is not in `index`."""
    if index is None:
        return None
    ranges: list[tuple[int, int]] = []
    for tree in trees:
        span = index.span(tree)
        if span is None:
            return None
        if ranges and ranges[-1][1] == span[0]:
            ranges[-1] = (ranges[-1][0], span[1])
        else:
            ranges.append(span)
    return ranges


def _fire(visitor: Any, event: tuple[int, int, int, int, ast.AST, str]) -> None:
    _, _, _, kind, node, field = event
    if kind == _LEAVE:
        visitor.on_leave(node)
    elif kind == _ENTER_FIELD:
        visitor.on_visit_attribute(node, field)
    else:
        visitor.on_leave_attribute(node, field)


class _OnlyClasses:
    """Passes on the events of the classes `visit_classes` was asked for (its fallback)."""

    def __init__(self, visitor: Any, visited: frozenset[type], left: frozenset[type]) -> None:
        self.visitor, self.visited, self.left = visitor, visited, left
        self.on_visit_attribute = visitor.on_visit_attribute
        self.on_leave_attribute = visitor.on_leave_attribute

    def on_visit(self, node: ast.AST) -> bool:
        return type(node) not in self.visited or self.visitor.on_visit(node) is not False

    def on_leave(self, node: ast.AST) -> None:
        if type(node) in self.left:
            self.visitor.on_leave(node)


class Visitor:
    """A base for visitors driven by `visit`: its events go to ``visit_<ast class>`` /
    ``leave_<ast class>`` methods, as in ``ast.NodeVisitor``; a ``visit_`` method that
    returns False skips the node's children."""

    def on_visit(self, node: ast.AST) -> bool:
        method = getattr(self, f"visit_{type(node).__name__}", None)
        return method is None or method(node) is not False

    def on_leave(self, node: ast.AST) -> None:
        method = getattr(self, f"leave_{type(node).__name__}", None)
        if method is not None:
            method(node)


_HOOK_MAPS: dict[frozenset[str], dict[str, frozenset[str]]] = {}


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

    __slots__ = ("_alternatives", "classes", "unconstrained")

    def __init__(self, alternatives: tuple[tuple[type, dict[str, Any]], ...]) -> None:
        self._alternatives = alternatives
        self.classes: tuple[type, ...] = tuple(dict.fromkeys(cls for cls, _ in alternatives))
        # Whether any node of `classes` matches: no field is constrained.
        self.unconstrained = not any(fields for _, fields in alternatives)

    def __or__(self, other: Pattern) -> Pattern:
        return Pattern(self._alternatives + other._alternatives)

    def matches(self, node: object) -> bool:
        for cls, fields in self._alternatives:
            if isinstance(node, cls) and all(
                _field_matches(getattr(node, name, None), want) for name, want in fields.items()
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


def findall(tree: ast.AST, pattern: Pattern) -> list[ast.AST]:
    """Every node of `tree` (itself included) that `pattern` matches, in source order.

    Over the module searched last, or any node of it (rules search each compiled function's
    body), the nodes come from an index by node class built in one walk of the module;
    elsewhere from a walk of `tree`.
    """
    if isinstance(tree, ast.Module):
        index = _module_index(tree)
        return _found(list(_buckets(index, pattern.classes)), None, pattern)
    return findall_in([tree], pattern)


def findall_in(trees: Sequence[ast.AST], pattern: Pattern) -> list[ast.AST]:
    """`findall` over each of `trees` (statements of a body, say), as one list."""
    index = _last_index
    if index is None or not all(id(tree) in index.numbers for tree in trees):
        return [node for tree in trees for node in walk(tree) if pattern.matches(node)]
    buckets = list(_buckets(index, pattern.classes))
    if not buckets:
        return []  # most modules hold no `global`, no `try`: no spans to find
    return _found(buckets, _ranges(index, trees), pattern)


def _found(
    buckets: list[list[tuple[int, ast.AST]]],
    ranges: list[tuple[int, int]] | None,
    pattern: Pattern,
) -> list[ast.AST]:
    """The nodes of `buckets` that `pattern` matches in `ranges` of the index (None: all of
    it), in source order."""
    found: list[tuple[int, ast.AST]] = []
    plain = pattern.unconstrained
    matches = pattern.matches
    for bucket in buckets:
        if ranges is None:
            nodes = bucket
        elif len(ranges) == 1:
            nodes = _slice(bucket, ranges[0])
        else:
            nodes = [pair for numbers in ranges for pair in _slice(bucket, numbers)]
        if plain:
            found.extend(nodes)
        else:
            found.extend(pair for pair in nodes if matches(pair[1]))
    if len(buckets) > 1:
        found.sort(key=_NUMBER)  # each bucket is in source order already
    return [node for _, node in found]


def _slice(
    bucket: list[tuple[int, ast.AST]], numbers: tuple[int, int]
) -> list[tuple[int, ast.AST]]:
    first, last = numbers
    start = bisect.bisect_left(bucket, (first,))
    return bucket[start : bisect.bisect_left(bucket, (last,), start)]


def _buckets(index: _Index, classes: tuple[type, ...]) -> Iterator[list[tuple[int, ast.AST]]]:
    """The index's lists of the nodes of `classes` (and of their subclasses)."""
    by_class = index.by_class
    if _concrete(classes):
        for cls in classes:
            bucket = by_class.get(cls)
            if bucket:
                yield bucket
        return
    for kind, bucket in by_class.items():
        if issubclass(kind, classes):
            yield bucket


@functools.cache
def _concrete(classes: tuple[type, ...]) -> bool:
    """Whether no node class derives from any of `classes` (``Call``, not ``expr``)."""
    return not any(cls.__subclasses__() for cls in classes)


class _Index:
    """Every node of one module by class, each with its number in source order (preorder)."""

    __slots__ = ("_ends", "by_class", "module", "numbers")

    def __init__(self, module: ast.Module) -> None:
        self.module = module
        by_class: dict[type, list[tuple[int, ast.AST]]] = {}
        numbers: dict[int, int] = {}
        self.by_class, self.numbers = by_class, numbers
        self._ends: dict[int, int] = {}
        # One walk, the body of `walk` and `children` inlined: it visits every node of every
        # module that may use Numba.
        stack: list[ast.AST] = [module]
        pop, push = stack.pop, stack.append
        backwards = _CHILD_FIELDS_BACKWARDS.get
        dict_t, call_t, list_t, node_t = ast.Dict, ast.Call, list, ast.AST
        number = 0
        while stack:
            node = pop()
            cls = node.__class__
            bucket = by_class.get(cls)
            if bucket is None:
                bucket = by_class[cls] = []
            bucket.append((number, node))
            numbers[id(node)] = number
            number += 1
            if cls is dict_t or (cls is call_t and node.args and node.keywords):  # type: ignore[attr-defined]
                kids = children(node)
                kids.reverse()
                stack.extend(kids)
                continue
            fields = backwards(cls)
            if fields is None:
                fields = child_fields(node)[::-1]
            for name in fields:
                value = getattr(node, name)
                if value.__class__ is list_t:
                    for child in reversed(value):
                        if isinstance(child, node_t):
                            push(child)
                elif isinstance(value, node_t):
                    push(value)

    def span(self, node: ast.AST) -> tuple[int, int] | None:
        """The numbers of `node`'s subtree, ``(first, past_last)``; None if not indexed."""
        first = self.numbers.get(id(node))
        if first is None:
            return None
        end = self._ends.get(first)
        if end is None:
            last = node
            while (kid := _last_child(last)) is not None:  # a subtree ends with its last child's
                last = kid
            end = self._ends[first] = self.numbers[id(last)] + 1
        return first, end


# The index of the module searched last (modules are linted one at a time), replaced whole,
# so threads never see half of one. Every node it holds is alive, so no other object can
# have the id of one.
_last_index: _Index | None = None


def index_of(module: ast.Module) -> None:
    """Index `module` (if it is not the module indexed last) for `findall`/`visit_classes`."""
    _module_index(module)


def release_index(module: ast.Module) -> None:
    """Drop the index of `module` (when it is the one indexed last): it holds every node, and a
    module's nodes should die with the module (by reference counting, not at the next index)."""
    global _last_index
    if _last_index is not None and _last_index.module is module:
        _last_index = None


def _module_index(module: ast.Module) -> _Index:
    global _last_index
    last = _last_index
    if last is not None and last.module is module:
        return last
    index = _last_index = _Index(module)
    return index


def __getattr__(name: str) -> Callable[..., Pattern]:
    cls = getattr(ast, name, None)
    if not (isinstance(cls, type) and issubclass(cls, ast.AST)):
        raise AttributeError(f"ast has no node class {name!r}")
    positional = list(cls._fields)

    def pattern(*args: object, **fields: object) -> Pattern:
        fields.update(zip(positional, args, strict=False))
        return Pattern(((cls, fields),))

    pattern.__name__ = name
    return pattern
