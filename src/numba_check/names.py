"""Scopes, bindings and qualified names on `ast` trees.

Which scope a name belongs to follows Python's language reference (the standard library's
`symtable` agrees, and tests/semantic checks it against it):

* Which names a scope binds, how `global`/`nonlocal` redirect them, that class bodies are
  invisible from the functions (and comprehensions) nested in them, and that a name bound
  anywhere in a function or comprehension is local to all of it: a read sees every binding of
  it there, whatever their order.
* A module or class body looks a name up when the read runs, so a read there sees the bindings
  that ran before it, in the order Python runs them: an assignment's value before its targets;
  a def's decorators, defaults and annotations before its name is bound; a class's decorators,
  bases, keywords and body before its name is bound; a `for` loop's iterable before its target,
  and in a loop the bindings of its previous iteration too; a `with` item's expression before
  its ``as`` target; a walrus's value before its name; an annotated assignment's value, then
  its target, then its annotation. Where no binding of the scope has run yet, a module body
  reads the builtins, and a class body the module as it was when the body started (then the
  builtins). A read after a branch sees the bindings of every branch before it, and counts
  them as run: only a read that no binding precedes (on a loop's first pass, too) falls back.
  A `while` test runs once more after the body; its walrus is listed before the body's
  bindings all the same.
* Qualified names are spelled as libcst spells them: `get_full_name_for_node` (an attribute of
  something unnamed is ``None.x``), the lookup by the longest dotted prefix a scope knows,
  libcst's spelling of imported names, ``f.<locals>.x`` for locals and ``builtins.len`` for
  builtins.

Everything the tree binds is recorded in one iterative pass (generated code nests expressions
thousands deep); qualified names are then worked out per node on request and cached.
"""

from __future__ import annotations

import ast
import bisect
import builtins
import enum
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from numba_check.entry_points import NUMBA_STAR_EXPORTS

__all__ = ["Binding", "Names", "QualifiedName", "Scope", "Source"]


class Source(enum.Enum):
    """Where a qualified name comes from (libcst's `QualifiedNameSource`)."""

    IMPORT = enum.auto()
    LOCAL = enum.auto()
    BUILTIN = enum.auto()


@dataclass(frozen=True)
class QualifiedName:
    """``numpy.zeros`` (IMPORT), ``f.<locals>.x`` (LOCAL) or ``builtins.len`` (BUILTIN)."""

    name: str
    source: Source


_EMPTY: frozenset[QualifiedName] = frozenset()


@dataclass(eq=False)
class Binding:
    """One thing that binds `name` in `scope` (libcst's `Assignment`).

    `node` is what libcst's `Assignment.node` would be: the `Name` target of an assignment, a
    loop, a `with` or a walrus; the `arg` of a parameter; the whole `Import`/`ImportFrom`; the
    def or class; the `ExceptHandler` of ``except E as e``. Builtins have no node and live in
    the module scope. `index` is its place among the bindings of `scope`, in the order Python
    runs them.
    """

    name: str
    node: ast.AST | None
    _scope: weakref.ref[Scope] = field(repr=False)
    index: int = field(default=-1, repr=False)

    @property
    def scope(self) -> Scope:
        # A weak reference: the scope holds its bindings, and a cycle between them would keep
        # a module's whole tree alive until the cyclic garbage collector ran (see `Names`).
        scope = self._scope()
        assert scope is not None, "a binding outlived the analysis of its module"
        return scope

    @property
    def is_builtin(self) -> bool:
        return self.node is None

    @property
    def is_import(self) -> bool:
        return isinstance(self.node, (ast.Import, ast.ImportFrom))

    def qualified_names(self, full_name: str) -> frozenset[QualifiedName]:
        """The names `full_name` (an access that resolved to this binding) is known by."""
        node = self.node
        if node is None:
            return frozenset((QualifiedName(f"builtins.{self.name}", Source.BUILTIN),))
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            return _import_names(node, full_name)
        prefix = self.scope.name_prefix
        return frozenset(
            (QualifiedName(f"{prefix}.{full_name}" if prefix else full_name, Source.LOCAL),)
        )


def root_name(node: ast.AST) -> str | None:
    """``x`` for ``x``, ``x.y``, ``x.y(...)`` and ``x[0].y``; None where no name is the root."""
    while True:
        cls = node.__class__
        if cls is ast.Name:
            return node.id  # type: ignore[attr-defined, no-any-return]
        if cls is ast.Attribute or cls is ast.Subscript:
            node = node.value  # type: ignore[attr-defined]
        elif cls is ast.Call:
            node = node.func  # type: ignore[attr-defined]
        else:
            return None


def _import_names(node: ast.Import | ast.ImportFrom, full_name: str) -> frozenset[QualifiedName]:
    """libcst's `ImportAssignment.get_qualified_names_for`, over every alias of the statement."""
    module = ""
    if isinstance(node, ast.ImportFrom):
        module = node.module or ""
        if node.level:
            module = "." * node.level + module
    results: set[QualifiedName] = set()
    for alias in node.names:
        if alias.name == "*":  # `from numba import *`: each name it binds is numba's own
            results.add(QualifiedName(f"{module}.{full_name}", Source.IMPORT))
            break
        parts = alias.name.split(".")
        for i in range(len(parts), 0, -1):
            real_name = ".".join(parts[:i])
            as_name = real_name
            if module.endswith("."):
                real_name = module + real_name  # from . import a -> ".a"
            elif module:
                real_name = f"{module}.{real_name}"
            if alias.asname:
                as_name = alias.asname
            if full_name.startswith(as_name):
                remaining = full_name[len(as_name) :]
                if remaining and not remaining.startswith("."):
                    continue
                remaining = remaining.lstrip(".")
                name = f"{real_name}.{remaining}" if remaining else real_name
                results.add(QualifiedName(name, Source.IMPORT))
                break
    return frozenset(results)


class Scope:
    """A module, class body, function or lambda, comprehension (or, on Python 3.12+, the
    "annotation" scope of type parameters): libcst's `Scope`, without the builtin scope (the
    module's `parent` is None; builtins resolve from the module)."""

    __slots__ = (
        "_assignments",
        "_builtins",
        "_count",
        "_entry",
        "_loop_depth",
        "_loop_start",
        "_loops",
        "_module",
        "_overwrites",
        "__weakref__",
        "declared",
        "kind",
        "name",
        "name_prefix",
        "node",
        "parent",
    )

    def __init__(self, kind: str, node: ast.AST, parent: Scope | None, name: str | None = None):
        self.kind = kind
        self.node = node
        self.parent = parent
        self.name = name
        self._assignments: dict[str, list[Binding]] = {}
        self._overwrites: dict[str, Scope] = {}
        #: The names this scope declares ``global`` or ``nonlocal``: name -> which.
        self.declared: dict[str, str] = {}
        # Bindings recorded so far in this scope, in execution order: each binding's `index`
        # and each read's position in it.
        self._count = 0
        # The loops of a module or class body, outermost only, as (first, last) positions: a
        # read in one may see any binding up to the loop's end (the next iteration).
        self._loops: list[tuple[int, int]] = []
        self._loop_depth = 0
        self._loop_start = 0
        # For a class body the module runs as it goes (not one inside a function, which runs
        # whenever it is called): the module's position when the body starts.
        self._entry: int | None = None
        self._builtins: dict[str, list[Binding]] = {}
        # The module scope's `module` is itself; not stored, which would make it a cycle.
        self._module: Scope | None = None
        if parent is None:
            prefix = ""
        else:
            self._module = parent.module
            if kind == "class":
                if parent.kind == "module":
                    self._entry = parent._count
                elif parent.kind == "class":
                    self._entry = parent._entry
            up = parent.name_prefix
            if kind == "function":
                prefix = ".".join(p for p in (up, name, "<locals>") if p)
            elif kind == "class":
                prefix = ".".join(p for p in (up, name) if p)
            elif kind == "comprehension":
                prefix = ".".join(p for p in (up, "<comprehension>") if p)
            else:  # annotation scopes are transparent
                prefix = up
        #: What libcst puts before a local's name: ``f.<locals>``, ``C``, ``""`` at module level.
        self.name_prefix: str = prefix

    @property
    def module(self) -> Scope:
        return self if self._module is None else self._module

    def __repr__(self) -> str:
        return f"<Scope {self.kind} {self.name_prefix or self.name or ''}>"

    @property
    def assignments(self) -> dict[str, list[Binding]]:
        """The bindings recorded in this scope itself (a `global` one lands in the module)."""
        return self._assignments

    def __getitem__(self, name: str) -> list[Binding]:
        """libcst's ``scope[name]``: every binding `name` may refer to, seen from here."""
        return list(_resolve(self, name, self))

    def __contains__(self, name: str) -> bool:
        """libcst's ``name in scope``."""
        return _contains(self, name)

    def _builtin(self, name: str) -> list[Binding]:
        found = self._builtins.get(name)
        if found is None:
            found = [Binding(name, None, weakref.ref(self), -1)] if hasattr(builtins, name) else []
            self._builtins[name] = found
        return found


def _visible(scope: Scope | None, from_scope: Scope) -> Scope | None:
    """libcst's `_next_visible_parent`: class bodies are skipped, except by the annotation scope
    of type parameters directly inside them."""
    while scope is not None and scope.kind == "class":
        if from_scope.kind == "annotation" and from_scope.parent is scope:
            break
        scope = scope.parent
    return scope


def _resolve(start: Scope | None, name: str, from_scope: Scope) -> list[Binding]:
    """libcst's `_resolve_scope_for_access`, starting at `start` (None: the builtins)."""
    scope = start
    while scope is not None:
        target = scope._overwrites.get(name)
        if target is not None:
            scope = _visible(target, from_scope)
            continue
        found = scope._assignments.get(name)
        if found:
            return found
        scope = _visible(scope.parent, from_scope)
    return from_scope.module._builtin(name)


def _contains(start: Scope, name: str) -> bool:
    """libcst's `__contains__`: unlike resolution, a `global`/`nonlocal` redirect goes to the raw
    target, and visibility is judged from each scope in turn."""
    scope: Scope | None = start
    while scope is not None:
        target = scope._overwrites.get(name)
        if target is not None:
            scope = target
            continue
        if name in scope._assignments:
            return True
        scope = _visible(scope.parent, scope)
    return hasattr(builtins, name)


def _assignment_target(scope: Scope, name: str) -> Scope:
    """Where an assignment of `name` in `scope` lands, after `global`/`nonlocal`."""
    target = scope._overwrites.get(name)
    while target is not None:
        found = _visible(target, scope)
        assert found is not None
        scope = found
        target = scope._overwrites.get(name)
    return scope


def full_name(node: ast.AST) -> str | None:
    """libcst's `get_full_name_for_node`: ``a.b`` for ``a.b``, ``a.b[0]`` and ``a.b(1)``;
    ``None.join`` for ``"".join`` (an attribute of something unnamed); None otherwise."""
    attrs: list[str] = []
    cur = node
    base: str | None
    while True:
        cls = cur.__class__
        if cls is ast.Name:
            base = cur.id  # type: ignore[attr-defined]
            break
        if cls is ast.Attribute:
            attrs.append(cur.attr)  # type: ignore[attr-defined]
            cur = cur.value  # type: ignore[attr-defined]
        elif cls is ast.Call:
            cur = cur.func  # type: ignore[attr-defined]
        elif cls is ast.Subscript:
            cur = cur.value  # type: ignore[attr-defined]
        elif cls is ast.Constant:
            # `True`, `False` and `None` are names in libcst.
            value = cur.value  # type: ignore[attr-defined]
            base = str(value) if value is None or value is True or value is False else None
            break
        elif cls in _DEFS:
            base = cur.name  # type: ignore[attr-defined]
            break
        else:
            base = None
            break
    if not attrs:
        return base
    attrs.reverse()
    return f"{base}.{'.'.join(attrs)}"


def _dotted_names(node: ast.Attribute) -> list[tuple[str, ast.expr]]:
    """libcst's `_gen_dotted_names`, outermost first: ``a.b.c`` gives ``a.b.c``, ``a.b``, ``a``.
    A call in the chain is looked through without a name of its own; any other link ends it
    with nothing."""
    steps: list[tuple[ast.Attribute, bool]] = []
    cur: ast.expr = node
    while cur.__class__ is not ast.Name:
        if cur.__class__ is not ast.Attribute:
            return []
        value = cur.value  # type: ignore[attr-defined]
        if value.__class__ is ast.Call:
            steps.append((cur, False))  # type: ignore[arg-type]
            value = value.func
        else:
            steps.append((cur, True))  # type: ignore[arg-type]
        if value.__class__ is not ast.Name and value.__class__ is not ast.Attribute:
            return []
        cur = value
    name: str = cur.id  # type: ignore[attr-defined]
    found: list[tuple[str, ast.expr]] = [(name, cur)]
    for attribute, named in reversed(steps):
        if named:
            name = f"{name}.{attribute.attr}"
            found.append((name, attribute))
    found.reverse()
    return found


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_TYPING_SKIP_FIRST = frozenset({"typing.NewType", "typing.TypeVar"})

# The children of each node type, in the order Python evaluates them. Contexts and operators
# (shared singletons in `ast`) are left out.
_FIELDS: dict[type, tuple[str, ...]] = {
    ast.Module: ("body",),
    ast.Expr: ("value",),
    ast.Return: ("value",),
    ast.Delete: ("targets",),
    ast.Assign: ("value", "targets"),
    ast.AugAssign: ("value", "target"),
    # A module or class body stores the value, then evaluates the annotation.
    ast.AnnAssign: ("value", "target", "annotation"),
    ast.If: ("test", "body", "orelse"),
    ast.With: ("items", "body"),
    ast.AsyncWith: ("items", "body"),
    ast.Match: ("subject", "cases"),
    ast.match_case: ("pattern", "guard", "body"),
    ast.Raise: ("exc", "cause"),
    ast.Try: ("body", "handlers", "orelse", "finalbody"),
    ast.Assert: ("test", "msg"),
    ast.Pass: (),
    ast.Break: (),
    ast.Continue: (),
    ast.BoolOp: ("values",),
    ast.BinOp: ("left", "right"),
    ast.UnaryOp: ("operand",),
    ast.IfExp: ("test", "body", "orelse"),
    ast.Set: ("elts",),
    ast.Await: ("value",),
    ast.Yield: ("value",),
    ast.YieldFrom: ("value",),
    ast.Compare: ("left", "comparators"),
    ast.FormattedValue: ("value", "format_spec"),
    ast.JoinedStr: ("values",),
    ast.Constant: (),
    ast.Subscript: ("value", "slice"),
    ast.Starred: ("value",),
    ast.List: ("elts",),
    ast.Tuple: ("elts",),
    ast.Slice: ("lower", "upper", "step"),
    ast.keyword: ("value",),
    ast.MatchValue: ("value",),
    ast.MatchSingleton: (),
    ast.MatchSequence: ("patterns",),
    ast.MatchClass: ("cls", "patterns", "kwd_patterns"),
    ast.MatchStar: (),
    ast.MatchAs: ("pattern",),
    ast.MatchOr: ("patterns",),
}
if hasattr(ast, "TryStar"):  # Python 3.11+
    _FIELDS[ast.TryStar] = _FIELDS[ast.Try]

# Scopes whose names Python resolves when it compiles them (fast locals and cells), as opposed
# to a module's or class body's, looked up in a namespace when the read runs.
_COMPILED_SCOPES = frozenset({"function", "comprehension"})

_SKIPPED = (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop, ast.type_ignore)


class _Marker:
    """A step of the walk that is not a node: record a binding, or enter or leave a loop."""

    __slots__ = ()


class _Bind(_Marker):
    __slots__ = ()


class _LoopStart(_Marker):
    __slots__ = ()


class _LoopEnd(_Marker):
    __slots__ = ()


class _ClassBody(_Marker):
    __slots__ = ()


_BIND = _Bind()
_LOOP_START = _LoopStart()
_LOOP_END = _LoopEnd()
_CLASS_BODY = _ClassBody()

_Item = tuple[object, Scope, object]


def _index(binding: Binding) -> int:
    return binding.index


def _first(loop: tuple[int, int]) -> int:
    return loop[0]


_Access = tuple[Scope, int, "ast.Attribute | None"]


class Names:
    """The scopes and bindings of one module, and the qualified names of its nodes."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.module_scope = Scope("module", tree, None)
        self.scopes: list[Scope] = [self.module_scope]
        self._scope_of: dict[ast.AST, Scope] = {}
        # Every read (or `del`) of a name: its scope, how many bindings of that scope had run
        # before it (`Scope._count`), and the outermost attribute it sits in (libcst's
        # `enclosing_attribute`).
        self._accesses: dict[ast.Name, _Access] = {}
        self._targets: dict[ast.Name, tuple[ast.expr, str]] = {}
        self._cache: dict[ast.AST, frozenset[QualifiedName]] = {}
        self._memo: dict[tuple[object, str], frozenset[QualifiedName]] = {}
        self._access_memo: dict[tuple[Scope, int, str], frozenset[QualifiedName]] = {}
        # Keyed by the identity of a scope's list of bindings, which the value keeps alive.
        self._unions: dict[
            tuple[int, str | None], tuple[list[Binding], list[frozenset[QualifiedName]]]
        ] = {}
        self._bindings_of_node: dict[ast.AST, list[Binding]] | None = None
        self._means: dict[tuple[int, int, str, str], tuple[list[Binding], bool]] = {}
        self._typing = False
        self._full: dict[ast.AST, str | None] = {}
        self._bases: dict[ast.AST, ast.Name | None] = {}
        self._dotted: set[str] = set()  # the dotted names imports bind (``a.b`` for ``import a.b``)
        self._walk(tree)

    # -- public -------------------------------------------------------------------------

    def scope_of(self, node: ast.AST) -> Scope | None:
        """The scope `node` is evaluated in (libcst's `ScopeProvider` value for it): a def's
        decorators, defaults and annotations belong to the enclosing scope, as does a
        comprehension's first iterable; None for nodes libcst gives no scope."""
        return self._scope_of.get(node)

    def bindings(self, name: ast.Name) -> list[Binding]:
        """Everything `name` may refer to, flow-insensitively (libcst's ``scope[name]``)."""
        scope = self._scope_of.get(name)
        if scope is None:
            return []
        return scope[name.id]

    def referents(self, name: ast.Name) -> list[Binding]:
        """What a read of `name` may refer to when it runs (libcst's `Access.referents`, in the
        order Python runs the module): in a function or comprehension every binding of the
        scope the name belongs to; in a module or class body the bindings that ran before it
        (see the module's docstring), in the order they ran. Empty for a name that is not
        read, or whose read libcst attaches to an enclosing dotted import."""
        access = self._accesses.get(name)
        if access is None:
            return []
        target, dotted = self._access_target(name)
        if target is not name:
            return []
        return list(self._referents(access, dotted))

    def means(self, at: ast.AST, name: str, qualified: str) -> bool:
        """Whether the (dotted) `name`, written in place of `at`, would refer to `qualified`
        there, whatever binding of its root is live when it runs: each binding it may refer to
        (flow-insensitively, in the scope of `at` and those around it) gives it that meaning.
        For fixes that write a name: ``np.int_`` means ``numpy.int_`` only where no parameter,
        local, global or other import named ``np`` can be what ``np`` is."""
        scope = self._scope_of.get(at)
        if scope is None:
            return False
        found = self._lookup(scope, name)
        if not found:
            return False
        # Many fixes ask about one scope's bindings of one name (a module that imports numpy
        # again in each of its thousand cells): each list is judged once.
        key = (id(found), len(found), name, qualified)
        known = self._means.get(key)
        if known is None or known[0] is not found:
            verdict = all(
                {q.name for q in self._binding_names(binding, name)} == {qualified}
                for binding in found
            )
            known = self._means[key] = (found, verdict)
        return known[1]

    def qualified_names(self, node: ast.AST) -> frozenset[QualifiedName]:
        """libcst's ``scope.get_qualified_names_for(node)`` for the node libcst has here."""
        found = self._cache.get(node)
        if found is None:
            found = self._qualified_names(node)
            self._cache[node] = found
        return found

    # -- qualified names ----------------------------------------------------------------

    def _qualified_names(self, node: ast.AST) -> frozenset[QualifiedName]:
        scope = self._scope_of.get(node)
        if scope is None:
            return _EMPTY
        cls = node.__class__
        if cls is ast.Name:
            access = self._accesses.get(node)  # type: ignore[call-overload]
            if access is not None:
                target, dotted = self._access_target(node)  # type: ignore[arg-type]
                if target is node:
                    return self._access_names(access, dotted)
        elif cls is ast.Attribute:
            base = self._dotted_base(node)  # type: ignore[arg-type]
            if base is not None:
                access = self._accesses.get(base)
                if access is not None:
                    target, dotted = self._access_target(base)
                    if target is node:
                        return self._access_names(access, dotted)
        name = self._full_name(node)
        if name is None:
            return _EMPTY
        found = self._lookup(scope, name)
        for binding in self._bound_by().get(node, ()):
            if found and binding.scope is found[0].scope and binding.name == found[0].name:
                return self._binding_names(binding, name)
        if len(found) == 1:
            return self._binding_names(found[0], name)
        return self._union(found, len(found), name)

    def _binding_names(self, binding: Binding, name: str) -> frozenset[QualifiedName]:
        """`binding.qualified_names(name)`, shared between the many reads that give the same."""
        node = binding.node
        key: tuple[object, str]
        if node is None:
            key = (None, binding.name)
        elif node.__class__ is ast.Import or node.__class__ is ast.ImportFrom:
            key = (node, name)
        else:
            key = (binding.scope.name_prefix, name)
        found = self._memo.get(key)
        if found is None:
            found = binding.qualified_names(name)
            self._memo[key] = found
        return found

    def _full_name(self, node: ast.AST) -> str | None:
        """`full_name`, remembered for every node on the way down, so that asking about each
        link of a long chain (``a.b.c...``, ``x[0][1]...``) stays linear."""
        cache = self._full
        if node in cache:
            return cache[node]
        path: list[ast.AST] = []
        cur = node
        while True:
            if cur in cache:
                name = cache[cur]
                break
            cls = cur.__class__
            if cls is ast.Attribute or cls is ast.Subscript:
                path.append(cur)
                cur = cur.value  # type: ignore[attr-defined]
            elif cls is ast.Call:
                path.append(cur)
                cur = cur.func  # type: ignore[attr-defined]
            else:
                name = full_name(cur)
                cache[cur] = name
                break
        for link in reversed(path):
            if link.__class__ is ast.Attribute:
                name = f"{name}.{link.attr}"  # type: ignore[attr-defined]
            cache[link] = name
        return name

    def _dotted_base(self, node: ast.Attribute) -> ast.Name | None:
        """The name at the bottom of `node`'s dotted chain as `_dotted_names` walks it (through
        attributes and called functions), remembered for every link."""
        cache = self._bases
        path: list[ast.AST] = []
        cur: ast.AST = node
        while True:
            if cur in cache:
                base = cache[cur]
                break
            path.append(cur)
            value = cur.value  # type: ignore[attr-defined]
            if value.__class__ is ast.Call:
                value = value.func
            if value.__class__ is ast.Name:
                base = value
                break
            if value.__class__ is not ast.Attribute:
                base = None
                break
            cur = value
        for link in path:
            cache[link] = base
        return base

    def _access_target(self, name: ast.Name) -> tuple[ast.expr, str]:
        """The node libcst records the read of `name` on, and the name it looks up: the longest
        dotted prefix of its enclosing attribute that its scope knows (``a.b`` after
        ``import a.b``), else the name itself."""
        found = self._targets.get(name)
        if found is None:
            scope, _, enclosing = self._accesses[name]
            found = (name, name.id)
            if enclosing is not None:
                known = self._dotted
                for dotted, node in _dotted_names(enclosing):
                    if (node is name or dotted in known) and _contains(scope, dotted):
                        found = (node, dotted)
                        break
            self._targets[name] = found
        return found

    def _referents(self, access: _Access, name: str) -> list[Binding]:
        """libcst's `Access.record_assignments`, in execution order."""
        bindings, count = self._referent_prefix(access, name)
        return bindings[:count]

    def _referent_prefix(self, access: _Access, name: str) -> tuple[list[Binding], int]:
        """`_referents` as the first `count` of a list of bindings (usually a scope's own list,
        not a copy: a module that rebinds a name thousands of times would otherwise make every
        read of it cost as much)."""
        scope, index, _ = access
        everything = _resolve(scope, name, scope)
        if not everything or scope.kind in _COMPILED_SCOPES or everything[0].node is None:
            # A list holds the bindings of one scope. A name bound anywhere in a function or
            # comprehension is local to all of it: a read before the binding runs finds it
            # unbound (UnboundLocalError), never an enclosing scope's value.
            return everything, len(everything)
        home = everything[0].scope
        if home is scope:
            # A module or class body looks its names up when the read runs.
            return self._flow(scope, name, everything, index)
        if home is scope.module and scope._entry is not None:
            # Not bound in this class body: the module's namespace as the body runs.
            return self._flow(home, name, everything, scope._entry)
        return everything, len(everything)

    def _flow(
        self, scope: Scope, name: str, bindings: list[Binding], index: int
    ) -> tuple[list[Binding], int]:
        """What a read of `name` may see at position `index` of the module or class body
        `scope`, whose bindings of it are `bindings`: those run before it (in a loop, also those
        up to the loop's end, from the previous iteration); where none has run before on the
        first pass, also what the body falls back to (a class body: the module's namespace,
        then the builtins; a module: the builtins)."""
        end = index
        loops = scope._loops
        if loops:
            at = bisect.bisect_right(loops, index, key=_first) - 1
            if at >= 0 and index <= loops[at][1]:
                end = loops[at][1]
        seen = bisect.bisect_left(bindings, end, key=_index)
        if seen and (end == index or bindings[0].index < index):
            return bindings, seen
        if scope.kind == "class" and scope._entry is not None:
            module = scope.module
            found = _resolve(module, name, module)
            if found and found[0].node is not None:
                found, count = self._flow(module, name, found, scope._entry)
                fallback = found[:count]
            else:
                fallback = found
        elif scope.kind == "module":
            fallback = scope._builtin(name)
        else:  # a class body in a function, a type-parameter scope: whenever it runs
            module = scope.module
            fallback = _resolve(module if scope is not module else None, name, scope)
        if not seen:
            return fallback, len(fallback)
        combined = bindings[:seen] + fallback
        return combined, len(combined)

    def _access_names(self, access: _Access, name: str) -> frozenset[QualifiedName]:
        # Reads of one name in one scope between the same two assignments agree.
        key = (access[0], access[1], name)
        found = self._access_memo.get(key)
        if found is not None:
            return found
        bindings, count = self._referent_prefix(access, name)
        if count == 1:
            found = self._binding_names(bindings[0], bindings[0].name)
        else:
            found = self._union(bindings, count, None)
        self._access_memo[key] = found
        return found

    def _union(
        self, bindings: list[Binding], count: int, name: str | None
    ) -> frozenset[QualifiedName]:
        """The names of the first `count` of a scope's `bindings` of one name, each looked up
        as `name` (None: the binding's own name). Reads in many scopes, and reads between a
        name's many rebindings, see the same bindings or a longer prefix of them: the unions of
        every prefix are kept, so that each binding is looked at once."""
        key = (id(bindings), name)
        entry = self._unions.get(key)
        if entry is None or entry[0] is not bindings:
            entry = (bindings, [])  # the list is kept alive with its identity
            self._unions[key] = entry
        unions = entry[1]
        while len(unions) < count:
            binding = bindings[len(unions)]
            new = self._binding_names(binding, binding.name if name is None else name)
            last = unions[-1] if unions else _EMPTY
            unions.append(last if new <= last else last | new)
        return unions[count - 1] if count else _EMPTY

    def _bound_by(self) -> dict[ast.AST, list[Binding]]:
        """The bindings each node makes (an import binds several names), built on first use."""
        if self._bindings_of_node is None:
            found: dict[ast.AST, list[Binding]] = {}
            for scope in self.scopes:
                for bindings in scope._assignments.values():
                    for binding in bindings:
                        if binding.node is not None:
                            found.setdefault(binding.node, []).append(binding)
            self._bindings_of_node = found
        return self._bindings_of_node

    def _names_now(self, scope: Scope, node: ast.AST) -> set[str]:
        """The qualified names `node` has while still walking (no reads recorded yet, only the
        bindings visited so far)."""
        name = self._full_name(node)
        if name is None:
            return set()
        return {q.name for b in self._lookup(scope, name) for q in b.qualified_names(name)}

    def _lookup(self, scope: Scope, name: str) -> list[Binding]:
        """libcst's lookup by the longest dotted prefix of `name` that `scope` knows. Only an
        import binds a dotted name, so the others are skipped without a lookup."""
        dotted = self._dotted
        prefix = name
        while True:
            cut = prefix.rfind(".")
            if cut == -1:
                break
            if prefix in dotted and _contains(scope, prefix):
                return _resolve(scope, prefix, scope)
            if not dotted:
                prefix = name.partition(".")[0]
                break
            prefix = prefix[:cut]
        if _contains(scope, prefix):
            return _resolve(scope, prefix, scope)
        return []

    # -- the walk -----------------------------------------------------------------------

    def _bind(self, scope: Scope, name: str, node: ast.AST) -> None:
        if scope._overwrites:
            scope = _assignment_target(scope, name)
        binding = Binding(name, node, weakref.ref(scope), scope._count)
        scope._count += 1  # a read from now on sees it
        found = scope._assignments.get(name)
        if found is None:
            scope._assignments[name] = [binding]
        else:
            found.append(binding)

    def _new_scope(self, kind: str, node: ast.AST, parent: Scope, name: str | None) -> Scope:
        scope = Scope(kind, node, parent, name)
        self.scopes.append(scope)
        return scope

    def _walk(self, tree: ast.Module) -> None:
        """One pass in the order Python runs the module and its class bodies, with an explicit
        stack: each item is a node, the scope it is evaluated in and its enclosing attribute (or
        a `_Marker` step). The most common expressions are handled inline; constants are
        recorded without a stack trip."""
        scope_of = self._scope_of
        accesses = self._accesses
        special = self._special_handlers()
        fields = _FIELDS
        bind = self._bind
        name_t, attribute_t, constant_t, store_t = ast.Name, ast.Attribute, ast.Constant, ast.Store
        binop_t, subscript_t, tuple_t = ast.BinOp, ast.Subscript, ast.Tuple
        list_t = list
        stack: list[_Item] = [(tree, self.module_scope, None)]
        push = stack.append
        pop = stack.pop
        while stack:
            node, scope, enclosing = pop()
            cls = node.__class__
            if cls is name_t:
                scope_of[node] = scope  # type: ignore[index]
                if node.ctx.__class__ is store_t:  # type: ignore[attr-defined]
                    bind(scope, node.id, node)  # type: ignore[attr-defined, arg-type]
                else:
                    accesses[node] = (scope, scope._count, enclosing)  # type: ignore[index, assignment]
            elif cls is binop_t:
                scope_of[node] = scope  # type: ignore[index]
                child = node.right  # type: ignore[attr-defined]
                if child.__class__ is constant_t:
                    scope_of[child] = scope
                else:
                    push((child, scope, enclosing))
                child = node.left  # type: ignore[attr-defined]
                if child.__class__ is constant_t:
                    scope_of[child] = scope
                else:
                    push((child, scope, enclosing))
            elif cls is constant_t:
                scope_of[node] = scope  # type: ignore[index]
            elif cls is attribute_t:
                scope_of[node] = scope  # type: ignore[index]
                push((node.value, scope, node if enclosing is None else enclosing))  # type: ignore[attr-defined]
            elif cls is subscript_t:
                scope_of[node] = scope  # type: ignore[index]
                child = node.slice  # type: ignore[attr-defined]
                if child.__class__ is constant_t:
                    scope_of[child] = scope
                else:
                    push((child, scope, enclosing))
                push((node.value, scope, enclosing))  # type: ignore[attr-defined]
            elif cls is tuple_t:
                scope_of[node] = scope  # type: ignore[index]
                for child in reversed(node.elts):  # type: ignore[attr-defined]
                    if child.__class__ is constant_t:
                        scope_of[child] = scope
                    else:
                        push((child, scope, enclosing))
            else:
                handler = special.get(cls)
                if handler is not None:
                    handler(node, scope, enclosing, push)
                    continue
                names = fields.get(cls)
                if names is None:
                    if isinstance(node, _SKIPPED):
                        continue
                    self._generic(node, scope, enclosing, push)
                    continue
                scope_of[node] = scope  # type: ignore[index]
                for attr in reversed(names):
                    value = getattr(node, attr)
                    if value is None:
                        continue
                    if value.__class__ is list_t:
                        for child in reversed(value):
                            push((child, scope, enclosing))
                    else:
                        push((value, scope, enclosing))

    def _generic(self, node: ast.AST, scope: Scope, enclosing: object, push: Callable) -> None:
        """A node type this module does not know (a newer Python's): its AST children in
        field order."""
        self._scope_of[node] = scope
        for attr in reversed(node._fields):
            value = getattr(node, attr, None)
            if isinstance(value, list):
                for child in reversed(value):
                    if isinstance(child, ast.AST) and not isinstance(child, _SKIPPED):
                        push((child, scope, enclosing))
            elif isinstance(value, ast.AST) and not isinstance(value, _SKIPPED):
                push((value, scope, enclosing))

    def _special_handlers(self) -> dict[type, Callable[[ast.AST, Scope, object, Callable], None]]:
        handlers: dict[type, Callable] = {
            _Bind: self._bind_step,
            _LoopStart: self._loop_start,
            _LoopEnd: self._loop_end,
            _ClassBody: self._class_body,
            ast.FunctionDef: self._function,
            ast.AsyncFunctionDef: self._function,
            ast.Lambda: self._lambda,
            ast.ClassDef: self._class,
            ast.For: self._for,
            ast.AsyncFor: self._for,
            ast.While: self._while,
            ast.ListComp: self._comprehension,
            ast.SetComp: self._comprehension,
            ast.DictComp: self._comprehension,
            ast.GeneratorExp: self._comprehension,
            ast.withitem: self._withitem,
            ast.ExceptHandler: self._except,
            ast.Import: self._import,
            ast.ImportFrom: self._import,
            ast.Global: self._global,
            ast.Nonlocal: self._global,
            ast.Call: self._call,
            ast.Dict: self._dict,
            ast.MatchMapping: self._match_mapping,
            ast.MatchAs: self._match_capture,
            ast.MatchStar: self._match_capture,
            ast.NamedExpr: self._walrus,
        }
        type_alias = getattr(ast, "TypeAlias", None)
        if type_alias is not None:  # Python 3.12+
            handlers[type_alias] = self._type_alias
        return handlers

    @staticmethod
    def _loop_start(node: object, scope: Scope, enclosing: object, push: Callable) -> None:
        scope._loop_depth += 1
        if scope._loop_depth == 1:
            # A gap: a read just before the loop is not in it.
            scope._count += 1
            scope._loop_start = scope._count

    @staticmethod
    def _loop_end(node: object, scope: Scope, enclosing: object, push: Callable) -> None:
        scope._loop_depth -= 1
        if scope._loop_depth == 0 and scope._count > scope._loop_start:
            scope._loops.append((scope._loop_start, scope._count))

    def _bind_step(self, node: object, scope: Scope, enclosing: object, push: Callable) -> None:
        name, bound = enclosing  # type: ignore[misc]
        self._bind(scope, name, bound)

    def _parameters(
        self, args: ast.arguments, inner: Scope, outer: Scope, enclosing: object
    ) -> list[_Item]:
        """Bind the parameters in `inner`; return what the def reads in `outer`, in the order
        Python evaluates it: the positional defaults, the keyword-only ones, the annotations."""
        self._scope_of[args] = inner
        reads: list[_Item] = [(default, outer, enclosing) for default in args.defaults]
        reads.extend((d, outer, enclosing) for d in args.kw_defaults if d is not None)
        params = args.posonlyargs + args.args
        if args.vararg is not None:
            params.append(args.vararg)
        params.extend(args.kwonlyargs)
        if args.kwarg is not None:
            params.append(args.kwarg)
        for arg in params:
            self._scope_of[arg] = inner
            self._bind(inner, arg.arg, arg)
            if arg.annotation is not None:
                reads.append((arg.annotation, outer, enclosing))
        return reads

    def _type_params(self, params: list[ast.AST], scope: Scope, push: Callable) -> None:
        """PEP 695 type parameters (Python 3.12+): each binds in the annotation scope, then its
        bound and its default are read."""
        for param in reversed(params):
            self._scope_of[param] = scope
            default = getattr(param, "default_value", None)
            if default is not None:
                push((default, scope, None))
            bound = getattr(param, "bound", None)
            if bound is not None:
                push((bound, scope, None))
            push((_BIND, scope, (param.name, param)))  # type: ignore[attr-defined]

    def _function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope, _: object, push: Callable
    ) -> None:
        """As Python runs a def: the decorators, (the type parameters,) the defaults and the
        annotations, then the name is bound; the body (the function's own scope) after."""
        self._scope_of[node] = scope
        outer = scope
        type_params = getattr(node, "type_params", None)
        if type_params:
            outer = self._new_scope("annotation", node, scope, None)
        inner = self._new_scope("function", node, outer, node.name)
        for statement in reversed(node.body):
            push((statement, inner, None))
        push((_BIND, scope, (node.name, node)))
        if node.returns is not None:
            push((node.returns, outer, None))
        for item in reversed(self._parameters(node.args, inner, outer, None)):
            push(item)
        if type_params:
            self._type_params(type_params, outer, push)
        for decorator in reversed(node.decorator_list):
            push((decorator, outer, None))

    def _lambda(self, node: ast.Lambda, scope: Scope, enclosing: object, push: Callable) -> None:
        self._scope_of[node] = scope
        inner = self._new_scope("function", node, scope, None)
        push((node.body, inner, enclosing))
        for item in reversed(self._parameters(node.args, inner, scope, enclosing)):
            push(item)

    def _class(self, node: ast.ClassDef, scope: Scope, _: object, push: Callable) -> None:
        """As Python runs a class statement: the decorators, (the type parameters,) the bases
        and keywords, the body; the name is bound last."""
        self._scope_of[node] = scope
        if node.name == "typing":  # its locals would be named typing.x
            self._typing = True
        push((_BIND, scope, (node.name, node)))
        outer = scope
        type_params = getattr(node, "type_params", None)
        if type_params:
            outer = self._new_scope("annotation", node, scope, None)
        # The class scope is made when its body is reached: a class body that the module
        # runs starts at the module's position then (`Scope._entry`).
        push((_CLASS_BODY, outer, node))
        for keyword in reversed(node.keywords):
            push((keyword, outer, None))
        for base in reversed(node.bases):
            push((base, outer, None))
        if type_params:
            self._type_params(type_params, outer, push)
        for decorator in reversed(node.decorator_list):
            push((decorator, scope, None))

    def _class_body(self, marker: object, outer: Scope, node: object, push: Callable) -> None:
        cls: ast.ClassDef = node  # type: ignore[assignment]
        inner = self._new_scope("class", cls, outer, cls.name)
        for statement in reversed(cls.body):
            push((statement, inner, None))

    def _type_alias(self, node: ast.AST, scope: Scope, _: object, push: Callable) -> None:
        """``type X[T] = ...`` (Python 3.12+): X binds to the statement; the rest is read in an
        annotation scope, lazily."""
        self._scope_of[node] = scope
        name: ast.Name = node.name  # type: ignore[attr-defined]
        self._bind(scope, name.id, node)
        inner = self._new_scope("annotation", node, scope, None)
        push((node.value, inner, None))  # type: ignore[attr-defined]
        self._type_params(node.type_params, inner, push)  # type: ignore[attr-defined]

    def _for(self, node: ast.For | ast.AsyncFor, scope: Scope, _: object, push: Callable) -> None:
        """The iterable, once; then, as often as it runs, the target and the body; the `else`."""
        self._loop(node, scope, push, each=node.target, once=node.iter)

    def _while(self, node: ast.While, scope: Scope, _: object, push: Callable) -> None:
        """The test and the body, as often as they run; the `else`."""
        self._loop(node, scope, push, each=node.test, once=None)

    def _loop(
        self,
        node: ast.For | ast.AsyncFor | ast.While,
        scope: Scope,
        push: Callable,
        each: ast.expr,
        once: ast.expr | None,
    ) -> None:
        """Pushes a loop's parts so that they are visited in the order they run: `once`, then
        `each` and the body between the loop marks (in a module or class body a read there
        also sees the previous iteration), then the `else`."""
        self._scope_of[node] = scope
        loop = scope.kind not in _COMPILED_SCOPES
        for statement in reversed(node.orelse):
            push((statement, scope, None))
        if loop:
            push((_LOOP_END, scope, None))
        for statement in reversed(node.body):
            push((statement, scope, None))
        push((each, scope, None))
        if loop:
            push((_LOOP_START, scope, None))
        if once is not None:
            push((once, scope, None))

    def _comprehension(
        self,
        node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp,
        scope: Scope,
        enclosing: object,
        push: Callable,
    ) -> None:
        """The first iterable outside; inside, each clause's target and conditions (a later
        clause's iterable first), then the element."""
        self._scope_of[node] = scope
        inner = self._new_scope("comprehension", node, scope, None)
        if isinstance(node, ast.DictComp):
            push((node.value, inner, enclosing))
            push((node.key, inner, enclosing))
        else:
            push((node.elt, inner, enclosing))
        first, *rest = node.generators
        for clause in reversed(rest):
            self._scope_of[clause] = inner
            for condition in reversed(clause.ifs):
                push((condition, inner, enclosing))
            push((clause.target, inner, enclosing))
            push((clause.iter, inner, enclosing))
        self._scope_of[first] = scope
        for condition in reversed(first.ifs):
            push((condition, inner, enclosing))
        push((first.target, inner, enclosing))
        push((first.iter, scope, enclosing))

    def _withitem(self, node: ast.withitem, scope: Scope, _: object, push: Callable) -> None:
        """The context expression, then its ``as`` target."""
        self._scope_of[node] = scope
        if node.optional_vars is not None:
            push((node.optional_vars, scope, None))
        push((node.context_expr, scope, None))

    def _except(self, node: ast.ExceptHandler, scope: Scope, _: object, push: Callable) -> None:
        self._scope_of[node] = scope
        for statement in reversed(node.body):
            push((statement, scope, None))
        if node.name is not None:
            push((_BIND, scope, (node.name, node)))
        if node.type is not None:
            push((node.type, scope, None))

    def _import(
        self, node: ast.Import | ast.ImportFrom, scope: Scope, _: object, push: Callable
    ) -> None:
        """``import a.b.c`` binds ``a.b.c``, ``a.b`` and ``a``; ``import a as b`` binds ``b``;
        a star import binds nothing, but for ``from numba import *`` (unlike libcst): what it
        binds is known, and it is how some code gets ``njit``."""
        self._scope_of[node] = scope
        if isinstance(node, ast.ImportFrom):
            if not node.level and node.module and node.module.startswith("typing"):
                self._typing = True
        elif any(alias.name.startswith("typing") for alias in node.names):
            self._typing = True
        if node.names[0].name == "*":
            if isinstance(node, ast.ImportFrom) and not node.level and node.module == "numba":
                for name in sorted(NUMBA_STAR_EXPORTS):
                    self._bind(scope, name, node)
        else:
            for alias in node.names:
                self._scope_of[alias] = scope
                if alias.asname:
                    self._bind(scope, alias.asname, node)
                    continue
                dotted = alias.name
                while True:
                    self._bind(scope, dotted, node)
                    cut = dotted.rfind(".")
                    if cut != -1:
                        self._dotted.add(dotted)
                    if cut == -1:
                        break
                    dotted = dotted[:cut]

    def _global(
        self, node: ast.Global | ast.Nonlocal, scope: Scope, _: object, push: Callable
    ) -> None:
        self._scope_of[node] = scope
        if scope.parent is not None:  # libcst ignores `global` at module level
            target = scope.module if isinstance(node, ast.Global) else scope.parent
            kind = "global" if isinstance(node, ast.Global) else "nonlocal"
            for name in node.names:
                scope._overwrites[name] = target
                scope.declared[name] = kind

    def _call(self, node: ast.Call, scope: Scope, _: object, push: Callable) -> None:
        """The function, the positional arguments, the keywords (the order Python evaluates
        them in), each with no enclosing attribute (libcst starts a new frame per call). The
        first argument of ``typing.NewType``/``typing.TypeVar`` (a name, not a read) is not
        visited at all."""
        self._scope_of[node] = scope
        args: list[ast.AST] = node.args + node.keywords  # type: ignore[operator]
        # Only a module that imports typing (or a name rooted at `typing`) can call those.
        if args and (self._typing or root_name(node.func) == "typing"):
            name = self._full_name(node)
            if (
                name is not None
                and (self._typing or name.startswith("typing."))
                and not self._names_now(scope, node).isdisjoint(_TYPING_SKIP_FIRST)
            ):
                args = args[1:]
        for arg in reversed(args):
            push((arg, scope, None))
        push((node.func, scope, None))

    def _dict(self, node: ast.Dict, scope: Scope, enclosing: object, push: Callable) -> None:
        self._scope_of[node] = scope
        for key, value in reversed(list(zip(node.keys, node.values, strict=True))):
            push((value, scope, enclosing))
            if key is not None:
                push((key, scope, enclosing))

    def _match_mapping(
        self, node: ast.MatchMapping, scope: Scope, enclosing: object, push: Callable
    ) -> None:
        self._scope_of[node] = scope
        if node.rest is not None:  # `**rest` binds `rest`, the pattern is its node
            push((_BIND, scope, (node.rest, node)))
        for key, pattern in reversed(list(zip(node.keys, node.patterns, strict=True))):
            push((pattern, scope, enclosing))
            push((key, scope, enclosing))

    def _match_capture(
        self, node: ast.MatchAs | ast.MatchStar, scope: Scope, enclosing: object, push: Callable
    ) -> None:
        """``case [x, *rest]``, ``case P() as x``: a capture binds its name in the scope of
        the `match` statement (the pattern is the binding's node); ``_`` and ``*_`` bind
        nothing."""
        self._scope_of[node] = scope
        if node.name is not None:
            push((_BIND, scope, (node.name, node)))
        pattern = getattr(node, "pattern", None)
        if pattern is not None:
            push((pattern, scope, enclosing))

    def _walrus(self, node: ast.NamedExpr, scope: Scope, enclosing: object, push: Callable) -> None:
        """``(x := value)`` binds `x` in the nearest scope that is not a comprehension (PEP
        572): a walrus in a comprehension binds in the function (or module) around it. The
        value is read first."""
        self._scope_of[node] = scope
        target = node.target
        self._scope_of[target] = scope
        home = scope
        while home.kind == "comprehension" and home.parent is not None:
            home = home.parent
        push((_BIND, home, (target.id, target)))
        push((node.value, scope, enclosing))
