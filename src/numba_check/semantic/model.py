"""The semantic model of one module: bindings with their values, types, per-function facts.

Built lazily: a module's `ModuleContext.semantic` costs nothing until a rule asks it something,
and each part (the binding table, a function's facts, an expression's type) is worked out once.
"""

from __future__ import annotations

import ast
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from numba_check import matching as m
from numba_check.names import Binding, Scope, Source
from numba_check.semantic import jitclasses, signatures
from numba_check.semantic import types as t
from numba_check.semantic.bindings import How, TypedBinding, collect
from numba_check.semantic.constants import IntConstants
from numba_check.semantic.flow import ReachingDefinitions
from numba_check.semantic.infer import Inference
from numba_check.semantic.jitclasses import JitclassFields

if TYPE_CHECKING:
    from numba_check.compiled import CompiledFunction, FunctionNode
    from numba_check.module_context import ModuleContext

_NESTED_PATTERN = m.FunctionDef() | m.AsyncFunctionDef() | m.Lambda() | m.ClassDef()
_TRY_PATTERN = m.Try() | m.TryStar() if hasattr(ast, "TryStar") else m.Try()
_OVERLOADERS = frozenset(
    f"{prefix}.{name}"
    for prefix in ("numba.extending", "numba.core.extending")
    for name in ("overload_method", "overload_attribute", "make_attribute_wrapper")
)
# Modules through which a module teaches Numba types of its own.
_EXTENSION_MODULES = (
    "numba.extending",
    "numba.core.extending",
    "numba.core.typing",
    "numba.core.datamodel",
    "numba.core.imputils",
    "numba.core.typeconv",
)
JITCLASS = frozenset(
    {
        "numba.experimental.jitclass",
        "numba.jitclass",
        "numba.experimental.jitclass.decorators.jitclass",
    }
)


@dataclass(frozen=True)
class BoundForms:
    """How the names of one function are bound, by form, for questions that need every value
    a name can hold (see `FunctionFacts.forms`)."""

    # `name = value` and `name: T = value` written in the function's own body (a name declared
    # `global` there included): the values.
    assigned: Mapping[str, list[ast.expr]]
    # `name op= value` written in its own body.
    augmented: Mapping[str, list[ast.AugAssign]]
    # `for name in iterable` (a plain name as the target) in its own body: the iterables.
    loops: Mapping[str, list[ast.expr]]
    parameters: frozenset[str]
    # Names bound in any other way in its own body (unpacking, `with`, `except`, walrus,
    # import, def, class, `name: T` without a value), declared `global` or `nonlocal` or
    # deleted anywhere in it, or bound in a scope nested in it (a lambda's parameters, a
    # comprehension's targets, a nested function's locals).
    other: frozenset[str]


class FunctionFacts:
    """What one function's own body holds (nested functions and classes not looked into):
    its returns, yields, raises and handlers, the functions nested in it, its local names, and
    which bindings reach each read of a local name. Each part is found on first use, from the
    module's index of nodes by class (no walk of the body)."""

    def __init__(self, semantic: Semantic, node: FunctionNode) -> None:
        self.node = node
        # Weakly: the model holds its functions' facts, and a cycle would keep a module's
        # trees alive until the cyclic collector ran (tests/robustness/test_memory.py).
        self._sem_ref = weakref.ref(semantic)

    @property
    def _sem(self) -> Semantic:
        semantic = self._sem_ref()
        assert semantic is not None, "function facts outlived their module's model"
        return semantic

    def _own(self, pattern: m.Pattern) -> list[ast.AST]:
        """The nodes under the function that `pattern` matches, outside nested scopes."""
        found = [n for n in m.findall(self.node, pattern) if n is not self.node]
        spans = self._nested_spans
        if not spans:
            return found
        return [n for n in found if not any(_inside(n, s) for s in spans)]

    @cached_property
    def _nested_spans(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        # The bodies of nested scopes (a def's decorators and defaults belong to this function).
        return [_body_span(n) for n in self.nested]

    @cached_property
    def nested(self) -> list[ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef]:
        """The functions, lambdas and classes defined directly in this function."""
        out: list = []
        spans: list = []
        for found in m.findall(self.node, _NESTED_PATTERN):
            if found is self.node or any(_inside(found, s) for s in spans):
                continue
            out.append(found)
            spans.append(_body_span(found))
        return out

    @cached_property
    def returns(self) -> list[ast.Return]:
        return self._own(m.Return())  # type: ignore[return-value]

    @cached_property
    def yields(self) -> list[ast.Yield | ast.YieldFrom]:
        return self._own(m.Yield() | m.YieldFrom())  # type: ignore[return-value]

    @cached_property
    def raises(self) -> list[ast.Raise]:
        return self._own(m.Raise())  # type: ignore[return-value]

    @cached_property
    def handlers(self) -> list[ast.ExceptHandler]:
        return self._own(m.ExceptHandler())  # type: ignore[return-value]

    @property
    def is_generator(self) -> bool:
        return bool(self.yields)

    def enclosing_handlers(self, node: ast.AST) -> tuple[ast.ExceptHandler, ...]:
        """The handlers of the `try` statements whose body holds `node`, innermost last."""
        out: list[ast.ExceptHandler] = []
        for stmt in self._own(_TRY_PATTERN):
            body = stmt.body  # type: ignore[attr-defined]
            span = (
                (body[0].lineno, body[0].col_offset),
                (body[-1].end_lineno, body[-1].end_col_offset),
            )
            if _inside(node, span):
                out.extend(stmt.handlers)  # type: ignore[attr-defined]
        return tuple(out)

    @cached_property
    def scope(self) -> Scope | None:
        return self._sem.scope_for(self.node)

    @cached_property
    def local_names(self) -> frozenset[str]:
        """The names local to the function, as Python decides (bound in it, not declared
        `global` or `nonlocal`)."""
        scope = self.scope
        return frozenset(scope.assignments) if scope is not None else frozenset()

    @cached_property
    def forms(self) -> BoundForms:
        """How each name of the function is bound (from the module's binding table, by the
        scope each binding is written in)."""
        scope = self.scope
        assigned: dict[str, list[ast.expr]] = {}
        augmented: dict[str, list[ast.AugAssign]] = {}
        loops: dict[str, list[ast.expr]] = {}
        parameters: set[str] = set()
        other: set[str] = set()
        if scope is None:
            return BoundForms(assigned, augmented, loops, frozenset(), frozenset())
        sem = self._sem
        for binding in sem.written_in(scope):
            how = binding.how
            if how in _OTHER_FORMS:
                other.update(_bound_names(binding))
                continue
            (name,) = _bound_names(binding)
            if how is How.ASSIGN and binding.value is not None:
                assigned.setdefault(name, []).append(binding.value)
            elif how is How.AUGMENT:
                augmented.setdefault(name, []).append(binding.statement)  # type: ignore[arg-type]
            elif (
                how is How.LOOP
                and isinstance(binding.statement, (ast.For, ast.AsyncFor))
                and binding.statement.target is binding.node
            ):
                loops.setdefault(name, []).append(binding.value)  # type: ignore[arg-type]
            elif how is How.PARAMETER:
                parameters.add(name)
            else:
                other.add(name)
        for nested in sem.scopes_under(scope):
            for binding in sem.written_in(nested):
                other.update(_bound_names(binding))
        for node in m.findall_in(self.node.body, _DECLARED_OR_DELETED):
            if isinstance(node, ast.Delete):
                other.update(n.id for t in node.targets for n in _target_names(t))
            else:
                other.update(node.names)  # type: ignore[attr-defined]
        return BoundForms(assigned, augmented, loops, frozenset(parameters), frozenset(other))

    def declared(self, kind: str) -> set[str]:
        """The names the function declares `kind` ("global" or "nonlocal") in its own body."""
        scope = self.scope
        if scope is None:
            return set()
        return {name for name, how in scope.declared.items() if how == kind}

    def plain_assignments(self) -> list[TypedBinding]:
        """The ``name = value`` statements (one target, a plain name) written in the function
        and the scopes nested in it."""
        return [
            b
            for b in self.written_under()
            if b.how is How.ASSIGN
            and isinstance(b.statement, ast.Assign)
            and len(b.statement.targets) == 1
            and b.statement.targets[0] is b.node
        ]

    def written_under(self) -> list[TypedBinding]:
        """The bindings written in this function and in the scopes nested in it (wherever
        `global` or `nonlocal` makes them land)."""
        scope = self.scope
        if scope is None:
            return []
        sem = self._sem
        out = list(sem.written_in(scope))
        for nested in sem.scopes_under(scope):
            out += sem.written_in(nested)
        return out

    @cached_property
    def flow(self) -> ReachingDefinitions:
        return ReachingDefinitions(self.node, set(self.local_names))

    def captures(self, nested: ast.AST) -> frozenset[str]:
        """The local names of this function that the nested function or lambda `nested`
        (or anything nested in it) reads: its free variables that come from here."""
        scope = self.scope
        if scope is None:
            return frozenset()
        names = self._sem.names
        found = set()
        body = nested.body if isinstance(nested, ast.Lambda) else nested  # type: ignore[attr-defined]
        for name in m.findall(body, m.Name()):
            assert isinstance(name, ast.Name)
            if name.id in found:
                continue
            if any(b.scope is scope for b in names.bindings(name)):
                found.add(name.id)
        return frozenset(found)


class Semantic:
    """The semantic model of one module (see the module docstring)."""

    def __init__(self, module: ModuleContext) -> None:
        self._module_ref = weakref.ref(module)  # the module context holds this model
        self.names = module.names
        self._functions: dict[int, FunctionFacts] = {}
        self._module_types: dict[str, tuple[t.Type, ...] | None] = {}
        self._global_types: dict[str, t.Type] = {}
        self._jitclass_fields: dict[int, JitclassFields | None] = {}

    @property
    def module(self) -> ModuleContext:
        module = self._module_ref()
        assert module is not None, "a semantic model outlived its module"
        return module

    # -- names --------------------------------------------------------------------------

    def qualified_names(self, node: ast.AST) -> set[str]:
        """Qualified names of imported things `node` refers to (``np.zeros`` -> numpy.zeros)."""
        return self.module.qualified_names(node)

    def builtin_names(self, node: ast.AST) -> set[str]:
        """``builtins.x`` names `node` refers to: the builtin itself or one imported from
        builtins. In a module with a star import a bare name may come from it (`from numpy
        import *` shadows `any` and `all`), so only names imported from `builtins` count there."""
        names = self.module.finder.all_qualified_names(node)
        sources = {Source.IMPORT} if self.star_import else {Source.IMPORT, Source.BUILTIN}
        return {q.name for q in names if q.name.startswith("builtins.") and q.source in sources}

    def builtin(self, node: ast.AST) -> str | None:
        """``len`` when `node` certainly names the builtin ``len`` (itself, not shadowed, or
        imported from builtins), else None: the one builtin check, `builtin_names` with a
        single meaning."""
        found = self.builtin_names(node)
        if len(found) != 1 or len(self.module.finder.all_qualified_names(node)) != 1:
            return None
        (name,) = found
        return name.removeprefix("builtins.")

    @cached_property
    def star_import(self) -> bool:
        """Whether the module has a star import whose names are unknown: any but ``from numba
        import *``, whose names the scope analysis binds."""
        return any(
            node.level or node.module != "numba"  # type: ignore[attr-defined]
            for node in m.findall(self.module.module, m.ImportFrom(names=[m.alias(name="*")]))
        )

    @cached_property
    def extends_numba(self) -> bool:
        """Whether the module uses Numba's extension API (``numba.extending``, ``typeof_impl``,
        the typing and data-model registries): it may teach Numba types of its own classes."""
        for node in m.findall(self.module.module, m.ImportFrom() | m.Import()):
            modules = (
                [node.module or ""]  # type: ignore[attr-defined]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]  # type: ignore[attr-defined]
            )
            if any(mod.startswith(_EXTENSION_MODULES) for mod in modules):
                return True
        return any(
            node.attr in ("extending", "typeof_impl")  # type: ignore[attr-defined]
            for node in m.findall(self.module.module, m.Attribute())
        )

    @cached_property
    def _scopes(self) -> dict[int, Scope]:
        return {id(s.node): s for s in self.names.scopes}

    def scope_for(self, node: ast.AST) -> Scope | None:
        """The scope a def, lambda, class or comprehension opens."""
        return self._scopes.get(id(node))

    @cached_property
    def _children(self) -> dict[int, list[Scope]]:
        out: dict[int, list[Scope]] = {}
        for scope in self.names.scopes:
            if scope.parent is not None:
                out.setdefault(id(scope.parent), []).append(scope)
        return out

    def scopes_under(self, scope: Scope) -> list[Scope]:
        """The scopes nested in `scope`, at any depth."""
        out: list[Scope] = []
        stack = list(self._children.get(id(scope), ()))
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(self._children.get(id(current), ()))
        return out

    @cached_property
    def _written(self) -> dict[int, list[TypedBinding]]:
        out: dict[int, list[TypedBinding]] = {}
        scope_of = self.names.scope_of
        for binding in self.bindings.values():
            scope = scope_of(binding.node)
            if scope is not None:
                out.setdefault(id(scope), []).append(binding)
        return out

    def written_in(self, scope: Scope) -> list[TypedBinding]:
        """The bindings written in `scope`, wherever `global` or `nonlocal`
        makes them land."""
        return self._written.get(id(scope), [])

    # -- what the module defines and calls ----------------------------------------------

    @cached_property
    def method_names(self) -> frozenset[str]:
        """Method and attribute names the module defines for its own types: the methods of
        every class (jitclasses, StructRef proxies), and the names given to
        ``overload_method`` / ``overload_attribute`` / ``make_attribute_wrapper``. A call of
        such a name may be on one of these types rather than on an array."""
        module = self.module
        names: set[str] = set()
        for cls in m.findall(module.module, m.ClassDef()):
            assert isinstance(cls, ast.ClassDef)
            for item in cls.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(item.name)
        for call in m.findall(module.module, m.Call()):
            assert isinstance(call, ast.Call)
            if module.qualified_names(call.func) & _OVERLOADERS:
                values = [a.value if isinstance(a, ast.Starred) else a for a in call.args]
                values += [k.value for k in call.keywords]
                for value in values:
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        names.add(value.value)
        return frozenset(names)

    @cached_property
    def called_on_gpu(self) -> frozenset[str]:
        """The names the module's CUDA functions call (``name(...)``): such a function is
        compiled as a device function there, even when its decorator says kernel."""
        return frozenset(
            call.func.id
            for compiled in self.module.compiled
            if compiled.on_gpu
            for call in m.findall_in(compiled.node.body, m.Call(func=m.Name()))
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
        )

    # -- bindings -----------------------------------------------------------------------

    @cached_property
    def bindings(self) -> dict[int, TypedBinding]:
        return collect(self.module.module)

    def typed(self, binding: Binding) -> TypedBinding | None:
        """How `binding` binds its name, or None for a builtin or a form not recorded."""
        if binding.node is None:
            return None
        return self.bindings.get(id(binding.node))

    def reaching(self, name: ast.Name) -> list[TypedBinding] | None:
        """The bindings that may reach this read of a local name of a function or
        comprehension (flow sensitive); None where the name is not such a local or the read is
        not seen."""
        scope = self.names.scope_of(name)
        if scope is not None and scope.kind == "comprehension":
            # A comprehension's target is bound before its element and conditions run, so
            # its one binding reaches every read in it (a name bound twice there is left).
            bindings = scope.assignments.get(name.id, [])
            typed = self.typed(bindings[0]) if len(bindings) == 1 else None
            return [typed] if typed is not None else None
        if scope is None or scope.kind != "function" or name.id not in scope.assignments:
            return None
        facts = self.function(scope.node)  # type: ignore[arg-type]
        if isinstance(scope.node, ast.Lambda):
            return None
        defs = facts.flow.reads.get(id(name))
        if defs is None:
            return None
        out = []
        for key in defs:
            typed = self.bindings.get(key)
            if typed is None:
                return None
            out.append(typed)
        return out

    # -- types --------------------------------------------------------------------------

    @cached_property
    def int_constant(self) -> IntConstants:
        """``sem.int_constant(node)``: the value of an integer expression made of literals,
        and what CPython folds of it (`semantic.constants`)."""
        return IntConstants(self)

    @cached_property
    def inference(self) -> Inference:
        return Inference(self)

    def type_of(self, node: ast.expr) -> t.Type:
        """The Numba type of `node` as far as the source tells it (UNKNOWN otherwise)."""
        return self.inference.type_of(node)

    def argument_type(self, node: ast.expr) -> t.Type:
        """The Numba type ``typeof`` gives the value Python computes for `node` when it is
        passed to a compiled function (an int beyond int64 is a uint64 there)."""
        return self.inference.argument_type(node)

    def name_type(self, name: ast.Name, inference: Inference) -> t.Type:
        reaching = self.reaching(name)
        if reaching is None:
            scope = self.names.scope_of(name)
            if scope is not None and scope.kind == "function" and name.id in scope.assignments:
                return t.UNKNOWN  # a local whose read the flow analysis did not follow
            bindings = self.names.bindings(name)
            builtin = self.builtin(name)
            if builtin is not None:
                return t.Callable(f"builtins.{builtin}", "builtin")  # `len`, `range`
            if not bindings or bindings[0].is_builtin:
                return t.UNKNOWN
            # The bindings come from one scope: a global's are every binding of the name at
            # module level, the same for every read, so their type is worked out once (a
            # module that imports `np` before each of its n functions would otherwise unify
            # n bindings n times).
            if bindings[0].scope.kind != "module":
                return t.UNKNOWN  # a free variable of a closure, a class attribute
            cached = self._global_types.get(name.id)
            if cached is not None:
                return cached
            reaching = [self.typed(b) for b in bindings]  # type: ignore[misc]
            if any(r is None for r in reaching):
                return t.UNKNOWN
            found = self.unify_bindings(reaching, inference)  # type: ignore[arg-type]
            if not any(inference.busy(r) for r in reaching):  # type: ignore[arg-type]
                self._global_types[name.id] = found
            return found
        return self.unify_bindings(reaching, inference)

    def unify_bindings(self, bindings: list[TypedBinding], inference: Inference) -> t.Type:
        found: t.Type | None = None
        for binding in bindings:
            if inference.busy(binding):
                continue  # the value being worked out: the others decide
            kind = inference.binding_type(binding)
            found = kind if found is None else t.unify(found, kind)
            if found is t.UNKNOWN:
                return t.UNKNOWN
        return found if found is not None else t.UNKNOWN

    def binding_types(self, name: ast.Name) -> list[tuple[TypedBinding, t.Type]] | None:
        """Each binding that reaches this read of a local name, with the type it gives."""
        reaching = self.reaching(name)
        if reaching is None:
            return None
        inference = self.inference
        return [(b, inference.binding_type(b)) for b in reaching]

    def parameter_type(self, binding: TypedBinding) -> t.Type:
        """A parameter's type where the function's one explicit signature gives it, else an
        array of unknown dtype where it is annotated ``np.ndarray`` or ``NDArray[...]`` (which
        Numba does not read: the NumPy rules take it for what the caller passes)."""
        function = binding.statement
        compiled = self.compiled_for(function)
        sigs = self.signatures(compiled) if compiled is not None else None
        if sigs is None or len(sigs) != 1:
            annotation = binding.annotation
            if annotation is not None:
                target = annotation.value if isinstance(annotation, ast.Subscript) else annotation
                if self.qualified_names(target) & _NDARRAY:
                    return t.Array(t.UNKNOWN, None)
            return t.UNKNOWN
        params = _positional(function.args)  # type: ignore[attr-defined]
        for arg, kind in zip(params, sigs[0].params, strict=False):
            if arg is binding.node:
                return kind
        return t.UNKNOWN

    def def_type(self, node: FunctionNode) -> t.Type:
        kind = "dispatcher" if id(node) in self.module.compiled_nodes else "function"
        return t.Callable(node.name, kind)

    def class_type(self, node: ast.ClassDef) -> t.Type:
        for deco in node.decorator_list:
            target = deco.func if isinstance(deco, ast.Call) else deco
            if self.qualified_names(target) & JITCLASS:
                return t.Callable(node.name, "jitclass")
        return t.Callable(node.name, "class")

    # -- jitclasses ---------------------------------------------------------------------

    def is_jitclass(self, node: ast.AST) -> bool:
        """Whether `node` names Numba's ``jitclass``."""
        return bool(self.qualified_names(node) & JITCLASS)

    @cached_property
    def _classes(self) -> dict[int, ast.ClassDef]:
        return {
            id(stmt): klass
            for klass in m.findall(self.module.module, m.ClassDef())
            for stmt in klass.body  # type: ignore[attr-defined]
        }

    def class_of(self, node: ast.AST) -> ast.ClassDef | None:
        """The class whose body holds the statement `node` (a method), or None."""
        return self._classes.get(id(node))

    @cached_property
    def jitclass_spec_names(self) -> frozenset[int]:
        """The names (by node id) passed to ``jitclass(...)``: reads of a spec that leave it
        as written."""
        found: set[int] = set()
        for call in m.findall(self.module.module, m.Call()):
            assert isinstance(call, ast.Call)
            if self.is_jitclass(call.func):
                values = [*call.args, *(k.value for k in call.keywords)]
                found.update(id(v) for v in values if isinstance(v, ast.Name))
        return frozenset(found)

    def jitclass_decorated(self, klass: ast.ClassDef) -> JitclassFields | None:
        """The fields of `klass` when a ``@jitclass`` decorator makes it a jitclass."""
        key = id(klass)
        if key not in self._jitclass_fields:
            self._jitclass_fields[key] = jitclasses.decorated(self, klass)
        return self._jitclass_fields[key]

    def jitclass_fields(self, compiled: CompiledFunction) -> JitclassFields | None:
        """The fields of the jitclass whose method `compiled` is (computed once per method)."""
        key = id(compiled.node)
        if key not in self._jitclass_fields:
            self._jitclass_fields[key] = jitclasses.jitclass_of(self, compiled)
        return self._jitclass_fields[key]

    # -- functions ----------------------------------------------------------------------

    def function(self, node: FunctionNode) -> FunctionFacts:
        """The facts of one function (computed once)."""
        facts = self._functions.get(id(node))
        if facts is None:
            facts = self._functions[id(node)] = FunctionFacts(self, node)
        return facts

    def compiled_for(self, node: ast.AST) -> CompiledFunction | None:
        for compiled in self.module.compiled:
            if compiled.node is node:
                return compiled
        return None

    def signatures(self, compiled: CompiledFunction) -> list[signatures.Signature] | None:
        """The explicit signatures of a compiled function, when all are string literals this
        reads (a list of them, or one); None otherwise."""
        if not compiled.has_signature:
            return None
        positional = compiled.options.get("_positional", ())
        if not positional:
            return None
        first = positional[0]  # type: ignore[index]
        entries = first.elts if isinstance(first, (ast.List, ast.Tuple)) else [first]
        parsed = [signatures.parse(e) for e in entries]
        if not parsed or any(p is None for p in parsed):
            return None
        return parsed  # type: ignore[return-value]

    def module_types(self, name: str) -> tuple[t.Type, ...] | None:
        """The types of the values the module-level assignments of `name` give it; None when
        something else binds it at module level (a def, an import, a loop) or nothing does."""
        found = self._module_types.get(name, False)
        if found is False:
            found = self._module_types[name] = self._types_at_module_level(name)
        return found  # type: ignore[return-value]

    def _types_at_module_level(self, name: str) -> tuple[t.Type, ...] | None:
        bindings = self.names.module_scope.assignments.get(name)
        if not bindings:
            return None
        out = []
        for binding in bindings:
            typed = self.typed(binding)
            if typed is None or typed.how is not How.ASSIGN or typed.value is None:
                return None
            out.append(self.type_of(typed.value))
        return tuple(out)


_NDARRAY = frozenset({"numpy.ndarray", "numpy.typing.NDArray"})
_DECLARED_OR_DELETED = m.Global() | m.Nonlocal() | m.Delete()
_OTHER_FORMS = frozenset({How.IMPORT, How.DEF, How.CLASS, How.EXCEPT})


def _bound_names(binding: TypedBinding) -> list[str]:
    node = binding.node
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [a.asname or a.name.split(".")[0] for a in node.names if a.name != "*"]
    name = getattr(node, "name", None)  # a def, a class, `except E as name`
    return [name] if name else []


def _target_names(target: ast.expr) -> list[ast.Name]:
    if isinstance(target, ast.Name):
        return [target]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for element in target.elts for n in _target_names(element)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


def _positional(args: ast.arguments) -> list[ast.arg]:
    return [*args.posonlyargs, *args.args]


Span = tuple[tuple[int, int], tuple[int, int]]


def _inside(node: ast.AST, span: Span) -> bool:
    start = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
    end = (node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
    return span[0] <= start and end <= span[1]


def _body_span(node: ast.AST) -> Span:
    """Where the part of a def, lambda or class with its own scope (its body) is written; a
    def's decorators and defaults are evaluated in the enclosing function."""
    body = node.body  # type: ignore[attr-defined]
    first, last = (body[0], body[-1]) if isinstance(body, list) else (body, body)
    return ((first.lineno, first.col_offset), (last.end_lineno, last.end_col_offset))
