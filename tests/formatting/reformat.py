"""Rewrite a module's layout without changing its syntax tree, with libcst.

Each transformation changes only what Python's grammar leaves free: where lines break, which
parentheses group an expression, comments, semicolons, the width of an indent. ``ast.dump`` of
the result equals that of the input (``same_tree`` checks it), so a linter that reads the tree
must give the same verdicts on both.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence

import libcst as cst

COMMENT = "# reformatted"


def _broken_line(comment: bool, indent: str = "    ") -> cst.ParenthesizedWhitespace:
    """A line break inside brackets, with a comment before it if asked."""
    return cst.ParenthesizedWhitespace(
        first_line=cst.TrailingWhitespace(
            whitespace=cst.SimpleWhitespace("  " if comment else ""),
            comment=cst.Comment(COMMENT) if comment else None,
        ),
        indent=True,
        last_line=cst.SimpleWhitespace(indent),
    )


class OneLineBlocks(cst.CSTTransformer):
    """``if x:\\n    return 1`` -> ``if x: return 1`` wherever a block holds only simple
    statements (their small statements joined by semicolons on the header's line)."""

    def leave_IndentedBlock(
        self, original: cst.IndentedBlock, updated: cst.IndentedBlock
    ) -> cst.BaseSuite:
        if not updated.body or not all(
            isinstance(s, cst.SimpleStatementLine) for s in updated.body
        ):
            return updated
        small = [small for line in updated.body for small in line.body]
        small = [s.with_changes(semicolon=cst.MaybeSentinel.DEFAULT) for s in small]
        joined = [
            s.with_changes(semicolon=cst.Semicolon(whitespace_after=cst.SimpleWhitespace(" ")))
            if i < len(small) - 1
            else s
            for i, s in enumerate(small)
        ]
        return cst.SimpleStatementSuite(body=joined)


class Semicolons(cst.CSTTransformer):
    """Consecutive simple-statement lines of a block joined into one line by semicolons."""

    def _join(self, body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
        out: list[cst.BaseStatement] = []
        for stmt in body:
            previous = out[-1] if out else None
            if isinstance(stmt, cst.SimpleStatementLine) and isinstance(
                previous, cst.SimpleStatementLine
            ):
                last = previous.body[-1].with_changes(
                    semicolon=cst.Semicolon(whitespace_after=cst.SimpleWhitespace(" "))
                )
                out[-1] = previous.with_changes(body=[*previous.body[:-1], last, *stmt.body])
            else:
                out.append(stmt)
        return out

    def leave_IndentedBlock(
        self, original: cst.IndentedBlock, updated: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        return updated.with_changes(body=self._join(updated.body))

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return updated.with_changes(body=self._join(updated.body))


class Parenthesised(cst.CSTTransformer):
    """The value of every assignment, return and expression statement wrapped in parentheses
    broken over lines, and calls' arguments and binary operations re-broken inside them
    (optionally with a comment at each break)."""

    def __init__(self, comments: bool = False) -> None:
        super().__init__()
        self.comments = comments
        # Inside an f-string a line break is a syntax error before Python 3.12.
        self.fstring_depth = 0
        # Line breaks are legal only inside brackets.
        self.bracket_depth = 0

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        self.fstring_depth += 1

    def leave_FormattedString(
        self, original: cst.FormattedString, updated: cst.FormattedString
    ) -> cst.FormattedString:
        self.fstring_depth -= 1
        return updated

    def _wrap(self, expr: cst.BaseExpression) -> cst.BaseExpression:
        if self.fstring_depth or isinstance(expr, cst.StarredElement):
            return expr
        left = cst.LeftParen(whitespace_after=_broken_line(self.comments))
        right = cst.RightParen(whitespace_before=_broken_line(False, ""))
        return expr.with_changes(lpar=[left, *expr.lpar], rpar=[*expr.rpar, right])

    def _value(self, updated: cst.CSTNode) -> cst.CSTNode:
        value = getattr(updated, "value", None)
        if not isinstance(value, cst.BaseExpression):
            return updated
        return updated.with_changes(value=self._wrap(value))

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        return self._value(updated)  # type: ignore[return-value]

    def leave_AnnAssign(self, original: cst.AnnAssign, updated: cst.AnnAssign) -> cst.AnnAssign:
        return self._value(updated)  # type: ignore[return-value]

    def leave_AugAssign(self, original: cst.AugAssign, updated: cst.AugAssign) -> cst.AugAssign:
        return self._value(updated)  # type: ignore[return-value]

    def leave_Return(self, original: cst.Return, updated: cst.Return) -> cst.Return:
        return self._value(updated)  # type: ignore[return-value]

    def leave_Expr(self, original: cst.Expr, updated: cst.Expr) -> cst.Expr:
        return self._value(updated)  # type: ignore[return-value]

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        if self.fstring_depth or not isinstance(updated.comma, cst.Comma):
            return updated
        comma = updated.comma.with_changes(whitespace_after=_broken_line(self.comments))
        return updated.with_changes(comma=comma)

    def leave_BinaryOperation(
        self, original: cst.BinaryOperation, updated: cst.BinaryOperation
    ) -> cst.BaseExpression:
        if self.fstring_depth:
            return updated
        # Break after the operator, then parenthesise the operation so that the break is
        # inside brackets wherever the operation stands.
        operator = updated.operator.with_changes(whitespace_after=_broken_line(self.comments))
        return self._wrap(updated.with_changes(operator=operator))


class Comments(cst.CSTTransformer):
    """A comment line before every statement (and between decorators and their def)."""

    def _comment(self, updated: cst.CSTNode) -> cst.CSTNode:
        line = cst.EmptyLine(comment=cst.Comment(COMMENT))
        changes: dict = {"leading_lines": [*updated.leading_lines, line]}  # type: ignore[attr-defined]
        if getattr(updated, "decorators", None):
            changes["lines_after_decorators"] = [*updated.lines_after_decorators, line]  # type: ignore[attr-defined]
        return updated.with_changes(**changes)

    def leave_SimpleStatementLine(self, original, updated):  # type: ignore[no-untyped-def]
        return self._comment(updated)

    def on_leave(self, original, updated):  # type: ignore[no-untyped-def]
        if isinstance(updated, cst.BaseCompoundStatement) and hasattr(updated, "leading_lines"):
            updated = self._comment(updated)
        return super().on_leave(original, updated)


class Indent(cst.CSTTransformer):
    """Every block indented by `width` spaces."""

    def __init__(self, width: int) -> None:
        super().__init__()
        self.width = width

    def leave_IndentedBlock(
        self, original: cst.IndentedBlock, updated: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        return updated.with_changes(indent=None)

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return updated.with_changes(default_indent=" " * self.width)


Transform = Callable[[], cst.CSTTransformer]

# Each variant applies its transformations in order: the layout of statements, the layout of
# expressions, then everything at once (each transformation costs a libcst pass and a lint).
VARIANTS: dict[str, tuple[Transform, ...]] = {
    "statements": (lambda: Indent(2), OneLineBlocks, Semicolons),
    "expressions": (lambda: Indent(8), lambda: Parenthesised(comments=True), Comments),
    "all": (
        lambda: Indent(3),
        Semicolons,
        OneLineBlocks,
        lambda: Parenthesised(comments=True),
        Comments,
    ),
}


def reformat(source: str | cst.Module, variant: str) -> str:
    """`source` (its text, or libcst's tree of it) laid out as `variant` says; the same
    syntax tree."""
    module = cst.parse_module(source) if isinstance(source, str) else source
    for make in VARIANTS[variant]:
        module = module.visit(make())
    return module.code


def same_tree(a: str, b: str) -> bool:
    return ast.dump(ast.parse(a)) == ast.dump(ast.parse(b))


def statement_index(tree: ast.Module) -> list[tuple[tuple[int, int], tuple[int, int], int]]:
    """(start, end, index) of every statement, numbered in source order (pre-order), its
    start taken at its first decorator."""
    spans: list[tuple[tuple[int, int], tuple[int, int], int]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.stmt):
            first = min(
                [node, *getattr(node, "decorator_list", ())],
                key=lambda n: (n.lineno, n.col_offset),
            )
            start = (first.lineno, first.col_offset)
            spans.append((start, (node.end_lineno, node.end_col_offset), len(spans)))  # type: ignore[arg-type]
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return spans


def statement_of(spans, line: int, column: int) -> int:
    """Index of the innermost statement holding position (line, column); -1 for none."""
    best = -1
    for start, end, index in spans:
        if start <= (line, column) <= end:
            best = index  # pre-order: a later match is nested in the earlier one
    return best
