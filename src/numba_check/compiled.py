"""Which functions of a module Numba compiles, with their target and options.

Names are resolved with libcst's scope analysis (the qualified names its QualifiedNameProvider
would give), so every import spelling of an entry
point (``numba.njit``, ``nb.njit``, ``from numba import njit as fast``) is recognised, and a
look-alike (``pytest.mark.parametrize``, a local function named ``jit``) is not.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import QualifiedName, QualifiedNameSource, ScopeProvider

from numba_check import matching as m
from numba_check.entry_points import ENTRY_POINTS, EntryKind


class Target(str, enum.Enum):
    CPU = "cpu"
    PARALLEL = "parallel"
    CUDA_KERNEL = "cuda-kernel"
    CUDA_DEVICE = "cuda-device"
    UFUNC = "ufunc"
    GUFUNC = "gufunc"
    STENCIL = "stencil"
    CFUNC = "cfunc"


ALL_TARGETS = frozenset(Target)
CUDA_TARGETS = frozenset({Target.CUDA_KERNEL, Target.CUDA_DEVICE})
CPU_TARGETS = ALL_TARGETS - CUDA_TARGETS


# Literal option values we record; anything else is recorded as DYNAMIC.
DYNAMIC = object()


@dataclass(frozen=True)
class CompiledFunction:
    """A function body that Numba compiles."""

    node: cst.FunctionDef
    name: str
    target: Target
    entry: EntryKind
    options: Mapping[str, object] = field(default_factory=dict)
    has_signature: bool = False
    # True when the function is compiled by a call (``g = njit(f)``) and `f` stays plain Python.
    call_form: bool = False

    @property
    def on_gpu(self) -> bool:
        return self.target in CUDA_TARGETS or self.options.get("target") == "cuda"

    def nopython(self, numba_version: tuple[int, ...]) -> bool:
        """Whether Numba compiles this in nopython mode (errors are errors, not fallbacks)."""
        if self.options.get("forceobj") is True:
            return False
        if self.entry is EntryKind.JIT and numba_version < (0, 59):
            # Before 0.59 a plain @jit fell back to object mode when nopython typing failed.
            return self.options.get("nopython") is True
        if self.entry in (EntryKind.VECTORIZE, EntryKind.GUVECTORIZE) and numba_version < (0, 59):
            # So did a CPU ufunc with signatures and a dynamic gufunc; not the parallel target,
            # and not a lazy @vectorize ("return type must be specified for object mode").
            if self.options.get("nopython") is True or self.options.get("target") == "parallel":
                return True
            lazy = not self.options.get("_positional") and "ftylist_or_function" not in self.options
            return self.entry is EntryKind.VECTORIZE and lazy
        return True


def literal_value(node: cst.BaseExpression) -> object:
    """The Python value of a simple literal, else DYNAMIC."""
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[node.value]
    if isinstance(node, cst.SimpleString):
        return node.evaluated_value
    if isinstance(node, cst.Integer):
        return node.evaluated_value
    if isinstance(node, cst.Float):
        return node.evaluated_value
    return DYNAMIC


class CompiledFinder:
    """Finds compiled functions in a module wrapped with ScopeProvider metadata."""

    def __init__(self, wrapper: cst.MetadataWrapper) -> None:
        self._wrapper = wrapper
        with m.fast_visitors():
            self._scopes = wrapper.resolve(ScopeProvider)
        self.module = wrapper.module
        self._qualified: dict[cst.CSTNode, Collection[QualifiedName]] = {}

    def all_qualified_names(self, node: cst.CSTNode) -> Collection[QualifiedName]:
        """What libcst's QualifiedNameProvider gives `node`, computed only when asked: the
        provider visits every node of the module to store a lazy value for each, which cost
        a fifth of the metadata time, and rules ask about a few nodes of the compiled code."""
        found = self._qualified.get(node)
        if found is None:
            scope = self._scopes.get(node)
            found = scope.get_qualified_names_for(node) if scope is not None else set()
            self._qualified[node] = found
        return found

    def qualified_names(self, node: cst.CSTNode) -> set[str]:
        return {
            q.name for q in self.all_qualified_names(node) if q.source is QualifiedNameSource.IMPORT
        }

    def local_qualified_names(self, node: cst.CSTNode) -> set[str]:
        """Qualified names of things defined in this module that `node` may refer to."""
        return {
            q.name for q in self.all_qualified_names(node) if q.source is QualifiedNameSource.LOCAL
        }

    def builtin_name(self, node: cst.CSTNode) -> str | None:
        """``len`` when `node` is the builtin ``len`` itself (not shadowed, not imported)."""
        names = self.all_qualified_names(node)
        if len(names) != 1:
            return None
        (name,) = names
        if name.source is not QualifiedNameSource.BUILTIN:
            return None
        return name.name.removeprefix("builtins.")

    def entry_kind(self, node: cst.BaseExpression) -> EntryKind | None:
        """The Numba entry point `node` names (``njit``, ``nb.njit``, ``cuda.jit``), if any."""
        for name in self.qualified_names(node):
            kind = ENTRY_POINTS.get(name)
            if kind is not None:
                return kind
        return None

    def find(self) -> list[CompiledFunction]:
        found: dict[int, CompiledFunction] = {}
        for node in m.findall(self.module, m.FunctionDef() | m.ClassDef()):
            for deco in node.decorators:  # type: ignore[union-attr]
                for compiled in self._from_decorator(node, deco.decorator):
                    found.setdefault(id(compiled.node), compiled)
        for call in m.findall(self.module, m.Call()):
            assert isinstance(call, cst.Call)
            for compiled in self._from_call(call):
                found.setdefault(id(compiled.node), compiled)
        return list(found.values())

    def _split(self, expr: cst.BaseExpression) -> tuple[EntryKind | None, cst.Call | None]:
        """Entry kind of ``njit`` or ``njit(...)``, with the configuring call if there is one."""
        if isinstance(expr, cst.Call):
            kind = self.entry_kind(expr.func)
            if kind is not None:
                return kind, expr
            return None, None
        return self.entry_kind(expr), None

    def _from_decorator(
        self, node: cst.FunctionDef | cst.ClassDef, expr: cst.BaseExpression
    ) -> Iterator[CompiledFunction]:
        kind, config = self._split(expr)
        if kind is None:
            return
        yield from self._compiled(node, kind, config, call_form=False)

    def _from_call(self, call: cst.Call) -> Iterator[CompiledFunction]:
        # ``njit(f)`` / ``njit(f, cache=True)``: the entry point gets the function itself.
        # ``njit(sig)(f)`` / ``numba.jit(nopython=True)(f)`` / ``jitclass(spec)(C)``: a configured
        # entry point gets it.
        # libcst gives a call the qualified name of its callee, so test for a configuring call
        # first: entry_kind(``numba.jit(nopython=True)``) is numba.jit too.
        if isinstance(call.func, cst.Call):
            kind, config = self._split(call.func)
            skip_first = False
        else:
            kind = self.entry_kind(call.func)
            config, skip_first = call, True
        if kind is None:
            return
        positional = [a for a in call.args if a.keyword is None and not a.star]
        if not positional or not isinstance(positional[0].value, cst.Name):
            return
        for target in self.definitions(positional[0].value):
            yield from self._compiled(target, kind, config, call_form=True, skip_first=skip_first)

    def definitions(self, name: cst.Name) -> list[cst.FunctionDef | cst.ClassDef]:
        """The ``def``/``class`` statements `name` refers to where it is used (scope analysis)."""
        scope = self._scopes.get(name)
        if scope is None:
            return []
        return [
            a.node
            for a in scope[name.value]
            if isinstance(getattr(a, "node", None), (cst.FunctionDef, cst.ClassDef))
        ]

    def _compiled(
        self,
        node: cst.FunctionDef | cst.ClassDef,
        kind: EntryKind,
        config: cst.Call | None,
        *,
        call_form: bool,
        skip_first: bool = False,
    ) -> Iterator[CompiledFunction]:
        options: dict[str, object] = {}
        has_signature = False
        if config is not None:
            positional = [a for a in config.args if a.keyword is None and not a.star]
            if skip_first:
                positional = positional[1:]
            has_signature = bool(positional) and kind not in (
                EntryKind.OVERLOAD,
                EntryKind.JITCLASS,
            )
            for arg in config.args:
                if arg.keyword is not None:
                    options[arg.keyword.value] = literal_value(arg.value)
            if positional:
                options["_positional"] = tuple(a.value for a in positional)
        if kind is EntryKind.JITCLASS:
            if isinstance(node, cst.ClassDef):
                for method in m.findall(node.body, m.FunctionDef()):
                    assert isinstance(method, cst.FunctionDef)
                    yield CompiledFunction(
                        method, method.name.value, Target.CPU, kind, options, False, call_form
                    )
            return
        if not isinstance(node, cst.FunctionDef):
            return
        if kind is EntryKind.OVERLOAD:
            for impl in _returned_inner_functions(node):
                yield CompiledFunction(impl, impl.name.value, Target.CPU, kind, {}, False, False)
            return
        yield CompiledFunction(
            node, node.name.value, _target(kind, options), kind, options, has_signature, call_form
        )


def _target(kind: EntryKind, options: Mapping[str, object]) -> Target:
    if kind is EntryKind.CUDA_JIT:
        return Target.CUDA_DEVICE if options.get("device") is True else Target.CUDA_KERNEL
    if kind is EntryKind.VECTORIZE:
        return Target.UFUNC
    if kind is EntryKind.GUVECTORIZE:
        return Target.GUFUNC
    if kind is EntryKind.STENCIL:
        return Target.STENCIL
    if kind is EntryKind.CFUNC:
        return Target.CFUNC
    if options.get("parallel") is True:
        return Target.PARALLEL
    return Target.CPU


def _returned_inner_functions(outer: cst.FunctionDef) -> Iterator[cst.FunctionDef]:
    """The nested functions an ``@overload`` implementation returns (``return impl``)."""
    inner = {
        d.name.value: d
        for d in m.findall(outer.body, m.FunctionDef())
        if isinstance(d, cst.FunctionDef)
    }
    seen: set[str] = set()
    for ret in m.findall(outer.body, m.Return(value=m.Name())):
        assert isinstance(ret, cst.Return) and isinstance(ret.value, cst.Name)
        name = ret.value.value
        if name in inner and name not in seen:
            seen.add(name)
            yield inner[name]
