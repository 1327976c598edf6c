"""The parent's half of --verify: read the project with `ast` and write one recipe per
compiled function (what to rebuild, and where its argument types come from).

Nothing here imports Numba or the user's code. Names are resolved the way Python resolves a
module's globals, kept to what is certain: a name bound once at module level (an import, a
def, a class, one assignment) is bound to that; a name bound twice, or assigned from inside a
function (``global``), is an opaque stand-in, since which value Numba would see depends on the
run.
"""

from __future__ import annotations

import ast
import builtins
import functools
import itertools
import symtable
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from numba_check.compiled import FUNCTION_DEFS, CompiledFinder, CompiledFunction, Target
from numba_check.entry_points import EntryKind
from numba_check.verify.recipe import (
    ALLOWED_MODULES,
    Binding,
    Dispatcher,
    Piece,
    Recipe,
    TypeSource,
)

_BUILTINS = frozenset(dir(builtins))
# Entry points whose functions a worker can rebuild and compile on the CPU.
_REBUILDABLE = {
    EntryKind.NJIT,
    EntryKind.JIT,
    EntryKind.VECTORIZE,
    EntryKind.GUVECTORIZE,
    EntryKind.CFUNC,
    EntryKind.REGISTER_JITABLE,
}
# The calls of a project that give types to one function: more cost time and add little.
MAX_CALL_SOURCES = 12
MAX_PARAMETRIZE_CASES = 24
# numba.extending's ways of teaching Numba new functions and types: code that is never run.
_EXTENDING = frozenset(
    f"{module}.{name}"
    for module in ("numba.extending", "numba.core.extending", "numba")
    for name in (
        "overload",
        "overload_method",
        "overload_attribute",
        "overload_classmethod",
        "intrinsic",
        "type_callable",
        "lower_builtin",
        "lower_cast",
        "lower_getattr",
        "typeof_impl",
        "register_model",
        "make_attribute_wrapper",
        "infer_getattr",
        "infer_global",
        "unbox",
        "box",
    )
)


# Methods that change a container or an array in place.
_MUTATING = frozenset(
    {
        "append",
        "extend",
        "insert",
        "pop",
        "popitem",
        "remove",
        "clear",
        "update",
        "setdefault",
        "add",
        "discard",
        "sort",
        "reverse",
        "fill",
        "resize",
        "put",
        "itemset",
        "setflags",
        "__setitem__",
        "define",  # a deferred_type's: Numba sees the type defined later in the module
    }
)


@dataclass
class JitClass:
    """A jitclass of a module: the class statement and how the jitclass decorator is applied
    (``@jitclass(spec)``, bare ``@jitclass``, ``C = jitclass(Py, spec)``,
    ``C = jitclass(spec)(Py)``)."""

    node: ast.ClassDef
    name: str  # the module-level name the jitclass is bound to
    spec: tuple[ast.expr, ...]  # the spec as written (positional), if any
    keywords: tuple[ast.keyword, ...]
    where: ast.AST  # the decorator or the assignment (where a refused decorator is reported)
    unsupported: str = ""  # why it is not rebuilt ("" when it is)

    def methods(self) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
        return [s for s in self.node.body if isinstance(s, FUNCTION_DEFS)]


@dataclass
class ModuleInfo:
    """One module of the project, parsed, with its module-level bindings."""

    key: str  # its display name: the key of its namespace in recipes
    path: Path
    source: str
    dotted: str  # its dotted name as an import would spell it ("pkg.sub.mod"), "" if none

    @cached_property
    def tree(self) -> ast.Module:
        return ast.parse(self.source)

    @cached_property
    def finder(self) -> CompiledFinder:
        return CompiledFinder(self.tree)

    @cached_property
    def compiled(self) -> list[CompiledFunction]:
        return self.finder.find()

    @cached_property
    def compiled_by_node(self) -> dict[int, CompiledFunction]:
        return {id(c.node): c for c in self.compiled}

    @cached_property
    def jitclasses(self) -> dict[str, JitClass]:
        """The module-level jitclasses, by the name each is bound to."""
        finder = self.finder
        found: dict[str, JitClass] = {}
        if "jitclass" not in self.source:
            return found
        for stmt in _module_statements(self.tree):
            if isinstance(stmt, ast.ClassDef):
                kinds = [
                    finder.entry_kind(d.func if isinstance(d, ast.Call) else d)
                    for d in stmt.decorator_list
                ]
                if EntryKind.JITCLASS not in kinds:
                    continue
                deco = stmt.decorator_list[kinds.index(EntryKind.JITCLASS)]
                config = deco if isinstance(deco, ast.Call) else None
                why = ""
                if len(stmt.decorator_list) > 1:
                    why = "a jitclass with other decorators is not rebuilt by --verify"
                found[stmt.name] = self._jitclass(stmt, stmt.name, config, deco, why)
            elif (
                isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
                and isinstance(stmt.value, ast.Call)
            ):
                call = stmt.value
                if isinstance(call.func, ast.Call):  # jitclass(spec)(Py)
                    config, args = call.func, call.args
                    if finder.entry_kind(config.func) is not EntryKind.JITCLASS:
                        continue
                else:  # jitclass(Py, spec)
                    if finder.entry_kind(call.func) is not EntryKind.JITCLASS:
                        continue
                    config, args = call, call.args[:1]
                if len(args) != 1 or not isinstance(args[0], ast.Name):
                    continue
                bound = self.bindings_of(args[0].id)
                if len(bound) != 1 or not isinstance(bound[0], ast.ClassDef):
                    continue
                node = bound[0]
                why = ""
                if node.decorator_list:
                    why = "a decorated class made a jitclass is not rebuilt by --verify"
                name = stmt.targets[0].id
                skip = 1 if config is call else 0
                found[name] = self._jitclass(node, name, config, stmt, why, skip)
        return found

    def _jitclass(
        self,
        node: ast.ClassDef,
        name: str,
        config: ast.Call | None,
        where: ast.AST,
        why: str,
        skip: int = 0,
    ) -> JitClass:
        spec: tuple[ast.expr, ...] = ()
        keywords: tuple[ast.keyword, ...] = ()
        if config is not None:
            spec = tuple(config.args[skip:])
            keywords = tuple(config.keywords)
            if any(isinstance(a, ast.Starred) for a in spec) or any(
                k.arg not in ("spec", "cls_or_spec") for k in keywords
            ):
                why = why or "its jitclass arguments are not read by --verify"
        why = why or _jitclass_body(node, self)
        return JitClass(node, name, spec, keywords, where, why)

    def bindings_of(self, name: str) -> list[ast.AST]:
        return self.bindings.get(name, [])

    @cached_property
    def jitclass_of_method(self) -> dict[int, JitClass]:
        """The jitclass each method def belongs to, by the id of the def."""
        found = {}
        for jc in self.jitclasses.values():
            for method in jc.methods():
                found[id(method)] = jc
        return found

    @cached_property
    def bindings(self) -> dict[str, list[ast.AST]]:
        """Each module-level name with the statements (or aliases) that bind it."""
        found: dict[str, list[ast.AST]] = {}
        for stmt in _module_statements(self.tree):
            for name, node in _bound_names(stmt):
                found.setdefault(name, []).append(node)
        # A function that declares a name global and assigns it rebinds it at run time.
        for name in _assigned_globals(self.source):
            found.setdefault(name, []).append(ast.Global(names=[name]))
        return found

    @cached_property
    def _changes(self) -> tuple[frozenset[str], frozenset[str]]:
        """Names whose value something in the module may change in place (``N.x = ...``,
        ``N.append(...)`` and other mutating methods), and names items are stored into
        (``N[0] = ...``, ``del N[k]``)."""
        mutated, items = set(), set()
        for node in ast.walk(self.tree):
            if not isinstance(node, (ast.Subscript, ast.Attribute, ast.Call)):
                continue
            if isinstance(node, ast.Call):
                func = node.func
                if (
                    isinstance(func, ast.Attribute)
                    and isinstance(func.value, ast.Name)
                    and func.attr in _MUTATING
                ):
                    mutated.add(func.value.id)
            elif not isinstance(node.ctx, ast.Load) and isinstance(node.value, ast.Name):
                (items if isinstance(node, ast.Subscript) else mutated).add(node.value.id)
        return frozenset(mutated), frozenset(items)

    def changed_in_place(self, name: str, value: ast.expr) -> bool:
        """Whether the constant `name` (assigned `value`) may hold another type of value by
        the time Numba reads it; an item stored into an array keeps its type."""
        mutated, items = self._changes
        return name in mutated or (name in items and not _makes_array(value))

    @cached_property
    def star_modules(self) -> tuple[str, ...]:
        return tuple(
            stmt.module or ""
            for stmt in _module_statements(self.tree)
            if isinstance(stmt, ast.ImportFrom)
            and stmt.level == 0
            and any(a.name == "*" for a in stmt.names)
        )

    @cached_property
    def extended_names(self) -> frozenset[str]:
        """The names this module teaches Numba (``@overload(clip)`` -> clip,
        ``@overload_method(T, "norm")`` -> norm); ``*`` when it extends Numba in a way whose
        names cannot be read (``@lower_builtin``, ``register_model``, a computed target)."""
        finder = self.finder
        names: set[str] = set()
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Call):
                continue
            if not finder.may_name_numba(node.func):
                continue
            qualified = finder.qualified_names(node.func) & _EXTENDING
            if not qualified:
                continue
            short = {q.rsplit(".", 1)[1] for q in qualified}
            if short & {"overload", "type_callable", "infer_global"} and node.args:
                target = node.args[0]
                if isinstance(target, ast.Name):
                    names.add(target.id)
                    continue
                if isinstance(target, ast.Attribute):
                    names.add(target.attr)
                    continue
            methods = {"overload_method", "overload_attribute", "overload_classmethod"}
            if short & methods and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
                names.add(str(node.args[1].value))
                continue
            if short & {"intrinsic"}:
                continue  # an intrinsic is a decorated def: its users see a stand-in
            names.add("*")
        for node in ast.walk(self.tree):
            # Bare decorators (`@intrinsic`, `@lower_builtin` without a call).
            if isinstance(node, (*FUNCTION_DEFS, ast.ClassDef)):
                for deco in node.decorator_list:
                    if isinstance(deco, (ast.Name, ast.Attribute)) and finder.may_name_numba(deco):
                        bare = finder.qualified_names(deco) & _EXTENDING
                        if bare and not {q.rsplit(".", 1)[1] for q in bare} <= {"intrinsic"}:
                            names.add("*")
        return frozenset(names)

    @cached_property
    def enclosing_functions(self) -> dict[int, list[ast.AST]]:
        """For each def nested in functions, those functions, innermost first."""
        found: dict[int, list[ast.AST]] = {}
        stack: list[tuple[ast.AST, list[ast.AST]]] = [(self.tree, [])]
        while stack:
            node, outer = stack.pop()
            for child in ast.iter_child_nodes(node):
                if isinstance(child, FUNCTION_DEFS):
                    if outer:
                        found[id(child)] = outer
                    stack.append((child, [child, *outer]))
                else:
                    stack.append((child, outer))
        return found

    @cached_property
    def call_form_names(self) -> dict[int, list[str]]:
        """For a function compiled by a call at module level (``fast = njit(f)``), the names
        the dispatcher is bound to, by the id of the def."""
        names: dict[int, list[str]] = {}
        calls = {id(c.compiling_call): c for c in self.compiled if c.compiling_call is not None}
        for stmt in _module_statements(self.tree):
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call):
                compiled = calls.get(id(stmt.value))
                if compiled is not None:
                    for target in stmt.targets:
                        if isinstance(target, ast.Name):
                            names.setdefault(id(compiled.node), []).append(target.id)
        return names

    @cached_property
    def _lines(self) -> list[bytes]:
        return [line.encode("utf-8") for line in self.source.splitlines(keepends=True)]

    def segment(self, node: ast.AST) -> str:
        """`ast.get_source_segment`, from lines split once (it splits the module each time)."""
        first, last = node.lineno - 1, node.end_lineno - 1  # type: ignore[attr-defined]
        start, end = node.col_offset, node.end_col_offset  # type: ignore[attr-defined]
        lines = self._lines[first : last + 1]
        if not lines:
            return ""
        if first == last:
            return lines[0][start:end].decode("utf-8", "replace")
        middle = b"".join(lines[1:-1])
        text = lines[0][start:] + middle + lines[-1][:end]
        return text.decode("utf-8", "replace")

    def piece(self, node: ast.AST, text: str | None = None) -> Piece:
        if text is None:
            text = self.segment(node)
        return Piece(self.key, node.lineno, node.col_offset, text)  # type: ignore[attr-defined]

    def def_piece(self, node: ast.AST) -> Piece:
        """The def statement from its ``def`` line on: decorators left out."""
        lines = self.source.splitlines(keepends=True)
        text = "".join(lines[node.lineno - 1 : node.end_lineno])  # type: ignore[attr-defined]
        return Piece(self.key, node.lineno, node.col_offset, text)  # type: ignore[attr-defined]


def _module_statements(tree: ast.Module) -> Iterator[ast.stmt]:
    """Module-level statements, inside ``if``/``try``/``with`` blocks too (not defs)."""
    stack = list(reversed(tree.body))
    while stack:
        stmt = stack.pop()
        yield stmt
        blocks: list[list[ast.stmt]] = []
        if isinstance(stmt, (ast.If, ast.For, ast.While)):
            blocks = [stmt.body, stmt.orelse]
        elif isinstance(stmt, ast.Try):
            blocks = [stmt.body, *(h.body for h in stmt.handlers), stmt.orelse, stmt.finalbody]
        elif isinstance(stmt, ast.With):
            blocks = [stmt.body]
        for block in reversed(blocks):
            stack.extend(reversed(block))


def _bound_names(stmt: ast.stmt) -> Iterator[tuple[str, ast.AST]]:
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        for alias in stmt.names:
            if alias.name == "*":
                continue
            if alias.asname:
                yield alias.asname, alias
            else:
                yield alias.name.split(".")[0], alias
    elif isinstance(stmt, (*FUNCTION_DEFS, ast.ClassDef)):
        yield stmt.name, stmt
    elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        if isinstance(stmt, ast.AnnAssign) and stmt.value is None:
            return  # `x: int` binds nothing
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    yield node.id, stmt
    elif isinstance(stmt, (ast.For, ast.With)):
        targets = (
            [stmt.target] if isinstance(stmt, ast.For) else [i.optional_vars for i in stmt.items]
        )
        for target in targets:
            for node in ast.walk(target) if target is not None else ():
                if isinstance(node, ast.Name):
                    yield node.id, stmt
    elif isinstance(stmt, ast.Try):
        for handler in stmt.handlers:
            if handler.name:
                yield handler.name, handler
    if not isinstance(stmt, (*FUNCTION_DEFS, ast.ClassDef)):
        # Walruses and comprehension-free assignments hidden in expressions bind too.
        for node in ast.walk(stmt):
            if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
                yield node.target.id, node


def _assigned_globals(source: str) -> set[str]:
    """Names some function declares ``global`` and assigns, per Python's symbol table."""
    if "global" not in source:
        return set()
    try:
        table = symtable.symtable(source, "<module>", "exec")
    except (SyntaxError, ValueError, RecursionError):
        return set()
    return {
        s.get_name() for s in _nested_symbols(table) if s.is_declared_global() and s.is_assigned()
    }


def _nested_symbols(table: symtable.SymbolTable) -> Iterator[symtable.Symbol]:
    """The symbols of every scope nested in ``table`` (not of ``table`` itself)."""
    stack = list(table.get_children())
    while stack:
        scope = stack.pop()
        yield from scope.get_symbols()
        stack.extend(scope.get_children())


def _function_globals(node: ast.AST) -> list[str]:
    """The global (and builtin) names a def and the functions nested in it read, as Python's
    own symbol table resolves them (``global G`` in an inner function included)."""
    try:
        body = ast.unparse(node)
        table = symtable.symtable(body, "<def>", "exec")
    except (SyntaxError, ValueError, RecursionError):
        return _names_in(node)
    found = (s.get_name() for s in _nested_symbols(table) if s.is_referenced() and s.is_global())
    return list(dict.fromkeys(found))


_ATTRIBUTES: dict[int, tuple[ast.AST, dict[str, list[str]]]] = {}


def _attributes_of(node: ast.AST, name: str) -> list[str]:
    """The attributes read of the global `name` in `node`: ``m.f`` -> f."""
    cached = _ATTRIBUTES.get(id(node))
    if cached is None or cached[0] is not node:
        table: dict[str, list[str]] = {}
        for inner in ast.walk(node):
            if isinstance(inner, ast.Attribute) and isinstance(inner.value, ast.Name):
                attrs = table.setdefault(inner.value.id, [])
                if inner.attr not in attrs:
                    attrs.append(inner.attr)
        if len(_ATTRIBUTES) > 4096:
            _ATTRIBUTES.clear()
        cached = _ATTRIBUTES[id(node)] = (node, table)
    return cached[1].get(name, [])


def _names_in(node: ast.AST) -> list[str]:
    return list(
        dict.fromkeys(
            n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
        )
    )


def _plain_class(node: ast.ClassDef) -> bool:
    """A class whose definition runs nothing of the user's: no decorators, bases or
    keywords (a metaclass runs code), a body of undecorated defs with literal defaults,
    docstrings, ``pass`` and literal assignments."""
    if node.decorator_list or node.bases or node.keywords:
        return False
    for stmt in node.body:
        if isinstance(stmt, FUNCTION_DEFS):
            if stmt.decorator_list or not _literal_defaults(stmt):
                return False
        elif not _inert(stmt):
            return False
    return True


def _literal_defaults(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return all(_literal_default(d) for d in (*fn.args.defaults, *fn.args.kw_defaults) if d)


def _inert(stmt: ast.stmt) -> bool:
    """``pass``, a docstring, or a literal assigned to plain names: nothing of the user's runs."""
    if isinstance(stmt, ast.Pass) or (
        isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
    ):
        return True
    return (
        isinstance(stmt, ast.Assign)
        and all(isinstance(t, ast.Name) for t in stmt.targets)
        and _literal_default(stmt.value)
    )


_METHOD_DECORATORS = frozenset({"property", "staticmethod"})


def _jitclass_body(node: ast.ClassDef, module: ModuleInfo) -> str:
    """Why the body of a jitclass cannot be rebuilt without running the user's code ("" when
    it can): bases, keywords, decorators other than ``property``, ``staticmethod`` and a
    property's ``setter``, defaults that are not literal, statements other than defs,
    annotations, docstrings, ``pass`` and literal assignments (Numba refuses class members as
    it would)."""
    plain_object = [
        b for b in node.bases if isinstance(b, ast.Name) and b.id == "object"
    ] and "object" not in module.bindings
    if (node.bases and not plain_object) or len(node.bases) > 1 or node.keywords:
        return "a jitclass with base classes is not rebuilt by --verify"
    defined: set[str] = set()
    for stmt in node.body:
        if isinstance(stmt, FUNCTION_DEFS):
            if not _literal_defaults(stmt):
                return "a method's default value is not a literal"
            for deco in stmt.decorator_list:
                builtin = (
                    isinstance(deco, ast.Name)
                    and deco.id in _METHOD_DECORATORS
                    and deco.id not in module.bindings
                )
                setter = (
                    isinstance(deco, ast.Attribute)
                    and deco.attr in ("setter", "getter")
                    and isinstance(deco.value, ast.Name)
                    and deco.value.id in defined
                )
                if not (builtin or setter):
                    return "a method has a decorator --verify does not rebuild"
            defined.add(stmt.name)
        elif isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None or not isinstance(stmt.target, ast.Name):
                return "a class attribute with a value is not rebuilt by --verify"
        elif not _inert(stmt):
            return "the class body runs code --verify does not rebuild"
    return ""


def _is_property(node: ast.AST) -> bool:
    return any(
        isinstance(d, ast.Attribute) or (isinstance(d, ast.Name) and d.id == "property")
        for d in node.decorator_list  # type: ignore[attr-defined]
    )


def _literal_default(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


class Project:
    """The project's modules, by key and by dotted name, and the recipes for their compiled
    functions."""

    def __init__(self, modules: Sequence[ModuleInfo], allowed: Sequence[str] = ()) -> None:
        self.modules = {m.key: m for m in modules}
        self.by_dotted = {m.dotted: m for m in modules if m.dotted}
        # A namespace package (folders without __init__.py) imports by the path from the
        # folder the check runs in (on sys.path when the project runs from there).
        for m in modules:
            dotted = _key_dotted(m.key)
            if dotted and dotted not in self.by_dotted:
                self.by_dotted[dotted] = m
        self.allowed = tuple(dict.fromkeys((*ALLOWED_MODULES, *allowed)))

    @cached_property
    def extended_names(self) -> frozenset[str]:
        """What the project's own Numba extensions teach Numba (see ModuleInfo)."""
        found: set[str] = set()
        for module in self.modules.values():
            if _mentions_numba(module):
                found |= module.extended_names
        return frozenset(found)

    def allowed_module(self, dotted: str) -> bool:
        return any(dotted == a or dotted.startswith(a + ".") for a in self.allowed)

    def resolve_import(self, module: ModuleInfo, node: ast.ImportFrom) -> str:
        """The absolute dotted name an ``from ... import`` names."""
        if node.level == 0:
            return node.module or ""
        parts = module.dotted.split(".") if module.dotted else []
        is_package = module.path.name == "__init__.py"
        base = parts if is_package else parts[:-1]
        if node.level - 1 > len(base):
            return ""
        base = base[: len(base) - (node.level - 1)]
        return ".".join([*base, *([node.module] if node.module else [])])

    # -- recipes -----------------------------------------------------------------------------

    def recipes(self) -> Iterator[tuple[ModuleInfo, CompiledFunction, Recipe]]:
        calls = self._call_sources()
        for module in self.modules.values():
            if not _mentions_numba(module):
                continue
            for compiled in module.compiled:
                sources = calls.get((module.key, id(compiled.node)), [])
                yield module, compiled, self.recipe(module, compiled, sources)

    def recipe(
        self, module: ModuleInfo, compiled: CompiledFunction, calls: Sequence[TypeSource] = ()
    ) -> Recipe:
        node = compiled.node
        if compiled.entry is EntryKind.JITCLASS:
            return self._jitclass_recipe(module, compiled, calls)
        unsupported = (
            _unsupported(compiled) or _wrapped(module, compiled) or _closure(module, compiled)
        )
        planner = _Planner(self)
        root = planner.root(module, compiled)
        sources: list[TypeSource] = []
        if not unsupported:
            if compiled.has_signature or compiled.entry is EntryKind.CFUNC:
                sources.append(TypeSource("signature", "the signature in the decorator"))
            else:
                hints = self._hints(module, compiled, planner)
                if hints is not None:
                    sources.append(hints)
                # Called from Python, a @register_jitable function is the plain function:
                # only compiled callers compile it.
                if compiled.entry is EntryKind.REGISTER_JITABLE:
                    calls = ()
                for call in calls:
                    for piece in (*call.args, *(p for _, p in call.keywords)):
                        planner.names_of(self.modules[call.module], piece, call.local)
                    sources.append(call)
        return Recipe(
            filename=module.key,
            name=compiled.name,
            line=node.lineno,
            module=module.key,
            root=root,
            namespaces=planner.namespaces(),
            sources=tuple(sources),
            allowed=self.allowed,
            unsupported=unsupported,
            helpers=tuple(planner.helpers),
            paths=tuple(
                (key, str(self.modules[key].path.absolute())) for key, _ in planner.namespaces()
            ),
        )

    def _jitclass_recipe(
        self, module: ModuleInfo, compiled: CompiledFunction, calls: Sequence[TypeSource]
    ) -> Recipe:
        """A method of a jitclass: the class rebuilt from its source and the jitclass
        decorator re-applied; typed by compiling a small driver (``Cls(args)`` for the
        constructor, ``instance.method(args)`` for the others) with the types of the calls
        in the project. The first method also carries the decorator's own verdict."""
        node = compiled.node
        jc = module.jitclass_of_method.get(id(node))
        planner = _Planner(self)
        if jc is None:
            why = (
                "only the methods of a jitclass defined at module level are rebuilt (not a "
                "jitclass defined in a function, nor a def nested in a method)"
            )
            return Recipe(
                module.key, compiled.name, node.lineno, module.key, "", (), (), self.allowed, why
            )
        name = f"{jc.name}.{compiled.name}"
        unsupported = jc.unsupported
        if not unsupported and _is_property(node):
            unsupported = "properties are typed only through their callers"
        sources: list[TypeSource] = []
        if not jc.unsupported:
            planner.jitclass(module, jc)
            first = next((m for m in jc.methods() if not _is_property(m)), None)
            if node is first:
                where = (module.piece(jc.where),)
                sources.append(TypeSource("jitclass", "the jitclass decorator", module.key, where))
            if not unsupported:
                for call in calls:
                    for piece in (*call.args, *(p for _, p in call.keywords)):
                        planner.names_of(self.modules[call.module], piece, call.local)
                    sources.append(call)
        return Recipe(
            filename=module.key,
            name=name,
            line=node.lineno,
            module=module.key,
            root=jc.name,
            namespaces=planner.namespaces(),
            sources=tuple(sources),
            allowed=self.allowed,
            unsupported=unsupported if not sources else "",
            helpers=tuple(planner.helpers),
            paths=tuple(
                (key, str(self.modules[key].path.absolute())) for key, _ in planner.namespaces()
            ),
            method=compiled.name,
        )

    def _hints(
        self, module: ModuleInfo, compiled: CompiledFunction, planner: _Planner
    ) -> TypeSource | None:
        args = compiled.node.args
        if args.vararg or args.kwarg or args.kwonlyargs:
            return None
        params = [*args.posonlyargs, *args.args]
        if not params or any(p.annotation is None for p in params):
            return None
        pieces = tuple(module.piece(p.annotation) for p in params)  # type: ignore[arg-type]
        for p in params:
            for name in _names_in(p.annotation):  # type: ignore[arg-type]
                attributes = _attributes_of(p.annotation, name)  # type: ignore[arg-type]
                planner.name(module, name, attributes=attributes)
        return TypeSource("hints", "the type hints", module.key, pieces)

    # -- call sites --------------------------------------------------------------------------

    def _call_sources(self) -> dict[tuple[str, int], list[TypeSource]]:
        """The calls of compiled functions outside compiled code whose arguments may be
        evaluated, by (module key, id of the def)."""
        found: dict[tuple[str, int], list[TypeSource]] = {}
        for module in self.modules.values():
            if not _mentions_any(module, self._callable_names):
                continue
            compiled_nodes = {id(c.node) for c in module.compiled}
            callable_names = self._callable_names
            for scope, body, cases_of in _scopes(module.tree, compiled_nodes):
                env: dict[str, ast.expr] | None = None
                cases: list[dict[str, ast.expr]] = []
                for call in _calls_in(body):
                    func = call.func
                    called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                    if called not in callable_names:
                        continue
                    target = self._callee(module, func, scope)
                    if target is None and not isinstance(func, ast.Attribute):
                        continue
                    if env is None:  # only for the scopes that call a compiled function
                        env = _local_assignments(
                            body, scope, functools.partial(self._makes_instance, module)
                        )
                        if not isinstance(scope, FUNCTION_DEFS):
                            # At module level, `fast = njit(f)` and `C = jitclass(Py, spec)`
                            # bind what the namespace rebuilds, not values to evaluate.
                            for made in (module.jitclasses, *module.call_form_names.values()):
                                for name in made:
                                    env.pop(name, None)
                        cases = cases_of()
                    receiver = None
                    if target is None:
                        assert isinstance(func, ast.Attribute)
                        target = self._instance_method(module, func, env)
                        if target is None:
                            continue
                        # The instance is the driver's first argument.
                        receiver = func.value
                        call = ast.Call(func, [receiver, *call.args], call.keywords)
                        ast.copy_location(call, func)
                    key = (target[0].key, id(target[1].node))
                    bucket = found.setdefault(key, [])
                    if len(bucket) >= MAX_CALL_SOURCES:
                        continue
                    bucket.extend(self._call_source(module, call, env, cases, scope))
        return found

    @cached_property
    def _callable_names(self) -> frozenset[str]:
        names = set()
        for module in self.modules.values():
            if not _mentions_numba(module):
                continue
            for c in module.compiled:
                names.add(c.name)
                names.update(*module.call_form_names.values())
            names.update(module.jitclasses)
            for jc in module.jitclasses.values():
                names.update(m.name for m in jc.methods())
        return frozenset(names)

    def _callee(
        self, module: ModuleInfo, func: ast.expr, scope: ast.AST | None
    ) -> tuple[ModuleInfo, CompiledFunction] | None:
        if isinstance(func, ast.Name):
            if scope is not None and func.id in _locals_of(scope):
                return self._local_compiled(module, func.id, scope)
            return self._compiled_named(module, func.id, set())
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            bound = module.bindings.get(func.value.id, [])
            if len(bound) == 1 and isinstance(bound[0], ast.alias):
                other = self._module_of_alias(module, bound[0])
                if other is not None:
                    return self._compiled_named(other, func.attr, set())
        return None

    def _local_compiled(
        self, module: ModuleInfo, name: str, scope: ast.AST
    ) -> tuple[ModuleInfo, CompiledFunction] | None:
        """A compiled def of the scope itself (``@njit def f`` inside a test, then ``f(x)``),
        when nothing else in the scope binds its name."""
        defs = [
            n
            for n in ast.walk(scope)
            if isinstance(n, FUNCTION_DEFS)
            and n is not scope
            and n.name == name
            and module.enclosing_functions.get(id(n), [None])[0] is scope
        ]
        stores = [
            n
            for n in ast.walk(scope)
            if isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load)
        ]
        if len(defs) != 1 or stores:
            return None
        compiled = module.compiled_by_node.get(id(defs[0]))
        if compiled is None or compiled.call_form:
            return None
        return module, compiled

    @staticmethod
    def _method(
        module: ModuleInfo, jc: JitClass, name: str
    ) -> tuple[ModuleInfo, CompiledFunction] | None:
        for method in jc.methods():
            if method.name == name:
                compiled = module.compiled_by_node.get(id(method))
                return (module, compiled) if compiled is not None else None
        return None

    def _makes_instance(self, module: ModuleInfo, value: ast.expr) -> bool:
        """Whether `value` is a call of a jitclass: an instance, whose type no method call
        or attribute store changes."""
        if not isinstance(value, ast.Call):
            return False
        made = self._callee(module, value.func, None)
        return made is not None and made[1].entry is EntryKind.JITCLASS

    def _instance_method(
        self, module: ModuleInfo, func: ast.Attribute, env: dict[str, ast.expr]
    ) -> tuple[ModuleInfo, CompiledFunction] | None:
        """The jitclass method called by ``obj.method(...)`` where ``obj`` is a local
        assigned once from a call of a jitclass (``obj = Vec(1.0, 2.0)``)."""
        if not isinstance(func.value, ast.Name):
            return None
        value = env.get(func.value.id)
        if not isinstance(value, ast.Call) or value.lineno >= func.lineno:
            return None
        made = self._callee(module, value.func, None)
        if made is None or made[1].entry is not EntryKind.JITCLASS:
            return None
        owner, init = made
        jc = owner.jitclass_of_method.get(id(init.node))
        if jc is None:
            return None
        method = self._method(owner, jc, func.attr)
        if method is None or method[1].node.name == "__init__" or _is_property(method[1].node):
            return None
        if any(
            isinstance(d, ast.Name) and d.id == "staticmethod"
            for d in method[1].node.decorator_list
        ):
            return None
        return method

    def _module_of_alias(self, module: ModuleInfo, alias: ast.alias) -> ModuleInfo | None:
        stmt = _alias_statement(module.tree, alias)
        if isinstance(stmt, ast.Import):
            dotted = alias.name if alias.asname else alias.name.split(".")[0]
            return self.by_dotted.get(dotted)
        if isinstance(stmt, ast.ImportFrom):
            base = self.resolve_import(module, stmt)
            return self.by_dotted.get(f"{base}.{alias.name}" if base else alias.name)
        return None

    def _compiled_named(
        self, module: ModuleInfo, name: str, seen: set[tuple[str, str]]
    ) -> tuple[ModuleInfo, CompiledFunction] | None:
        if (module.key, name) in seen:
            return None
        seen.add((module.key, name))
        bound = module.bindings.get(name, [])
        if len(bound) != 1:
            return None
        (node,) = bound
        jc = module.jitclasses.get(name)
        if jc is not None:
            return self._method(module, jc, "__init__")
        if isinstance(node, FUNCTION_DEFS):
            compiled = module.compiled_by_node.get(id(node))
            if compiled is not None and not compiled.call_form:
                return module, compiled
            return None
        if isinstance(node, ast.Assign):
            for compiled in module.compiled:
                if name in module.call_form_names.get(id(compiled.node), ()):
                    return module, compiled
            return None
        if isinstance(node, ast.alias):
            stmt = _alias_statement(module.tree, node)
            if isinstance(stmt, ast.ImportFrom):
                other = self.by_dotted.get(self.resolve_import(module, stmt))
                if other is not None:
                    return self._compiled_named(other, node.name, seen)
        return None

    def _call_source(
        self,
        module: ModuleInfo,
        call: ast.Call,
        env: dict[str, ast.expr],
        cases: list[dict[str, ast.expr]],
        scope: ast.AST | None,
    ) -> Iterator[TypeSource]:
        if any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords
        ):
            return
        where = f"the call at {module.key}:{call.lineno}"
        if isinstance(scope, ast.If):
            where += " (__main__ block)"
        params = _locals_of(scope) if isinstance(scope, FUNCTION_DEFS) else set()
        for number, case in enumerate(cases or [{}], start=1):
            local = _needed(call, env, case, params)
            if local is None:
                continue
            label = where if not case else f"{where} (parametrize case {number})"
            yield TypeSource(
                "call",
                label,
                module.key,
                tuple(module.piece(a) for a in call.args),
                tuple((k.arg, module.piece(k.value)) for k in call.keywords if k.arg),
                tuple((name, module.piece(value)) for name, value in local),
            )


def _mentions_numba(module: ModuleInfo) -> bool:
    return "numba" in module.source


def _mentions_any(module: ModuleInfo, names: frozenset[str]) -> bool:
    return any(name in module.source for name in names)


def _alias_statement(tree: ast.Module, alias: ast.alias) -> ast.stmt | None:
    for stmt in _module_statements(tree):
        if isinstance(stmt, (ast.Import, ast.ImportFrom)) and alias in stmt.names:
            return stmt
    return None


def _unsupported(compiled: CompiledFunction) -> str:
    if compiled.target in (Target.CUDA_KERNEL, Target.CUDA_DEVICE) or compiled.on_gpu:
        return "CUDA code is not compiled by --verify"
    if compiled.entry not in _REBUILDABLE:
        return {
            EntryKind.STENCIL: "stencils are not compiled by --verify",
            EntryKind.JITCLASS: "jitclass methods are not compiled by --verify",
            EntryKind.OVERLOAD: "@overload implementations are the user's extension code",
        }.get(compiled.entry, f"{compiled.entry.value} is not compiled by --verify")
    if compiled.options.get("target") not in (None, "cpu", "parallel"):
        return f"target {compiled.options.get('target')!r} is not compiled by --verify"
    return ""


def _closure(module: ModuleInfo, compiled: CompiledFunction) -> str:
    """Why a function nested in another cannot be rebuilt: it reads a name of the enclosing
    function, whose value only the run knows."""
    enclosing = module.enclosing_functions.get(id(compiled.node), [])
    if not enclosing:
        return ""
    bound: set[str] = set()
    for outer in enclosing:
        bound |= _locals_of(outer) | {
            n.name for n in ast.walk(outer) if isinstance(n, (*FUNCTION_DEFS, ast.ClassDef))
        }
    bound.discard(compiled.node.name)
    read = [n for n in _function_globals(compiled.node) if n in bound]
    if read:
        return f"it reads {read[0]} from the function it is defined in, known only at run time"
    return ""


def _wrapped(module: ModuleInfo, compiled: CompiledFunction) -> str:
    """Why the function Numba gets is not the def as written: a decorator of the user's
    applied before Numba's (below it), whose result only running it would tell."""
    decorators = compiled.node.decorator_list
    if compiled.call_form:
        inner = decorators
    else:
        kinds = [
            module.finder.entry_kind(d.func if isinstance(d, ast.Call) else d) for d in decorators
        ]
        numba_at = [i for i, kind in enumerate(kinds) if kind is not None]
        inner = decorators[numba_at[-1] + 1 :] if numba_at else []
    if inner:
        text = module.segment(inner[0]) or "a decorator"
        return f"it is wrapped by @{text} before Numba compiles it, which is not run"
    return ""


def _scopes(
    tree: ast.Module, compiled: set[int]
) -> Iterator[tuple[ast.AST | None, list[ast.stmt], Callable[[], list[dict[str, ast.expr]]]]]:
    """The plain-Python scopes whose calls can give types: the module body, each
    ``if __name__ == "__main__":`` block, and every function that is not compiled (tests
    among them, with their parametrize cases)."""
    yield None, tree.body, list
    for stmt in tree.body:
        if isinstance(stmt, ast.If) and _is_main_test(stmt.test):
            yield stmt, stmt.body, list
    for node in ast.walk(tree):
        if isinstance(node, FUNCTION_DEFS) and id(node) not in compiled:
            yield node, node.body, functools.partial(_parametrize_cases, node)


def _is_main_test(test: ast.expr) -> bool:
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


_EXPECTS_FAILURE = frozenset({"raises", "assertRaises", "assertRaisesRegex"})


def _calls_in(body: list[ast.stmt]) -> Iterator[ast.Call]:
    """The calls in `body`, not in nested defs, classes or lambdas (their own scopes), nor
    where a failure is expected: in ``with pytest.raises(...)`` or ``self.assertRaises``
    blocks and in the body of a ``try`` with handlers (their types are meant to fail)."""
    stack: list[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (*FUNCTION_DEFS, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(node, ast.If) and _is_main_test(node.test):
            continue  # its own scope
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(
            _expects_failure(item.context_expr) for item in node.items
        ):
            continue
        if isinstance(node, ast.Try) and node.handlers:
            stack.extend([*node.handlers, *node.orelse, *node.finalbody])
            continue
        if isinstance(node, ast.Call):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _expects_failure(expr: ast.expr) -> bool:
    if not isinstance(expr, ast.Call):
        return False
    func = expr.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in _EXPECTS_FAILURE


_LOCALS: dict[int, tuple[ast.AST, set[str]]] = {}


def _locals_of(scope: ast.AST) -> set[str]:
    """The names a function binds (its parameters, assignments, defs, classes, imports)."""
    if not isinstance(scope, FUNCTION_DEFS):
        return set()
    cached = _LOCALS.get(id(scope))
    if cached is not None and cached[0] is scope:
        return cached[1]
    if len(_LOCALS) > 4096:
        _LOCALS.clear()
    names = _compute_locals(scope)
    _LOCALS[id(scope)] = (scope, names)
    return names


def _compute_locals(scope: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    names = {a.arg for a in ast.walk(scope.args) if isinstance(a, ast.arg)}
    for node in ast.walk(scope):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, (*FUNCTION_DEFS, ast.ClassDef)) and node is not scope:
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update(a.asname or a.name.split(".")[0] for a in node.names)
    return names


def _local_assignments(
    body: list[ast.stmt],
    scope: ast.AST | None,
    fixed_type: Callable[[ast.expr], bool] = lambda value: False,
) -> dict[str, ast.expr]:
    """Names assigned exactly once in the scope, by a plain ``name = value`` statement of its
    body: their value is that expression wherever they are read after it. A value changed in
    place is left out, unless `fixed_type` says that nothing changes its type (a jitclass
    instance whose method or attribute is set)."""
    counts: dict[str, int] = {}
    mutated: set[str] = set()
    items_stored: set[str] = set()
    roots: list[ast.AST] = list(body) if scope is None or isinstance(scope, ast.If) else [scope]
    for root in roots:
        for node in ast.walk(root):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                counts[node.id] = counts.get(node.id, 0) + 1
            elif (
                isinstance(node, ast.Subscript)
                and not isinstance(node.ctx, ast.Load)
                and isinstance(node.value, ast.Name)
            ):
                items_stored.add(node.value.id)  # `x[0] = 1.5`: an array keeps its type
            elif (
                isinstance(node, ast.Attribute)
                and not isinstance(node.ctx, ast.Load)
                and isinstance(node.value, ast.Name)
            ):
                mutated.add(node.value.id)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.attr in _MUTATING
            ):
                mutated.add(node.func.value.id)
    if scope is not None and isinstance(scope, FUNCTION_DEFS):
        for a in ast.walk(scope.args):
            if isinstance(a, ast.arg):
                counts[a.arg] = counts.get(a.arg, 0) + 1
    found = {}
    for stmt in body:
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and counts.get(stmt.targets[0].id) == 1
            and (
                (
                    stmt.targets[0].id not in mutated
                    and (stmt.targets[0].id not in items_stored or _makes_array(stmt.value))
                )
                or fixed_type(stmt.value)
            )
        ):
            found[stmt.targets[0].id] = stmt.value
    return found


_ARRAY_CONSTRUCTORS = frozenset(
    {
        "zeros",
        "ones",
        "empty",
        "full",
        "arange",
        "linspace",
        "array",
        "asarray",
        "eye",
        "identity",
        "zeros_like",
        "ones_like",
        "empty_like",
        "full_like",
        "rand",
        "randn",
        "random",
        "uniform",
        "normal",
        "integers",
        "standard_normal",
    }
)


def _makes_array(value: ast.expr) -> bool:
    """Whether `value` is a call such as ``np.zeros(...)``: an item stored into what it
    makes cannot change its type."""
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in _ARRAY_CONSTRUCTORS
    )


def _needed(
    call: ast.Call, env: dict[str, ast.expr], case: dict[str, ast.expr], params: set[str]
) -> list[tuple[str, ast.expr]] | None:
    """The local assignments (and parametrize values) the call's arguments read, in an
    order that evaluates each after what it reads; None when an argument reads a local
    whose value is unknown (a parameter, a name assigned twice)."""
    ordered: list[tuple[str, ast.expr]] = []
    done: set[str] = set()

    def visit(expr: ast.AST, depth: int) -> bool:
        if depth > 20:
            return False
        for name in _names_in(expr):
            if name in done:
                continue
            value = case.get(name)
            if value is None:
                value = env.get(name)
                if value is not None and value.lineno >= call.lineno:
                    value = None
            if value is None:
                if name in params:
                    return False
                continue  # a global: the namespace's business
            done.add(name)
            if not visit(value, depth + 1):
                return False
            ordered.append((name, value))
        return True

    for arg in (*call.args, *(k.value for k in call.keywords)):
        if not visit(arg, 0):
            return None
    return ordered


def _parametrize_cases(node: ast.AST) -> list[dict[str, ast.expr]]:
    """The cases of ``@pytest.mark.parametrize`` decorators: parameter name -> value."""
    per_decorator: list[list[dict[str, ast.expr]]] = []
    for deco in node.decorator_list:  # type: ignore[attr-defined]
        if not (
            isinstance(deco, ast.Call)
            and isinstance(deco.func, ast.Attribute)
            and deco.func.attr == "parametrize"
            and len(deco.args) >= 2
        ):
            continue
        names_node, values = deco.args[0], deco.args[1]
        if isinstance(names_node, ast.Constant) and isinstance(names_node.value, str):
            names = [n.strip() for n in names_node.value.split(",") if n.strip()]
        elif isinstance(names_node, (ast.List, ast.Tuple)) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in names_node.elts
        ):
            names = [e.value for e in names_node.elts]  # type: ignore[attr-defined]
        else:
            return []
        if not isinstance(values, (ast.List, ast.Tuple)):
            return []
        cases = []
        for row in values.elts:
            if (
                isinstance(row, ast.Call)
                and isinstance(row.func, ast.Attribute)
                and row.func.attr == "param"
            ):
                items = list(row.args)
                row = items[0] if len(names) == 1 and items else ast.Tuple(items, ast.Load())
            if len(names) == 1:
                cases.append({names[0]: row})
            elif isinstance(row, (ast.Tuple, ast.List)) and len(row.elts) == len(names):
                cases.append(dict(zip(names, row.elts, strict=True)))
        per_decorator.append(cases)
    if not per_decorator:
        return []
    product = []
    for combo in itertools.islice(itertools.product(*per_decorator), MAX_PARAMETRIZE_CASES):
        merged: dict[str, ast.expr] = {}
        for part in combo:
            merged.update(part)
        product.append(merged)
    return product


@dataclass
class _Planner:
    """Collects the bindings one recipe needs, module by module."""

    project: Project
    _bindings: dict[str, dict[str, Binding]] = field(default_factory=dict)
    helpers: list[tuple[str, str, int]] = field(default_factory=list)
    _planned_defs: set[tuple[str, int]] = field(default_factory=set)

    def namespaces(self) -> tuple[tuple[str, tuple[Binding, ...]], ...]:
        return tuple(
            (key, tuple(sorted(names.values(), key=lambda b: b.name)))
            for key, names in sorted(self._bindings.items())
        )

    def _add(self, module: ModuleInfo, binding: Binding) -> None:
        self._bindings.setdefault(module.key, {})[binding.name] = binding

    def _has(self, module: ModuleInfo, name: str) -> bool:
        return name in self._bindings.get(module.key, {})

    def root(self, module: ModuleInfo, compiled: CompiledFunction) -> str:
        """Plans the compiled function itself; returns the name its dispatcher is bound to."""
        names = module.call_form_names.get(id(compiled.node), [])
        if compiled.call_form:
            name = names[0] if names else f"__numba_check_root_{compiled.node.lineno}"
            # The plain function keeps its own name; the dispatcher gets the assigned one.
            self._add(
                module, Binding(compiled.name, "function", piece=module.def_piece(compiled.node))
            )
            self._function(module, compiled, name)
            return name
        self._function(module, compiled, compiled.name)
        return compiled.name

    def _function(self, module: ModuleInfo, compiled: CompiledFunction, bound_to: str) -> None:
        key = (module.key, id(compiled.node))
        if key in self._planned_defs:
            return
        self._planned_defs.add(key)
        node = compiled.node
        dispatcher = self._dispatcher(module, compiled)
        self._add(
            module,
            Binding(
                bound_to,
                "function",
                piece=module.def_piece(node),
                dispatcher=dispatcher,
                attr=compiled.name,
            ),
        )
        self.helpers.append((module.key, bound_to, node.lineno))
        reads = [*_function_globals(node)]
        for default in (*node.args.defaults, *(d for d in node.args.kw_defaults if d)):
            reads += _names_in(default)
        if dispatcher is not None:
            for piece_node in self._config_nodes(compiled):
                reads += _names_in(piece_node)
        for name in dict.fromkeys(reads):
            if name != bound_to or compiled.call_form:
                self.name(module, name, attributes=_attributes_of(node, name))

    def jitclass(self, module: ModuleInfo, jc: JitClass) -> None:
        """Plans a jitclass: its class statement, its spec and annotations, and the globals
        its methods read."""
        key = (module.key, id(jc.node))
        if key in self._planned_defs:
            return
        self._planned_defs.add(key)
        self._add(
            module,
            Binding(
                jc.name,
                "jitclass",
                piece=module.def_piece(jc.node),
                dispatcher=Dispatcher(
                    EntryKind.JITCLASS.value,
                    tuple(module.piece(a) for a in jc.spec),
                    tuple((k.arg, module.piece(k.value)) for k in jc.keywords if k.arg),
                ),
            ),
        )
        self.helpers.append((module.key, jc.name, jc.node.lineno))
        reads = [*_function_globals(jc.node)]
        for expr in (*jc.spec, *(k.value for k in jc.keywords)):
            reads += _names_in(expr)
        for name in dict.fromkeys(reads):
            if name != jc.name:
                self.name(module, name, attributes=_attributes_of(jc.node, name))

    def _config_nodes(self, compiled: CompiledFunction) -> list[ast.expr]:
        config = compiled.config
        if config is None:
            return []
        return [*self._positional(compiled), *(k.value for k in config.keywords if k.arg)]

    @staticmethod
    def _positional(compiled: CompiledFunction) -> list[ast.expr]:
        config = compiled.config
        if config is None:
            return []
        args = [a for a in config.args if not isinstance(a, ast.Starred)]
        if config is compiled.compiling_call and not isinstance(config.func, ast.Call):
            args = args[1:]  # njit(f, ...): the function itself
        return args

    def _dispatcher(self, module: ModuleInfo, compiled: CompiledFunction) -> Dispatcher:
        config = compiled.config
        keywords: tuple[tuple[str, Piece], ...] = ()
        if config is not None:
            keywords = tuple(
                (k.arg, module.piece(k.value)) for k in config.keywords if k.arg is not None
            )
        positional = tuple(module.piece(a) for a in self._positional(compiled))
        return Dispatcher(compiled.entry.value, positional, keywords)

    def names_of(
        self, module: ModuleInfo, piece: Piece, local: Sequence[tuple[str, Piece]]
    ) -> None:
        """Plans the globals that an expression of `module` reads (not its locals)."""
        skip = {name for name, _ in local}
        texts = [piece.text, *(p.text for _, p in local)]
        for text in texts:
            try:
                tree = ast.parse(f"({text})", mode="eval")
            except SyntaxError:
                continue
            for name in _names_in(tree):
                if name not in skip:
                    self.name(module, name, attributes=_attributes_of(tree, name))

    def name(self, module: ModuleInfo, name: str, attributes: Iterable[str] = ()) -> None:
        """Plans the global `name` of `module`."""
        if self._has(module, name):
            if attributes:
                existing = self._bindings[module.key][name]
                if existing.kind == "module":
                    self._module_attributes(module, existing, attributes)
            return
        bound = module.bindings.get(name, [])
        if not bound:
            # A star import shadows a builtin (`from numpy import *` binds `any`): the worker
            # takes the name from the modules, else leaves the builtin.
            stars = [s for s in module.star_modules if self.project.allowed_module(s)]
            if stars and len(stars) == len(module.star_modules):
                self._add(module, Binding(name, "star", module=",".join(stars)))
            elif name in _BUILTINS and not module.star_modules:
                return
            else:
                self._standin(module, name, "it is not defined in its module")
            return
        if len(bound) > 1:
            if (
                all(isinstance(b, ast.alias) for b in bound)
                and len(
                    {ast.dump(_alias_statement(module.tree, b) or b) for b in bound}  # type: ignore[arg-type]
                )
                == 1
            ):
                bound = bound[:1]
            else:
                self._standin(module, name, "it is bound more than once at module level")
                return
        (node,) = bound
        jc = module.jitclasses.get(name)
        if jc is not None:
            if jc.unsupported:
                self._standin(module, name, jc.unsupported)
            else:
                self.jitclass(module, jc)
        elif isinstance(node, ast.alias):
            self._alias(module, name, node, attributes)
        elif isinstance(node, FUNCTION_DEFS):
            compiled = module.compiled_by_node.get(id(node))
            if compiled is not None and not compiled.call_form:
                if _unsupported(compiled):
                    self._standin(module, name, _unsupported(compiled))
                else:
                    self._function(module, compiled, name)
            elif not node.decorator_list and all(
                _literal_default(d)
                for d in (*node.args.defaults, *(d for d in node.args.kw_defaults if d))
            ):
                self._add(module, Binding(name, "function", piece=module.def_piece(node)))
            else:
                self._standin(
                    module, name, "it is a decorated function numba-check does not rebuild"
                )
        elif isinstance(node, ast.ClassDef) and _plain_class(node):
            # Defining it runs nothing but its defs; Numba refuses a plain class as it would.
            self._add(module, Binding(name, "class", piece=module.def_piece(node)))
        elif isinstance(node, ast.Assign) and any(
            name in names for names in module.call_form_names.values()
        ):
            for compiled in module.compiled:
                if name in module.call_form_names.get(id(compiled.node), ()):
                    if _unsupported(compiled):
                        self._standin(module, name, _unsupported(compiled))
                    else:
                        self.root(module, compiled)
                    break
        elif (
            isinstance(node, (ast.Assign, ast.AnnAssign))
            and node.value is not None
            and (
                isinstance(node, ast.AnnAssign)
                or (len(node.targets) == 1 and isinstance(node.targets[0], ast.Name))
            )
            and isinstance(
                node.targets[0] if isinstance(node, ast.Assign) else node.target, ast.Name
            )
        ):
            value = node.value
            if module.changed_in_place(name, value):
                self._standin(module, name, "the module changes its value in place")
                return
            self._add(module, Binding(name, "constant", piece=module.piece(value)))
            for inner in _names_in(value):
                if inner != name:
                    self.name(module, inner, attributes=_attributes_of(value, inner))
        else:
            what = type(node).__name__
            self._standin(module, name, f"it is bound by a {what} statement")

    def _alias(
        self, module: ModuleInfo, name: str, alias: ast.alias, attributes: Iterable[str]
    ) -> None:
        stmt = _alias_statement(module.tree, alias)
        project = self.project
        if isinstance(stmt, ast.Import):
            dotted = alias.name if alias.asname else alias.name.split(".")[0]
            if project.allowed_module(alias.name):
                self._add(module, Binding(name, "import", module=dotted))
                return
            other = project.by_dotted.get(dotted)
            if other is not None:
                binding = Binding(name, "module", module=other.key)
                self._add(module, binding)
                self._module_attributes(module, binding, attributes)
                return
            self._standin(module, name, f"module {alias.name} is not imported by --verify")
            return
        assert isinstance(stmt, ast.ImportFrom)
        base = project.resolve_import(module, stmt)
        if stmt.level == 0 and project.allowed_module(base):
            self._add(module, Binding(name, "import", module=base, attr=alias.name))
            return
        other = project.by_dotted.get(base)
        if other is not None and alias.name in other.bindings:
            self._add(module, Binding(name, "foreign", module=other.key, attr=alias.name))
            self.name(other, alias.name, attributes)
            return
        submodule = project.by_dotted.get(f"{base}.{alias.name}" if base else alias.name)
        if submodule is not None:
            binding = Binding(name, "module", module=submodule.key)
            self._add(module, binding)
            self._module_attributes(module, binding, attributes)
            return
        self._standin(module, name, f"{base or '.'}.{alias.name} is not rebuilt by --verify")

    def _module_attributes(
        self, module: ModuleInfo, binding: Binding, attributes: Iterable[str]
    ) -> None:
        other = self.project.modules[binding.module]
        for attr in attributes:
            self.name(other, attr)

    def _standin(self, module: ModuleInfo, name: str, reason: str) -> None:
        self._add(module, Binding(name, "standin", reason=reason))


def module_infos(files: Iterable[tuple[str, Path, str]]) -> list[ModuleInfo]:
    """ModuleInfo for each (display name, path, text), with the dotted name an import would
    use: the folders above it that are packages (hold an ``__init__.py``)."""
    infos = []
    for key, path, source in files:
        infos.append(ModuleInfo(key, path, source, _dotted(path)))
    return infos


def _key_dotted(key: str) -> str:
    """The dotted name of a module by its display path (``pkg/sub/mod.py`` ->
    ``pkg.sub.mod``), "" when the path leaves the folder the check runs in."""
    from pathlib import PurePath

    path = PurePath(key)
    if path.is_absolute() or ".." in path.parts or path.suffix != ".py":
        return ""
    parts = [*path.parts[:-1]] + ([] if path.name == "__init__.py" else [path.stem])
    return ".".join(parts) if parts and all(p.isidentifier() for p in parts) else ""


def _dotted(path: Path) -> str:
    path = path.absolute()
    parts = [] if path.name == "__init__.py" else [path.stem]
    folder = path.parent
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        parts.insert(0, folder.name)
        folder = folder.parent
    dotted = ".".join(parts)
    return dotted if all(p.isidentifier() for p in parts) else ""
