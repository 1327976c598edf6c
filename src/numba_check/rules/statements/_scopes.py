"""Names inside a compiled function: where they are bound, declared, called, and what they are.

Python decides a name's scope per function, so these helpers walk one function scope at a
time and never descend into nested functions, lambdas or classes.

And where a few things are in the source that `ast` gives no node of its own (a class's name,
`as name`, the parentheses around an expression): :class:`SourceText`.
"""

from __future__ import annotations

import ast
import functools
import io
import re
import tokenize
from collections.abc import Callable, Iterable, Iterator, Sequence

from numba_check import matching as m
from numba_check.fixes import split_lines
from numba_check.module_context import ModuleContext

NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def target_names(target: ast.expr) -> Iterator[ast.Name]:
    """The names an assignment target binds: `x`, `a, (b, *c)`; not `o.x` or `o[i]`."""
    if isinstance(target, ast.Name):
        yield target
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from target_names(element)
    elif isinstance(target, ast.Starred):
        yield from target_names(target.value)


def binding_targets(node: ast.AST) -> Iterator[ast.expr]:
    """The targets a statement or expression binds in its function's scope."""
    if isinstance(node, ast.Assign):
        yield from node.targets
    elif isinstance(node, (ast.AugAssign, ast.For, ast.AsyncFor, ast.NamedExpr)) or (
        isinstance(node, ast.AnnAssign) and node.value is not None
    ):
        yield node.target
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        for item in node.items:
            if item.optional_vars is not None:
                yield item.optional_vars


def deleted(module: ModuleContext, node: ast.Delete) -> list[ast.expr]:
    """The targets of `del a, b` one by one; those of `del (a, b)` too, not of `del (a, b),`.

    As libcst read the statement: one target, a tuple when there are several, whose elements
    are taken, and which is only one level deep (`del (a, b), c` deletes `(a, b)` and `c`).
    """
    targets = node.targets
    if len(targets) != 1 or not isinstance(targets[0], ast.Tuple):
        return list(targets)
    # `del (a, b)` and `del (a, b),` are the same to `ast`; the second is a tuple of one.
    source = SourceText(module)
    tail = source.text(source.end(targets[0]), source.end(node))
    return [targets[0]] if "," in tail else list(targets[0].elts)


def scope_nodes(body: Sequence[ast.stmt]) -> Iterator[ast.AST]:
    """Every node of one function scope (the statements of its `body`), nested functions,
    lambdas and classes left out.

    Comprehensions are walked: a walrus in one binds in the enclosing function.
    """
    for statement in body:
        if isinstance(statement, NESTED_SCOPES):
            yield statement  # `walk` would go into the one it starts from
        else:
            yield from m.walk(statement, prune=NESTED_SCOPES)


def _find(body: Iterable[ast.stmt], pattern: m.Pattern) -> Iterator[ast.AST]:
    for statement in body:
        yield from m.findall(statement, pattern)


def declared(body: Sequence[ast.stmt], kind: type[ast.Global] | type[ast.Nonlocal]) -> set[str]:
    """Names a function declares `global` (or `nonlocal`) in its own scope."""
    if not any(_find(body, m.Global() if kind is ast.Global else m.Nonlocal())):
        return set()  # the common case, answered from the module's index
    return {name for node in scope_nodes(body) if isinstance(node, kind) for name in node.names}


def called_names(body: Sequence[ast.stmt]) -> set[str]:
    """Names called directly (`g(...)`) anywhere in `body`, nested functions included."""
    return {
        call.func.id
        for call in _find(body, m.Call(func=m.Name()))
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
    }


def is_builtin(module: ModuleContext, name: ast.Name) -> bool:
    """Whether `name` can only mean the builtin of that name (nothing rebinds it)."""
    scope = module.names.scope_of(name)
    if scope is None:
        return False
    bindings = scope[name.id]
    return bool(bindings) and all(b.is_builtin for b in bindings)


def assigned_nodes(module: ModuleContext, name: ast.Name) -> list[ast.AST] | None:
    """The target nodes of every binding of `name` in the scope it is read from.

    A parameter's node is its `ast.arg`, an import's its `Import`. None when the scope is
    unknown, nothing binds the name, or it is a builtin.
    """
    scope = module.names.scope_of(name)
    if scope is None:
        return None
    bindings = scope[name.id]
    if not bindings or any(b.is_builtin for b in bindings):
        return None
    return [b.node for b in bindings]


def names_bound_to(body: Sequence[ast.stmt], predicate: Callable[[ast.expr], bool]) -> set[int]:
    """Ids of the `x` in every `x = value` in `body` whose value satisfies `predicate`.

    Compare with :func:`assigned_nodes` to know that every binding of a name is such a one.
    """
    found: set[int] = set()
    for node in _find(body, m.Assign()):
        assert isinstance(node, ast.Assign)
        target = node.targets[0]
        if len(node.targets) == 1 and isinstance(target, ast.Name) and predicate(node.value):
            found.add(id(target))
    return found


def always_bound_to(module: ModuleContext, name: ast.Name, candidates: set[int]) -> bool:
    """Whether every binding of `name`, where it is read, is one of `candidates`."""
    bound = assigned_nodes(module, name)
    return bool(bound) and all(id(b) in candidates for b in bound)


# Where things are in the source. Positions are (line, column): 1-based lines, 0-based columns
# in characters (`ast` counts columns in UTF-8 bytes). Diagnostics keep the ranges libcst gave
# them, which sometimes cover what `ast` has no node for; a diagnostic gets such a range from
# a node made up for it (:meth:`SourceText.located`).

Position = tuple[int, int]
_NEWLINE = re.compile(r"\r\n|\n|\r")


@functools.lru_cache(maxsize=8)
def _source_lines(source: str) -> tuple[str, ...]:
    # Keyed by the module's source: one split per module, not one per rule or function.
    return tuple(split_lines(source))


def _default_newline(source: str) -> str:
    """The module's first line break, which libcst took for its usual one."""
    found = _NEWLINE.search(source)
    return found.group() if found else "\n"


def _blocks(statement: ast.stmt) -> list[ast.stmt]:
    """The statements of every block of `statement` (its body, `else`, handlers, cases...)."""
    found: list[ast.stmt] = []
    for name in ("body", "orelse", "finalbody"):
        value = getattr(statement, name, None)
        if type(value) is list:
            found.extend(value)
    for part in (*getattr(statement, "handlers", ()), *getattr(statement, "cases", ())):
        found.extend(part.body)
    return found


class SourceText:
    """The text around nodes of one module, read between tokens (never inside a string)."""

    __slots__ = ("lines", "source")

    def __init__(self, module: ModuleContext) -> None:
        self.source = module.source
        self.lines = _source_lines(module.source)

    def _line(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def _char_column(self, line: int, byte_offset: int) -> int:
        text = self._line(line)
        if text.isascii():
            return byte_offset
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", "replace"))

    def _byte_column(self, line: int, column: int) -> int:
        text = self._line(line)
        return column if text.isascii() else len(text[:column].encode("utf-8"))

    def start(self, node: ast.AST) -> Position:
        line = node.lineno  # type: ignore[attr-defined]
        return line, self._char_column(line, node.col_offset)  # type: ignore[attr-defined]

    def end(self, node: ast.AST) -> Position:
        line = node.end_lineno  # type: ignore[attr-defined]
        return line, self._char_column(line, node.end_col_offset)  # type: ignore[attr-defined]

    def char(self, position: Position) -> str:
        line, column = position
        return self._line(line)[column : column + 1]

    def text(self, start: Position, end: Position) -> str:
        (line, column), (end_line, end_column) = start, end
        if line == end_line:
            return self._line(line)[column:end_column]
        parts = [self._line(line)[column:]]
        parts.extend(self._line(n) for n in range(line + 1, end_line))
        parts.append(self._line(end_line)[:end_column])
        return "".join(parts)

    def indentation(self, line: int) -> str:
        text = self._line(line)
        return text[: len(text) - len(text.lstrip(" \t\f"))]

    def statement_indentation(self, body: Sequence[ast.stmt], node: ast.AST) -> str:
        """The indentation of the innermost statement in `body` (or in a block of one of its
        statements, and so on) that holds `node`."""
        where = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
        found: ast.stmt | None = None
        statements: Sequence[ast.stmt] = body
        while True:
            for statement in statements:
                first = min(
                    [(statement.lineno, statement.col_offset)]
                    + [(d.lineno, d.col_offset) for d in getattr(statement, "decorator_list", ())]
                )
                if first <= where <= (statement.end_lineno, statement.end_col_offset):
                    found, statements = statement, _blocks(statement)
                    break
            else:
                break
        return self.indentation(found.lineno) if found is not None else ""

    def code(self, start: Position, end: Position, indentation: str) -> str:
        """The text from `start` to `end` as libcst's ``code_for_node`` gave it: a line broken
        inside brackets starts without `indentation`, that of the statement the text is in
        (libcst kept it apart, as the block's, and printed the node outside any block).
        Lines that continue a string or a backslash continuation keep theirs."""
        text = self.text(start, end)
        if "\n" not in text and "\r" not in text:
            return text
        lines = split_lines(text)
        inside: set[int] = set()  # indices of lines that begin inside a multi-line token
        try:
            for token in tokenize.generate_tokens(io.StringIO(f"({text})").readline):
                inside.update(range(token.start[0], token.end[0]))
        except (tokenize.TokenError, SyntaxError):
            return text
        newline = _default_newline(self.source)
        for index in range(1, len(lines)):
            previous = lines[index - 1]
            if index in inside or previous.rstrip("\r\n").endswith("\\"):
                continue  # in a string, or after a backslash: as written
            # Where libcst printed a line break of the file's usual kind, it wrote `\n`.
            if previous.endswith(newline) and (newline != "\r" or not previous.endswith("\r\n")):
                lines[index - 1] = previous[: -len(newline)] + "\n"
            if indentation and lines[index].startswith(indentation):
                lines[index] = lines[index][len(indentation) :]
        return "".join(lines)

    def skip(self, position: Position) -> Position:
        """The first position from `position` on that is not blank, a comment, or a line
        break or continuation (inside brackets a comment may sit between two tokens)."""
        line, column = position
        while line <= len(self.lines):
            text = self.lines[line - 1]
            while column < len(text) and text[column] in " \t\f":
                column += 1
            rest = text[column : column + 2]
            if not rest or rest[0] in "\r\n#" or (rest[0] == "\\" and rest[1:] in ("", "\r", "\n")):
                line, column = line + 1, 0
                continue
            return line, column
        return line, column

    def skip_back(self, position: Position) -> Position:
        """Just after the last token before `position`: blanks, line breaks and continuations
        skipped (not comments, which cannot be told from a ``#`` in a string going back)."""
        line, column = position
        while line >= 1:
            stripped = self._line(line)[:column].rstrip(" \t\f\r\n")
            if line < position[0] and stripped.endswith("\\"):
                stripped = stripped[:-1].rstrip(" \t\f")
            if stripped:
                return line, len(stripped)
            line -= 1
            column = len(self._line(line))
        return 1, 0

    def wrapped(self, node: ast.AST, after: Position) -> tuple[Position, Position]:
        """Where `node` starts and ends with the parentheses around it (libcst's range of it
        in ``code_for_node``). `after` is where the token before `node` ends: the ``(`` from
        there to `node` that close right after it wrap it (in `(a, b)` the one before `a`
        does not)."""
        start, end = self.start(node), self.end(node)
        opens: list[Position] = []
        position = self.skip(after)
        while position < start and self.char(position) == "(":
            opens.append(position)
            position = self.skip((position[0], position[1] + 1))
        for index in range(len(opens) - 1, -1, -1):  # innermost first
            position = self.skip(end)
            if self.char(position) != ")":
                break
            start, end = opens[index], (position[0], position[1] + 1)
        return start, end

    def located(self, start: Position, end: Position, name: str = "") -> ast.Name:
        """A node of its own for the range `start`-`end`, for a diagnostic to report."""
        node = ast.Name(id=name, ctx=ast.Load())
        node.lineno, node.end_lineno = start[0], end[0]
        node.col_offset = self._byte_column(*start)
        node.end_col_offset = self._byte_column(*end)
        return node
