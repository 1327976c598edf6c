"""Which functions of a module Numba compiles, with their target and options.

Names are resolved with the module's scope analysis (`names`), so every import spelling of an
entry point (``numba.njit``, ``nb.njit``, ``from numba import njit as fast``) is recognised,
and a look-alike (``pytest.mark.parametrize``, a local function named ``jit``) is not.
"""

from __future__ import annotations

import ast
import enum
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

from numba_check import matching as m
from numba_check.entry_points import ENTRY_POINTS, NUMBA_STAR_EXPORTS, EntryKind
from numba_check.names import Names, QualifiedName, Source, root_name

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
FUNCTION_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)


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

    node: FunctionNode
    name: str
    target: Target
    entry: EntryKind
    options: Mapping[str, object] = field(default_factory=dict)
    has_signature: bool = False
    # True when the function is compiled by a call (``g = njit(f)``) and `f` stays plain Python.
    call_form: bool = False
    # The call that configures the entry point (``njit(cache=True)``, ``njit(f, cache=True)``,
    # ``vectorize(["f8(f8)"])``), None for a bare ``@njit``: --verify re-applies it.
    config: ast.Call | None = field(default=None, compare=False, repr=False)
    # The call that compiles it in call form (``fast = njit(f)``): --verify finds the name.
    compiling_call: ast.Call | None = field(default=None, compare=False, repr=False)

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


_LITERAL_TYPES = (bool, type(None), str, bytes, int, float)


def literal_value(node: ast.expr) -> object:
    """The Python value of a simple literal, else DYNAMIC."""
    if isinstance(node, ast.Constant) and isinstance(node.value, _LITERAL_TYPES):
        return node.value
    return DYNAMIC


class CompiledFinder:
    """Finds compiled functions in a module, names resolved by its scope analysis."""

    def __init__(self, tree: ast.Module) -> None:
        self.module = tree
        self._imported, self._numba_names = _import_names(tree)

    @cached_property
    def names(self) -> Names:
        # Only once some name may be Numba's: half the modules that mention numba compile
        # nothing, and their scopes are never needed.
        return Names(self.module)

    def all_qualified_names(self, node: ast.AST) -> Collection[QualifiedName]:
        return self.names.qualified_names(node)

    def may_be_imported(self, node: ast.AST) -> bool:
        """Whether `node` (``x``, ``x.y``, ``x.y(...)``) may refer to something imported: its
        root name is bound by an import somewhere in the module."""
        return root_name(node) in self._imported

    def qualified_names(self, node: ast.AST) -> set[str]:
        """Qualified names of imported things `node` refers to (``np.zeros`` -> numpy.zeros)."""
        if not self.may_be_imported(node):
            return set()  # only an import gives a name an imported meaning
        return {q.name for q in self.names.qualified_names(node) if q.source is Source.IMPORT}

    def local_qualified_names(self, node: ast.AST) -> set[str]:
        """Qualified names of things defined in this module that `node` may refer to."""
        return {q.name for q in self.names.qualified_names(node) if q.source is Source.LOCAL}

    def may_name_numba(self, node: ast.AST) -> bool:
        """Whether `node` (``x``, ``x.y``, ``x.y(...)``) may name something of Numba's: its
        root name is bound by an import from numba somewhere in the module. A cheap test
        that spares resolving the names of every call of a module."""
        return root_name(node) in self._numba_names

    def entry_kind(self, node: ast.AST) -> EntryKind | None:
        """The Numba entry point `node` names (``njit``, ``nb.njit``, ``cuda.jit``), if any."""
        if not self.may_name_numba(node):
            return None
        for name in self.qualified_names(node):
            kind = ENTRY_POINTS.get(name)
            if kind is not None:
                return kind
        return None

    def find(self) -> list[CompiledFunction]:
        found: dict[int, CompiledFunction] = {}
        for node in m.findall(self.module, m.FunctionDef() | m.AsyncFunctionDef() | m.ClassDef()):
            for deco in node.decorator_list:  # type: ignore[attr-defined]
                for compiled in self._from_decorator(node, deco):  # type: ignore[arg-type]
                    found.setdefault(id(compiled.node), compiled)
        for call in m.findall(self.module, m.Call()):
            assert isinstance(call, ast.Call)
            for compiled in self._from_call(call):
                found.setdefault(id(compiled.node), compiled)
        return list(found.values())

    def _split(self, expr: ast.expr) -> tuple[EntryKind | None, ast.Call | None]:
        """Entry kind of ``njit`` or ``njit(...)``, with the configuring call if there is one."""
        if isinstance(expr, ast.Call):
            kind = self.entry_kind(expr.func)
            if kind is not None:
                return kind, expr
            return None, None
        return self.entry_kind(expr), None

    def _from_decorator(
        self, node: FunctionNode | ast.ClassDef, expr: ast.expr
    ) -> Iterator[CompiledFunction]:
        kind, config = self._split(expr)
        if kind is None:
            return
        yield from self._compiled(node, kind, config, call_form=False)

    def _from_call(self, call: ast.Call) -> Iterator[CompiledFunction]:
        # ``njit(f)`` / ``njit(f, cache=True)``: the entry point gets the function itself.
        # ``njit(sig)(f)`` / ``numba.jit(nopython=True)(f)`` / ``jitclass(spec)(C)``: a configured
        # entry point gets it.
        # A call has the qualified name of its callee, so test for a configuring call first:
        # entry_kind(``numba.jit(nopython=True)``) is numba.jit too.
        if isinstance(call.func, ast.Call):
            kind, config = self._split(call.func)
            skip_first = False
        else:
            kind = self.entry_kind(call.func)
            config, skip_first = call, True
        if kind is None:
            return
        positional = _positional(call)
        if not positional or not isinstance(positional[0], ast.Name):
            return
        for target in self.definitions(positional[0]):
            for compiled in self._compiled(
                target, kind, config, call_form=True, skip_first=skip_first
            ):
                yield replace(compiled, compiling_call=call)

    def definitions(self, name: ast.Name) -> list[FunctionNode | ast.ClassDef]:
        """The ``def``/``class`` statements `name` refers to where it is used (scope analysis)."""
        return [
            b.node
            for b in self.names.bindings(name)
            if isinstance(b.node, (*FUNCTION_DEFS, ast.ClassDef))
        ]

    def _compiled(
        self,
        node: FunctionNode | ast.ClassDef,
        kind: EntryKind,
        config: ast.Call | None,
        *,
        call_form: bool,
        skip_first: bool = False,
    ) -> Iterator[CompiledFunction]:
        options: dict[str, object] = {}
        has_signature = False
        if config is not None:
            positional = _positional(config)
            if skip_first:
                positional = positional[1:]
            has_signature = bool(positional) and kind not in (
                EntryKind.OVERLOAD,
                EntryKind.JITCLASS,
            )
            for keyword in config.keywords:
                if keyword.arg is not None:
                    options[keyword.arg] = literal_value(keyword.value)
            if positional:
                options["_positional"] = tuple(positional)
        if kind is EntryKind.JITCLASS:
            if isinstance(node, ast.ClassDef):
                for method in m.findall(node, m.FunctionDef() | m.AsyncFunctionDef()):
                    assert isinstance(method, FUNCTION_DEFS)
                    yield CompiledFunction(
                        method, method.name, Target.CPU, kind, options, False, call_form
                    )
            return
        if not isinstance(node, FUNCTION_DEFS):
            return
        if kind is EntryKind.OVERLOAD:
            for impl in _returned_inner_functions(node):
                yield CompiledFunction(impl, impl.name, Target.CPU, kind, {}, False, False)
            return
        yield CompiledFunction(
            node,
            node.name,
            _target(kind, options),
            kind,
            options,
            has_signature,
            call_form,
            config=config,
        )


def _import_names(tree: ast.Module) -> tuple[frozenset[str], frozenset[str]]:
    """The names that imports bind anywhere in `tree`, and those of them that imports of
    numba (or of its submodules) bind."""
    every: set[str] = set()
    numba: set[str] = set()
    for node in m.findall(tree, m.Import() | m.ImportFrom()):
        if isinstance(node, ast.ImportFrom):
            bound = {a.asname or a.name for a in node.names}
            from_numba = node.level == 0 and _is_numba(node.module or "")
            if "*" in bound and node.level == 0 and node.module == "numba":
                bound |= NUMBA_STAR_EXPORTS  # what `names` binds for it
        else:
            bound = {a.asname or a.name.split(".")[0] for a in node.names}  # type: ignore[attr-defined]
            from_numba = any(_is_numba(a.name) for a in node.names)  # type: ignore[attr-defined]
        every |= bound
        if from_numba:
            numba |= bound
    return frozenset(every), frozenset(numba)


def _is_numba(module: str) -> bool:
    return module == "numba" or module.startswith("numba.")


def _positional(call: ast.Call) -> list[ast.expr]:
    """A call's positional arguments, ``*args`` left out."""
    return [a for a in call.args if not isinstance(a, ast.Starred)]


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


def _returned_inner_functions(outer: FunctionNode) -> Iterator[FunctionNode]:
    """The nested functions an ``@overload`` implementation returns (``return impl``)."""
    inner = {
        d.name: d
        for d in m.findall(outer, m.FunctionDef() | m.AsyncFunctionDef())
        if d is not outer and isinstance(d, FUNCTION_DEFS)
    }
    seen: set[str] = set()
    for ret in m.findall(outer, m.Return(value=m.Name())):
        assert isinstance(ret, ast.Return) and isinstance(ret.value, ast.Name)
        name = ret.value.id
        if name in inner and name not in seen:
            seen.add(name)
            yield inner[name]
