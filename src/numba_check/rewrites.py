"""The fixes that change structure, written as libcst transformations.

Imported only to fix a file (`fixes.resolve`): the lint path parses with `ast` and never imports
libcst. A rule names the transformation and the node (`rules.base.Transform`); here the node is
found in libcst's tree by its position, the transformation gives the node to put in its place,
and the fix's edit is the difference between the node's code before and after. So every
character the transformation keeps (comments, line breaks, parentheses) stays as written, and
the edit is as small as the change, which lets other fixes nearby go in the same pass.

A transformation returns None where it cannot rewrite the node without losing something (a
comment inside what it would replace): the fix is then not offered, and the code stays as is.
"""

from __future__ import annotations

import bisect
import difflib
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import libcst as cst
import libcst.matchers as m

# The printer's state, to print a node with the indentation of the blocks around it, which
# Module.code_for_node cannot be given. Not public, though unchanged since libcst 0.3; were it
# to print otherwise, the check against the module's text turns the fix down.
from libcst._nodes.internal import CodegenState
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor
from libcst.metadata import (
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    WhitespaceInclusivePositionProvider,
)

from numba_check.fixes import line_offsets, split_lines
from numba_check.model import Edit, Fix, Location, Rewrite


@dataclass(frozen=True)
class Change:
    """What a transformation makes of its node: the node in its place, and the imports
    (module, name) the new code needs, added where the module lacks them."""

    node: cst.CSTNode
    imports: tuple[tuple[str, str], ...] = ()


Transformation = Callable[[cst.CSTNode, tuple[str, ...]], Change | None]

# kind -> (the libcst node class it rewrites, the transformation)
_TRANSFORMATIONS: dict[str, tuple[type[cst.CSTNode], Transformation]] = {}


def transformation(
    kind: str, node_class: type[cst.CSTNode]
) -> Callable[[Transformation], Transformation]:
    """Register a transformation of `node_class` nodes under `kind` (a rule's Transform.kind)."""

    def register(function: Transformation) -> Transformation:
        _TRANSFORMATIONS[kind] = (node_class, function)
        return function

    return register


def resolve(source: str, fixes: Sequence[Fix]) -> list[Fix | None]:
    """Each fix with edits: a fix by rewrite gets the edits of its transformation (the source
    parsed once for all of them); None where that transformation does not apply."""
    tree = _Tree.parse(source)
    if tree is not None:
        tree.expect([f.rewrite.start.line for f in fixes if f.rewrite is not None and not f.edits])
    resolved: list[Fix | None] = []
    for fix in fixes:
        if fix.rewrite is None or fix.edits:
            resolved.append(fix)
            continue
        edits = tree.edits(fix.rewrite) if tree is not None else None
        resolved.append(None if not edits else Fix(fix.applicability, fix.message, edits))
    return resolved


# Fixes on more lines than this: the whole module's metadata is worked out once (about as
# costly as that of a few statements, each piece having a cost of its own).
_FIXES_APART = 8


class _Tree:
    """One module's libcst tree, the positions of its nodes, and what each fix makes of it.

    A fix's edit is worked out from its node alone, so that n fixes cost n times the size of
    their nodes, not n times the module's: the node is printed as it stands in the module (the
    indentation of the blocks around it given to libcst's printer), which must give back the
    module's text between the node's limits exactly (else no fix), then printed after the
    change; the two differ in one run of characters, the edit.
    """

    def __init__(self, source: str, module: cst.Module) -> None:
        self.source = source
        self.module = module
        self.offsets = line_offsets(source)
        self._statements: dict[int, _Statement] = {}
        self._whole: _Statement | None = None
        self._imports: dict[tuple[tuple[str, str], ...], tuple[Edit, ...] | None] = {}

    @classmethod
    def parse(cls, source: str) -> _Tree | None:
        try:
            module = cst.parse_module(source)
        except (cst.ParserSyntaxError, RecursionError, ValueError):
            return None  # libcst's grammar lags Python's: the fix is not offered
        if module.code != source:
            return None  # never write back anything but what was read
        return cls(source, module)

    def edits(self, rewrite: Rewrite) -> tuple[Edit, ...] | None:
        entry = _TRANSFORMATIONS.get(rewrite.kind)
        statement = self._statement(rewrite.start.line)
        if entry is None or statement is None:
            return None
        node_class, transform = entry
        target = statement.find(node_class, rewrite.start, rewrite.end)
        if target is None:
            return None
        try:
            change = transform(target, rewrite.args)
            if change is None:
                return None
            edit = self._replacement(statement, target, change.node)
        except cst.CSTValidationError:
            return None  # a spelling the transformation does not know how to rewrite
        if edit is None:
            return None
        if not change.imports:
            return (edit,)
        imports = self._import_edits(change.imports)
        return None if imports is None else (edit, *imports)

    @functools.cached_property
    def _starts(self) -> list[int]:
        """The line each top-level statement starts on (its comments above it included)."""
        module = self.module
        starts, offset = [], sum(len(module.code_for_node(line)) for line in module.header)
        for statement in module.body:
            starts.append(self._location(offset).line)
            offset += len(module.code_for_node(statement))
        return starts

    def expect(self, lines: Sequence[int]) -> None:
        """Be ready for fixes on `lines`: metadata is worked out for the top-level statements
        holding a fix only, but where there are many fixes, for the whole module at once,
        which then costs less than one piece per statement."""
        if len(set(lines)) > _FIXES_APART:
            self._whole = _Statement(self.module, None, 1)

    def _statement(self, line: int) -> _Statement | None:
        """The top-level statement written on `line`, with its metadata (worked out once)."""
        if self._whole is not None:
            return self._whole
        index = bisect.bisect_right(self._starts, line) - 1
        if index < 0:
            return None
        found = self._statements.get(index)
        if found is None:
            found = _Statement(self.module, index, self._starts[index])
            self._statements[index] = found
        return found

    def _replacement(
        self, statement: _Statement, old: cst.CSTNode, new: cst.CSTNode
    ) -> Edit | None:
        where = statement.extents[old]
        start = self._offset(statement.line(where.start.line), where.start.column)
        end = self._offset(statement.line(where.end.line), where.end.column)
        indents = statement.indents(old)
        before, after = self._print(old, indents), self._print(new, indents)
        written = self.source[start:end]
        newline = self.module.default_newline
        if (
            end == len(self.source)
            and not self.module.has_trailing_newline
            and before == written + newline
            and after.endswith(newline)
        ):
            # The last line has no line end, which the last statement prints all the same.
            before, after = written, after[: -len(newline)]
        if before != written:
            return None  # printed otherwise than written: nothing to anchor an edit to
        prefix = _common_prefix(before, after)
        suffix = _common_prefix(before[prefix:][::-1], after[prefix:][::-1])
        return Edit(
            self._location(start + prefix),
            self._location(end - suffix),
            after[prefix : len(after) - suffix],
        )

    def _print(self, node: cst.CSTNode, indents: list[str]) -> str:
        """`node`'s code as the module prints it where it stands (`Module.code_for_node`
        prints it at the top level, without the indentation of the blocks around it)."""
        state = CodegenState(
            default_indent=self.module.default_indent,
            default_newline=self.module.default_newline,
        )
        state.indent_tokens = list(indents)
        node._codegen(state)
        return "".join(state.tokens)

    def _import_edits(self, imports: tuple[tuple[str, str], ...]) -> tuple[Edit, ...] | None:
        """The edits that add `imports` where the module lacks them (libcst's
        AddImportsVisitor: merged into an import from the same module, else among the
        imports at the top), worked out once per module: they are the same for every fix that
        needs them (and only one of those goes in per pass, the others then find them there)."""
        if imports not in self._imports:
            context = CodemodContext()
            for module_name, name in imports:
                AddImportsVisitor.add_needed_import(context, module_name, name)
            new = AddImportsVisitor(context).transform_module(self.module)
            self._imports[imports] = self._difference(new.code)
        return self._imports[imports]

    def _difference(self, new: str) -> tuple[Edit, ...]:
        """The edits that turn the source into `new`: one per run of changed lines, trimmed
        to the characters that differ."""
        old_lines, new_lines = split_lines(self.source), split_lines(new)
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        edits = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            start = self.offsets[i1] if i1 < len(self.offsets) else len(self.source)
            old = "".join(old_lines[i1:i2])
            text = "".join(new_lines[j1:j2])
            prefix = _common_prefix(old, text)
            suffix = _common_prefix(old[prefix:][::-1], text[prefix:][::-1])
            edits.append(
                Edit(
                    self._location(start + prefix),
                    self._location(start + len(old) - suffix),
                    text[prefix : len(text) - suffix],
                )
            )
        return tuple(edits)

    def _offset(self, line: int, column: int) -> int:
        # libcst ends a module without a final line end on a line after its last.
        if line > len(self.offsets):
            return len(self.source)
        return min(self.offsets[line - 1] + column, len(self.source))

    def _location(self, offset: int) -> Location:
        line = bisect.bisect_right(self.offsets, offset) - 1
        line = max(0, min(line, len(self.offsets) - 1))
        return Location(line + 1, offset - self.offsets[line])


class _Statement:
    """A top-level statement's metadata, computed on a module of that statement alone (or the
    whole module's): its lines count from the statement's first line, `line` turns them into
    the module's."""

    def __init__(self, module: cst.Module, index: int | None, first_line: int) -> None:
        # None: the whole module.
        alone = (
            module
            if index is None
            else module.with_changes(body=[module.body[index]], header=(), footer=())
        )
        # unsafe_skip_copy: the metadata is that of the nodes of `module` itself.
        wrapper = MetadataWrapper(alone, unsafe_skip_copy=True)
        self.positions = wrapper.resolve(PositionProvider)
        self.extents = wrapper.resolve(WhitespaceInclusivePositionProvider)
        self.parents = wrapper.resolve(ParentNodeProvider)
        self.default_indent = module.default_indent
        self._shift = first_line - 1
        self._by_line: dict[type[cst.CSTNode], dict[int, list[cst.CSTNode]]] = {}

    def line(self, line: int) -> int:
        return line + self._shift

    def find(
        self, node_class: type[cst.CSTNode], start: Location, end: Location
    ) -> cst.CSTNode | None:
        """The outermost `node_class` node written between `start` and `end` (the span `ast`
        gives, which may include parentheses libcst's position leaves out)."""
        by_line = self._lines(node_class)
        best: tuple[tuple[int, int, int, int], cst.CSTNode] | None = None
        for line in range(start.line, end.line + 1):
            for node in by_line.get(line, ()):
                where = self.positions[node]
                begins = Location(self.line(where.start.line), where.start.column)
                ends = Location(self.line(where.end.line), where.end.column)
                if start <= begins and ends <= end:
                    # Outermost: the earliest start, then the latest end.
                    key = (begins.line, begins.column, -ends.line, -ends.column)
                    if best is None or key < best[0]:
                        best = (key, node)
        return None if best is None else best[1]

    def _lines(self, node_class: type[cst.CSTNode]) -> dict[int, list[cst.CSTNode]]:
        """The `node_class` nodes by the (module's) line they start on, built once a class."""
        found = self._by_line.get(node_class)
        if found is None:
            found = {}
            for node, where in self.positions.items():
                if isinstance(node, node_class):
                    found.setdefault(self.line(where.start.line), []).append(node)
            self._by_line[node_class] = found
        return found

    def indents(self, node: cst.CSTNode) -> list[str]:
        """The indentation of each block `node` is in, outermost first."""
        indents = []
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, cst.IndentedBlock):
                indents.append(self.default_indent if node.indent is None else node.indent)
        return indents[::-1]


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _has_comment(node: cst.CSTNode) -> bool:
    return bool(m.findall(node, m.Comment()))


# The transformations, one per fix.


@transformation("catch-exception", cst.ExceptHandler)
def catch_exception(node: cst.CSTNode, args: tuple[str, ...]) -> Change | None:
    """``except SomeError:`` or ``except (A, B):`` -> ``except Exception:`` (NB101)."""
    assert isinstance(node, cst.ExceptHandler)
    if node.type is None or _has_comment(node.type):
        return None  # a comment among the classes would be lost
    if node.name is not None and _empty(node.name.whitespace_before_as):
        # `except(A, B)as e:`: the space `as` needs would meet NB102's edit, which drops
        # `as e`, in `except Exception :` (which libcst cannot even read back). Left as is.
        return None
    changes: dict[str, object] = {"type": cst.Name("Exception")}
    if not node.whitespace_after_except.value:  # `except(A, B):`
        changes["whitespace_after_except"] = cst.SimpleWhitespace(" ")
    return Change(node.with_changes(**changes))


@transformation("drop-exception-name", cst.ExceptHandler)
def drop_exception_name(node: cst.CSTNode, args: tuple[str, ...]) -> Change | None:
    """``except E as e:`` -> ``except E:`` (NB102; the rule checked that `e` is unused)."""
    assert isinstance(node, cst.ExceptHandler)
    if node.name is None or _has_comment(node.name):
        return None
    return Change(node.with_changes(name=None))


@transformation("list-comprehension", cst.GeneratorExp)
def list_comprehension(node: cst.CSTNode, args: tuple[str, ...]) -> Change | None:
    """``sum(x for x in a)`` -> ``sum([x for x in a])`` (NB111): the same element and clauses,
    in brackets; parentheses of its own (``max((x for x in a))``) are kept."""
    assert isinstance(node, cst.GeneratorExp)
    return Change(cst.ListComp(elt=node.elt, for_in=node.for_in, lpar=node.lpar, rpar=node.rpar))


@transformation("set-from-list", cst.SetComp)
def set_from_list(node: cst.CSTNode, args: tuple[str, ...]) -> Change | None:
    """``{x for x in a}`` -> ``set([x for x in a])`` (NB110), the space (or the line break and
    comment) inside the braces kept inside the brackets."""
    assert isinstance(node, cst.SetComp)
    listed = cst.ListComp(
        elt=node.elt,
        for_in=node.for_in,
        lbracket=cst.LeftSquareBracket(whitespace_after=node.lbrace.whitespace_after),
        rbracket=cst.RightSquareBracket(whitespace_before=node.rbrace.whitespace_before),
    )
    return Change(
        cst.Call(func=cst.Name("set"), args=[cst.Arg(listed)], lpar=node.lpar, rpar=node.rpar)
    )


@transformation("decorate", cst.FunctionDef)
def decorate(node: cst.CSTNode, args: tuple[str, ...]) -> Change | None:
    """A helper compiled code calls gets the decorator ``args[0]`` (``njit``, ``nb.njit``,
    an alias), above the decorators it has and below its comments (NB202). ``args[1:]``, when
    given, is the import it needs: module and name (``numba``, ``njit``)."""
    assert isinstance(node, cst.FunctionDef)
    decorator = cst.Decorator(decorator=cst.parse_expression(args[0]))
    imports = ((args[1], args[2]),) if len(args) == 3 else ()
    return Change(node.with_changes(decorators=[decorator, *node.decorators]), imports)


@transformation("rename", cst.Name)
def rename(node: cst.CSTNode, args: tuple[str, ...]) -> Change | None:
    """A name -> the expression ``args[0]``, parentheses around it kept: a builtin type given
    as a dtype -> the NumPy type, spelled as the module imports numpy (NB307, NB308)."""
    assert isinstance(node, cst.Name)
    new = cst.parse_expression(args[0])
    return Change(new.with_changes(lpar=node.lpar, rpar=node.rpar))


def _empty(whitespace: cst.BaseParenthesizableWhitespace) -> bool:
    return isinstance(whitespace, cst.SimpleWhitespace) and not whitespace.value
