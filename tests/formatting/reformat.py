"""Rewrite a module's layout without changing its syntax tree, with libcst.

Each transformation changes only what Python's grammar leaves free: where lines break, which
parentheses group an expression, comments, semicolons, the width of an indent. ``ast.dump`` of
the result equals that of the input (``tree`` gives it), so a linter that reads the tree
must give the same verdicts on both.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Variant:
    """Which layout changes one pass makes: the width of an indent; `statements`: blocks of
    simple statements on their header's line and other simple statements joined by semicolons;
    `expressions`: values parenthesised and re-broken over lines, with a comment at each break;
    `comments`: a comment line before every statement."""

    indent: int
    statements: bool = False
    expressions: bool = False
    comments: bool = False


class Layout(cst.CSTTransformer):
    """Every change a `Variant` asks for, made in one walk of the tree.

    The changes commute: each hook touches one kind of node, and where two touch the same
    node the order is the one applying them one after the other would give (a block made a
    one-line block has no statement lines left to join, and joining keeps the first line's
    leading comment and drops the others', whether that comment came before or after). libcst
    pays per walk and per attribute of each node, so one walk without attribute hooks costs a
    fraction of one walk per change.
    """

    def __init__(self, variant: Variant) -> None:
        super().__init__()
        self.variant = variant
        # Inside an f-string a line break is a syntax error before Python 3.12.
        self.fstring_depth = 0

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        return None

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None

    # Statements: indent, one-line blocks, semicolons, comment lines.

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        body = _joined(updated.body) if self.variant.statements else updated.body
        return updated.with_changes(body=body, default_indent=" " * self.variant.indent)

    def leave_IndentedBlock(
        self, original: cst.IndentedBlock, updated: cst.IndentedBlock
    ) -> cst.BaseSuite:
        updated = updated.with_changes(indent=None)  # the module's default indent
        if not self.variant.statements:
            return updated
        if updated.body and all(isinstance(s, cst.SimpleStatementLine) for s in updated.body):
            # ``if x:\n    return 1`` -> ``if x: return 1``
            return cst.SimpleStatementSuite(
                body=_chained(s for ln in updated.body for s in ln.body)
            )
        return updated.with_changes(body=_joined(updated.body))

    def leave_SimpleStatementLine(self, original, updated):  # type: ignore[no-untyped-def]
        return self._comment(updated)

    def on_leave(self, original, updated):  # type: ignore[no-untyped-def]
        if isinstance(updated, cst.BaseCompoundStatement) and hasattr(updated, "leading_lines"):
            updated = self._comment(updated)
        return super().on_leave(original, updated)

    def _comment(self, updated: cst.CSTNode) -> cst.CSTNode:
        """A comment line before the statement (and between decorators and their def)."""
        if not self.variant.comments:
            return updated
        line = cst.EmptyLine(comment=cst.Comment(COMMENT))
        changes: dict = {"leading_lines": [*updated.leading_lines, line]}  # type: ignore[attr-defined]
        if getattr(updated, "decorators", None):
            changes["lines_after_decorators"] = [*updated.lines_after_decorators, line]  # type: ignore[attr-defined]
        return updated.with_changes(**changes)

    # Expressions: the value of every assignment, return and expression statement wrapped in
    # parentheses broken over lines, and calls' arguments and binary operations re-broken
    # inside them.

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        self.fstring_depth += 1

    def leave_FormattedString(
        self, original: cst.FormattedString, updated: cst.FormattedString
    ) -> cst.FormattedString:
        self.fstring_depth -= 1
        return updated

    def _breaks(self) -> bool:
        return self.variant.expressions and not self.fstring_depth

    def _wrap(self, expr: cst.BaseExpression) -> cst.BaseExpression:
        if isinstance(expr, cst.StarredElement):
            return expr
        left = cst.LeftParen(whitespace_after=_broken_line(self.variant.comments))
        right = cst.RightParen(whitespace_before=_broken_line(False, ""))
        return expr.with_changes(lpar=[left, *expr.lpar], rpar=[*expr.rpar, right])

    def _value(self, updated: cst.CSTNode) -> cst.CSTNode:
        value = getattr(updated, "value", None)
        if not self._breaks() or not isinstance(value, cst.BaseExpression):
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
        if not self._breaks() or not isinstance(updated.comma, cst.Comma):
            return updated
        comma = updated.comma.with_changes(whitespace_after=_broken_line(self.variant.comments))
        return updated.with_changes(comma=comma)

    def leave_BinaryOperation(
        self, original: cst.BinaryOperation, updated: cst.BinaryOperation
    ) -> cst.BaseExpression:
        if not self._breaks():
            return updated
        # Break after the operator, then parenthesise the operation so that the break is
        # inside brackets wherever the operation stands.
        operator = updated.operator.with_changes(
            whitespace_after=_broken_line(self.variant.comments)
        )
        return self._wrap(updated.with_changes(operator=operator))


def _chained(small: Iterable[cst.BaseSmallStatement]) -> list[cst.BaseSmallStatement]:
    """Small statements joined by semicolons (``a; b; c``)."""
    out = [s.with_changes(semicolon=cst.MaybeSentinel.DEFAULT) for s in small]
    semicolon = cst.Semicolon(whitespace_after=cst.SimpleWhitespace(" "))
    return [s.with_changes(semicolon=semicolon) for s in out[:-1]] + out[-1:]


def _joined(body: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """Consecutive simple-statement lines joined into one line by semicolons."""
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


# The layout of statements, the layout of expressions, then everything at once (each variant
# costs a libcst walk and a lint).
VARIANTS: dict[str, Variant] = {
    "statements": Variant(indent=2, statements=True),
    "expressions": Variant(indent=8, expressions=True, comments=True),
    "all": Variant(indent=3, statements=True, expressions=True, comments=True),
}


def reformat(source: str | cst.Module, variant: str) -> str:
    """`source` (its text, or libcst's tree of it) laid out as `variant` says; the same
    syntax tree."""
    module = cst.parse_module(source) if isinstance(source, str) else source
    return module.visit(Layout(VARIANTS[variant])).code


def tree(source: str) -> str:
    """The syntax tree of `source`, as text to compare: two layouts of one module give the same."""
    return ast.dump(ast.parse(source))


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
