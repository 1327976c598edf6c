"""Facts about one parsed module that rules share: names, compiled functions, module bindings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property

import libcst as cst
from libcst.metadata import PositionProvider

from numba_check import matching as m
from numba_check.compiled import CompiledFinder, CompiledFunction, EntryKind

# Entry points that compile their argument (as opposed to registering an implementation for it).
COMPILING = frozenset(EntryKind) - {EntryKind.OVERLOAD, EntryKind.REGISTER_JITABLE}


# Object-mode blocks: the code inside runs in the interpreter, so nopython rules skip it.
OBJMODE = frozenset({"numba.objmode", "numba.core.withcontexts.objmode_context"})


def builtin_name(module: ModuleContext, node: cst.CSTNode) -> str | None:
    """``len`` when `node` is the builtin ``len`` itself (not shadowed, not imported), else None."""
    return module.finder.builtin_name(node)


def with_item_callee(item: cst.WithItem) -> cst.BaseExpression:
    """`numba.objmode` for both `with numba.objmode(x='i8'):` and `with numba.objmode:`."""
    return item.item.func if isinstance(item.item, cst.Call) else item.item


class ModuleContext:
    def __init__(self, wrapper: cst.MetadataWrapper, source: str) -> None:
        self.wrapper = wrapper
        self.module = wrapper.module
        self.source = source
        self.finder = CompiledFinder(wrapper)
        self.compiled: list[CompiledFunction] = self.finder.find()

    def qualified_names(self, node: cst.CSTNode) -> set[str]:
        return self.finder.qualified_names(node)

    @cached_property
    def positions(self) -> Mapping[cst.CSTNode, object]:
        # libcst's resolve runs a batch of providers over the module even when, as for
        # positions, the batch is empty: a pass of its node-rebuilding visitor that computes
        # nothing and took as long as the code generation that finds the positions.
        with m.fast_visitors():
            return self.wrapper.resolve(PositionProvider)

    @cached_property
    def compiled_nodes(self) -> frozenset[int]:
        return frozenset(id(c.node) for c in self.compiled)

    @cached_property
    def module_bindings(self) -> Mapping[str, list[cst.CSTNode]]:
        """Every statement that binds a name at module level: defs, classes, assignments, imports.

        Statements nested in module-level ``if``/``try``/``with`` count too (conditional
        definitions), but not those inside functions or classes.
        """
        out: dict[str, list[cst.CSTNode]] = {}

        def add(name: str, node: cst.CSTNode) -> None:
            out.setdefault(name, []).append(node)

        def walk(statements: Iterable[cst.CSTNode]) -> None:
            for stmt in statements:
                if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                    add(stmt.name.value, stmt)
                elif isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
                    for small in stmt.body:
                        for target in _bound_names(small):
                            add(target, small)
                elif isinstance(stmt, (cst.If, cst.Try, cst.With, cst.For, cst.While)):
                    walk(_statements(stmt.body))
                    for extra in ("orelse", "finalbody"):
                        part = getattr(stmt, extra, None)
                        if isinstance(part, cst.If):  # elif
                            walk([part])
                        elif part is not None:
                            walk(_statements(part.body))
                    for handler in getattr(stmt, "handlers", ()):
                        walk(_statements(handler.body))

        walk(self.module.body)
        return out

    def is_objmode(self, node: cst.With) -> bool:
        return any(self.qualified_names(with_item_callee(i)) & OBJMODE for i in node.items)

    def refers_to_module_level(self, name: cst.Name) -> bool:
        """Whether `name` can only mean a module-level binding (not a local or parameter)."""
        return self.finder.local_qualified_names(name) == {name.value}

    def binding_kind(self, name: str) -> str:
        nodes = self.module_bindings.get(name, ())
        return "class" if any(isinstance(n, cst.ClassDef) for n in nodes) else "function"

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
            assert isinstance(call, cst.Call)
            if self.finder.entry_kind(call.func) in COMPILING:
                continue
            if not any(q.startswith("numba.") for q in self.qualified_names(call.func)):
                continue
            names.update(a.value.value for a in call.args if isinstance(a.value, cst.Name))
        return frozenset(names)

    def _binding_callable(self, node: cst.CSTNode) -> bool | None:
        if isinstance(node, cst.FunctionDef):
            if id(node) in self.compiled_nodes and not self._compiled_by_call_only(node):
                return True
            if node.decorators:
                # Some other decorator may well return something Numba can call.
                return None
            return False
        if isinstance(node, cst.ClassDef):
            if node.decorators or node.bases or node.keywords:
                # jitclass, namedtuple, Enum, exception classes: all usable from Numba.
                return None
            return False
        if isinstance(node, cst.Assign) and isinstance(node.value, cst.Call):
            func = node.value.func
            if self.finder.entry_kind(func) or (
                isinstance(func, cst.Call) and self.finder.entry_kind(func.func)
            ):
                return True  # `f = njit(f)` / `g = numba.jit(cache=True)(f)`
        return None

    def _compiled_by_call_only(self, node: cst.FunctionDef) -> bool:
        return any(c.node is node and c.call_form for c in self.compiled) and not any(
            c.node is node and not c.call_form for c in self.compiled
        )


def _bound_names(small: cst.BaseSmallStatement) -> list[str]:
    if isinstance(small, (cst.Assign,)):
        return [
            n.value
            for t in small.targets
            for n in m.findall(t.target, m.Name())
            if isinstance(n, cst.Name)
        ]
    if isinstance(small, (cst.AnnAssign, cst.AugAssign)) and isinstance(small.target, cst.Name):
        return [small.target.value]
    if isinstance(small, (cst.Import, cst.ImportFrom)):
        names = small.names
        if isinstance(names, cst.ImportStar):
            return []
        out = []
        for alias in names:
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                out.append(alias.asname.name.value)
            else:
                out.append(cst.Module([]).code_for_node(alias.name).split(".")[0])
        return out
    return []


def _statements(block: cst.BaseSuite) -> Sequence[cst.CSTNode]:
    """The statements of an indented block, or the one line of `if x: y = 1`."""
    return block.body if isinstance(block, cst.IndentedBlock) else [block]
