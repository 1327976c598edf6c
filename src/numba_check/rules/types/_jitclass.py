"""What the jitclass field rules share: the stores ``self.name = value`` of a jitclass method,
with the fields the class declares (read from the semantic layer)."""

from __future__ import annotations

import ast

from numba_check.entry_points import EntryKind
from numba_check.rules.base import FunctionContext, Rule
from numba_check.semantic.jitclasses import JitclassFields, is_instance_attribute


class FieldStoreRule(Rule):
    """A rule that looks at each ``self.name = value`` (``value`` None for an augmented or
    unpacking assignment) in the methods of a jitclass."""

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        function = ctx.function
        self.fields: JitclassFields | None = None
        if function is not None and function.entry is EntryKind.JITCLASS:
            self.fields = ctx.semantic.jitclass_fields(function)

    def active(self) -> bool:
        return self.fields is not None

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._target(target, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._target(node.target, node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._target(node.target, None)

    def _target(self, target: ast.expr, value: ast.expr | None) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._target(element, None)
            return
        if isinstance(target, ast.Starred):
            self._target(target.value, None)
            return
        function = self.ctx.function
        assert function is not None
        if is_instance_attribute(self.ctx.semantic, function.node, target):
            assert isinstance(target, ast.Attribute)
            self.store(target, value)

    def store(self, target: ast.Attribute, value: ast.expr | None) -> None:
        raise NotImplementedError
