"""Facts about one parsed module that rules share: names, compiled functions, module bindings,
where each node is in the source, and the source text around it."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING

from numba_check import matching as m
from numba_check.compiled import FUNCTION_DEFS, CompiledFinder, CompiledFunction, EntryKind
from numba_check.fixes import line_offsets
from numba_check.model import Location
from numba_check.names import Names

if TYPE_CHECKING:
    from numba_check.semantic.model import Semantic
from numba_check.source_text import (
    FIELDS_HAVE_POSITIONS,
    Tokens,
    between,
    field_range,
    lines_of,
    strings_written,
    widened,
    wrapped_whole,
)

# Entry points that compile their argument (as opposed to registering an implementation for it).
COMPILING = frozenset(EntryKind) - {EntryKind.OVERLOAD, EntryKind.REGISTER_JITABLE}


_STRING_LITERALS = m.Constant() | m.JoinedStr()
if hasattr(ast, "TemplateStr"):  # Python 3.14's t-strings
    _STRING_LITERALS |= m.TemplateStr()

# Object-mode blocks: the code inside runs in the interpreter, so nopython rules skip it.
OBJMODE = frozenset({"numba.objmode", "numba.core.withcontexts.objmode_context"})


def with_item_callee(item: ast.withitem) -> ast.expr:
    """`numba.objmode` for both `with numba.objmode(x='i8'):` and `with numba.objmode:`."""
    expr = item.context_expr
    return expr.func if isinstance(expr, ast.Call) else expr


class ModuleContext:
    def __init__(self, tree: ast.Module, source: str) -> None:
        self.module = tree
        self.source = source
        self.finder = CompiledFinder(tree)
        self.compiled: list[CompiledFunction] = self.finder.find()

    @property
    def names(self) -> Names:
        return self.finder.names

    @cached_property
    def semantic(self) -> Semantic:
        """Bindings with their values, types and per-function facts; built on first use."""
        from numba_check.semantic.model import Semantic

        return Semantic(self)

    def qualified_names(self, node: ast.AST) -> set[str]:
        return self.finder.qualified_names(node)

    @cached_property
    def lines(self) -> list[str]:
        """The module's lines as `ast` counts them, line ends made ``\\n``."""
        return lines_of(self.source)

    @cached_property
    def _tokens(self) -> Tokens | None:
        return Tokens.read(self.lines)

    def _column(self, line: int, byte_offset: int) -> int:
        # `ast` counts columns in UTF-8 bytes; diagnostics count characters.
        if line > len(self.lines):
            return byte_offset
        text = self.lines[line - 1]
        if text.isascii():
            return byte_offset
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", "replace"))

    def _byte_offset(self, location: Location) -> int:
        text = self.lines[location.line - 1] if location.line <= len(self.lines) else ""
        return location.column if text.isascii() else len(text[: location.column].encode())

    def span(self, node: ast.AST) -> tuple[Location, Location]:
        """Where `node` starts and ends (1-based lines, 0-based character columns)."""
        line, end_line = node.lineno, node.end_lineno  # type: ignore[attr-defined]
        start = Location(line, self._column(line, node.col_offset))  # type: ignore[attr-defined]
        if end_line is None:
            return start, start
        return start, Location(end_line, self._column(end_line, node.end_col_offset))  # type: ignore[attr-defined]

    def code_for(self, node: ast.AST) -> str:
        """The source text of `node`, exactly as written."""
        if getattr(node, "end_lineno", None) is None:
            return ""
        start, end = self.span(node)
        offsets = self._offsets
        return self.source[
            offsets[start.line - 1] + start.column : offsets[end.line - 1] + end.column
        ]

    @cached_property
    def _offsets(self) -> list[int]:
        return line_offsets(self.source)

    def quote(self, node: ast.AST) -> str:
        """`node`'s code as a message quotes it: as written, with the parentheses that wrap it
        (``(2**70)``; `ast` leaves them out of the node), its continuation lines without the
        indentation of its statement, line ends made ``\\n``."""
        start, end = self.span(node)
        text = self._tokens.quote(start, end) if self._tokens is not None else None
        if text is None:  # inside an f-string (one token before Python 3.12): no tokens to read
            start, end = widened(self.lines, start, end)
            text = self.text(start, end)
        return text

    def text(self, start: Location, end: Location) -> str:
        """The source from `start` to `end`, line ends made ``\\n``."""
        return between(self.lines, start, end)

    def parenthesized(self, node: ast.AST) -> bool:
        """Whether `node`'s own range is one parenthesised whole: ``(i, j)`` as opposed to the
        ``i, j`` of ``a[i, j]`` (`ast` gives both one `Tuple`) or ``(i), j``."""
        return wrapped_whole(self.code_for(node))

    def strings_written(self, node: ast.AST) -> int:
        """How many string literals `node` is written as (``"a" "b"``: 2; `ast` joins them)."""
        return strings_written(self.code_for(node))

    def at(self, start: Location, end: Location) -> ast.AST:
        """A node that stands for the code from `start` to `end`: what a rule reports where
        `ast` has no node of its own."""
        node = ast.Name(id="", ctx=ast.Load())
        node.lineno, node.col_offset = start.line, self._byte_offset(start)
        node.end_lineno, node.end_col_offset = end.line, self._byte_offset(end)
        return node

    def name_of(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> ast.AST:
        """Where a def's or class's name is written (`ast` keeps it as a string); the
        statement itself where the tokens do not say."""
        token = None
        if self._tokens is not None:
            token = self._tokens.name_after(self.span(node)[0], ("async", "def", "class"))
        if token is None or token.string != node.name:
            return node
        return self.at(Location(*token.start), Location(*token.end))

    def field_of(self, node: ast.FormattedValue) -> ast.AST:
        """An f-string's replacement field, from its `{` past its `}`. Before Python 3.12
        `ast` places every part of an f-string at the start of the whole string."""
        if FIELDS_HAVE_POSITIONS:
            return node
        try:
            return self.at(*field_range(self.lines, *self.span(node.value)))
        except ValueError:
            return node

    @cached_property
    def compiled_nodes(self) -> frozenset[int]:
        return frozenset(id(c.node) for c in self.compiled)

    @cached_property
    def compiled_by_node(self) -> Mapping[int, list[CompiledFunction]]:
        """The compiled functions of each def or lambda (several when a module-level call
        compiles a decorated def again), by `id` of the node."""
        out: dict[int, list[CompiledFunction]] = {}
        for function in self.compiled:
            out.setdefault(id(function.node), []).append(function)
        return out

    @cached_property
    def module_bindings(self) -> Mapping[str, list[ast.AST]]:
        """Every statement that binds a name at module level: defs, classes, assignments, imports.

        Statements nested in module-level ``if``/``try``/``with`` count too (conditional
        definitions), but not those inside functions or classes.
        """
        out: dict[str, list[ast.AST]] = {}
        _module_level_bindings(self.module.body, out)
        return out

    def string_lines(self) -> list[tuple[int, int]]:
        """The first and last line of each string literal (f-strings included) of the module."""
        return [
            (node.lineno, node.end_lineno)  # type: ignore[attr-defined]
            for node in m.findall(self.module, _STRING_LITERALS)
            if not isinstance(node, ast.Constant) or isinstance(node.value, (str, bytes))
        ]

    @cached_property
    def star_handlers(self) -> frozenset[int]:
        """Ids of the `except*` handlers of the module. `ast` makes them `ExceptHandler`s as it
        does plain `except` handlers; a rule about `except` leaves them out."""
        if not hasattr(ast, "TryStar"):  # Python 3.10: no `except*`
            return frozenset()
        return frozenset(
            id(handler)
            for node in m.findall(self.module, m.TryStar())
            for handler in node.handlers  # type: ignore[attr-defined]
        )

    def is_objmode(self, node: ast.With | ast.AsyncWith) -> bool:
        return any(self.qualified_names(with_item_callee(i)) & OBJMODE for i in node.items)

    def refers_to_module_level(self, name: ast.Name) -> bool:
        """Whether `name` can only mean a module-level binding (not a local or parameter)."""
        return self.finder.local_qualified_names(name) == {name.id}

    def binding_kind(self, name: str) -> str:
        nodes = self.module_bindings.get(name, ())
        return "class" if any(isinstance(n, ast.ClassDef) for n in nodes) else "function"

    def jit_callable(self, name: str) -> bool | None:
        """Whether compiled code may call the module-level `name`.

        True: compiled (a Numba-decorated def, or rebound with ``name = njit(...)``). False:
        only plain Python functions or classes bind it. None: unknown (imported, assigned from
        an expression, or not bound at module level), which a rule must never call an error.
        """
        bindings = self.module_bindings.get(name)
        if not bindings or name in self.registered_names:
            return None
        verdicts = {self._binding_callable(node) for node in bindings}
        if verdicts == {False}:
            return False
        if True in verdicts:
            return True
        return None

    @cached_property
    def registered_names(self) -> frozenset[str]:
        """Names handed to Numba's extension API (``@overload(f)``, ``infer_global(f)``...).

        Such a function gets a Numba implementation even though its own body is plain Python.
        """
        names = set()
        for call in m.findall(self.module, m.Call()):
            assert isinstance(call, ast.Call)
            if not self.finder.may_name_numba(call.func):
                continue
            if self.finder.entry_kind(call.func) in COMPILING:
                continue
            if not any(q.startswith("numba.") for q in self.qualified_names(call.func)):
                continue
            values = [a.value if isinstance(a, ast.Starred) else a for a in call.args]
            values += [k.value for k in call.keywords]
            names.update(v.id for v in values if isinstance(v, ast.Name))
        return frozenset(names)

    def _binding_callable(self, node: ast.AST) -> bool | None:
        if isinstance(node, FUNCTION_DEFS):
            if id(node) in self.compiled_nodes and not self._compiled_by_call_only(node):
                return True
            if node.decorator_list:
                # Some other decorator may well return something Numba can call.
                return None
            return False
        if isinstance(node, ast.ClassDef):
            if node.decorator_list or node.bases or node.keywords:
                # jitclass, namedtuple, Enum, exception classes: all usable from Numba.
                return None
            return False
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            func = node.value.func
            if self.finder.entry_kind(func) or (
                isinstance(func, ast.Call) and self.finder.entry_kind(func.func)
            ):
                return True  # `f = njit(f)` / `g = numba.jit(cache=True)(f)`
        return None

    def _compiled_by_call_only(self, node: ast.AST) -> bool:
        functions = self.compiled_by_node.get(id(node), ())
        return any(c.call_form for c in functions) and not any(not c.call_form for c in functions)


def _bound_names(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, ast.Assign):
        return [
            n.id for t in stmt.targets for n in m.findall(t, m.Name()) if isinstance(n, ast.Name)
        ]
    if isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) and isinstance(stmt.target, ast.Name):
        return [stmt.target.id]
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return [
            alias.asname or alias.name.split(".")[0] for alias in stmt.names if alias.name != "*"
        ]
    return []


def _module_level_bindings(statements: Iterable[ast.stmt], out: dict[str, list[ast.AST]]) -> None:
    """Add what `statements` bind to `out`, through ``if``/``try``/``with``/loops, not defs.
    (A function, not a closure that calls itself: that would be a reference cycle holding the
    module's tree until the cyclic garbage collector runs.)"""
    for stmt in statements:
        if isinstance(stmt, (*FUNCTION_DEFS, ast.ClassDef)):
            out.setdefault(stmt.name, []).append(stmt)
        elif isinstance(stmt, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
            _module_level_bindings(stmt.body, out)
            _module_level_bindings(getattr(stmt, "orelse", ()), out)
            _module_level_bindings(getattr(stmt, "finalbody", ()), out)
            for handler in getattr(stmt, "handlers", ()):
                _module_level_bindings(handler.body, out)
        else:
            for target in _bound_names(stmt):
                out.setdefault(target, []).append(stmt)
