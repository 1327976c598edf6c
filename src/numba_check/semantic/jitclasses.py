"""The fields of a jitclass, as its spec and the annotations of its class body declare them.

`jitclass(spec)` takes Numba type instances (``int64``, ``types.ListType(int64)``,
``float64[:]``); the annotations of the class body (``items: List[int64]``) go through Numba's
``as_numba_type``, which makes ``typing.List[T]`` a typed ``ListType(T)`` and ``typing.Dict``
a typed ``DictType``. A spec field wins over an annotation of the same name.
Only what the source states is read: a spec built at run time, a type this does not know, leave
the class incomplete or the field's type unknown.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from numba_check import matching as m
from numba_check.semantic import types as t
from numba_check.semantic.bindings import How
from numba_check.semantic.infer import _scalar_of

if TYPE_CHECKING:
    from numba_check.compiled import CompiledFunction
    from numba_check.semantic.model import Semantic

# Where Numba's type classes live, whatever the import spelling.
_TYPE_MODULES = (
    "numba.types.",
    "numba.core.types.",
    "numba.types.containers.",
    "numba.core.types.containers.",
    "numba.core.types.npytypes.",
    "numba.types.npytypes.",
)
# `list[T]` and `dict[K, V]` are read as typed containers only by recent Numba versions (0.63
# refuses them: "Cannot infer Numba type of Python type list[int64]"): left unknown here.
_TYPING_LISTS = frozenset({"typing.List"})
_TYPING_DICTS = frozenset({"typing.Dict"})
_ORDERED_DICT = frozenset({"collections.OrderedDict"})


@dataclass(frozen=True)
class Field:
    """One declared field: the expression that gives its type, and that type."""

    name: str
    written: ast.expr
    type: t.Type


@dataclass(frozen=True)
class JitclassFields:
    """The fields of one jitclass. `complete` when the source declares every field it has (a
    spec written as a display, or none, and annotations); `members` the names the class body
    defines otherwise (methods, properties), which `self.name = ...` may also reach."""

    node: ast.ClassDef
    fields: Mapping[str, Field]
    complete: bool
    members: frozenset[str]

    def describe(self) -> str:
        return ", ".join(f"`{n}`" for n in self.fields) or "no fields"


def numba_type(sem: Semantic, expr: ast.expr) -> t.Type:
    """The type a spec value written as a Numba type instance gives; UNKNOWN where it is
    anything else (another rule reports Python types in a spec)."""
    if isinstance(expr, ast.Subscript):
        # `float64[:]`, `int64[:, ::1]`: an array of that dtype, one dimension per slice.
        dtype = _scalar(sem, expr.value)
        parts = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
        if dtype is not None and all(isinstance(p, ast.Slice) for p in parts):
            return t.Array(dtype, len(parts))
        return t.UNKNOWN
    if isinstance(expr, ast.Call) and not any(isinstance(a, ast.Starred) for a in expr.args):
        kind = _type_class(sem, expr.func)
        args = expr.args
        if kind == "ListType" and len(args) == 1 and not expr.keywords:
            return t.ListOf(numba_type(sem, args[0]), typed=True)
        if kind == "DictType" and len(args) == 2 and not expr.keywords:
            return t.DictOf(numba_type(sem, args[0]), numba_type(sem, args[1]), typed=True)
        if kind == "List" and len(args) == 1:
            return t.ListOf(numba_type(sem, args[0]))
        return t.UNKNOWN
    scalar = _scalar(sem, expr)
    return scalar if scalar is not None else t.UNKNOWN


def annotation_type(sem: Semantic, expr: ast.expr) -> t.Type:
    """The type a class-body annotation gives, as ``as_numba_type`` reads it."""
    if isinstance(expr, ast.Subscript):
        origin = sem.qualified_names(expr.value) | sem.builtin_names(expr.value)
        parts = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
        if origin & _TYPING_LISTS and len(parts) == 1:
            return t.ListOf(annotation_type(sem, parts[0]), typed=True)
        if origin & _TYPING_DICTS and len(parts) == 2:
            key, value = (annotation_type(sem, p) for p in parts)
            return t.DictOf(key, value, typed=True)
    return numba_type(sem, expr)


def _scalar(sem: Semantic, expr: ast.expr) -> t.Scalar | None:
    for name in sem.qualified_names(expr):
        scalar = _scalar_of(name)
        if scalar is not None:
            return scalar
    return None


def _type_class(sem: Semantic, func: ast.expr) -> str | None:
    for name in sem.qualified_names(func):
        for prefix in _TYPE_MODULES:
            if name.startswith(prefix) and "." not in name[len(prefix) :]:
                return name[len(prefix) :]
    return None


def jitclass_of(sem: Semantic, compiled: CompiledFunction) -> JitclassFields | None:
    """The fields of the jitclass whose method `compiled` is, or None."""
    klass = sem.class_of(compiled.node)
    if klass is None:
        return None
    call = compiled.compiling_call
    if call is None:
        return decorated(sem, klass)
    if isinstance(call.func, ast.Call):  # jitclass(spec)(C)
        return class_fields(sem, klass, _spec_argument(call.func, 0))
    return class_fields(sem, klass, _spec_argument(call, 1))  # jitclass(C, spec)


def decorated(sem: Semantic, klass: ast.ClassDef) -> JitclassFields | None:
    """The fields of `klass` when a ``@jitclass`` decorator makes it a jitclass, else None."""
    for deco in klass.decorator_list:
        func = deco.func if isinstance(deco, ast.Call) else deco
        if sem.is_jitclass(func):
            spec = _spec_argument(deco, 0) if isinstance(deco, ast.Call) else None
            return class_fields(sem, klass, spec)
    return None


def class_fields(sem: Semantic, klass: ast.ClassDef, spec_node: ast.expr | None) -> JitclassFields:
    """The fields the spec `spec_node` (None: no spec) and the body of `klass` declare."""
    fields: dict[str, Field] = {}
    complete = not klass.bases and not klass.keywords
    spec = _resolve(sem, spec_node) if spec_node is not None else None
    if spec_node is not None and spec is None:
        complete = False
    elif spec is not None:
        entries, whole = _entries(sem, spec)
        complete &= whole
        for name, written in entries:
            fields[name] = Field(name, written, numba_type(sem, written))
    members: set[str] = set()
    for stmt in klass.body:
        if (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and stmt.target.id not in fields
        ):
            name = stmt.target.id
            fields[name] = Field(name, stmt.annotation, annotation_type(sem, stmt.annotation))
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            members.add(stmt.name)
        elif isinstance(stmt, (ast.Assign, ast.AugAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                members.update(n.id for n in m.findall(target, m.Name()))  # type: ignore[attr-defined]
        elif not isinstance(stmt, (ast.Expr, ast.Pass)):
            complete = False  # a loop, an import, a conditional: names this does not follow
    return JitclassFields(klass, fields, complete, frozenset(members))


def _spec_argument(call: ast.Call, position: int) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "spec":
            return keyword.value
    if len(call.args) > position:
        return call.args[position]
    return None


def _resolve(sem: Semantic, spec: ast.expr) -> ast.expr | None:
    """The display a spec is written as: itself, or the one module-level value of the name it
    is (when nothing but jitclass specs reads that name, so nothing adds to it)."""
    if not isinstance(spec, ast.Name):
        return spec
    bindings = sem.names.bindings(spec)
    if len(bindings) != 1 or bindings[0].scope.kind != "module":
        return None
    typed = sem.typed(bindings[0])
    if typed is None or typed.how is not How.ASSIGN or typed.value is None:
        return None
    reads = [
        n
        for n in m.findall(sem.module.module, m.Name(spec.id))
        if any(b is bindings[0] for b in sem.names.referents(n))  # type: ignore[arg-type]
    ]
    if any(id(n) not in sem.jitclass_spec_names for n in reads):
        return None  # `spec.append(...)`, `spec["x"] = ...`, passed elsewhere
    return typed.value


def _entries(sem: Semantic, spec: ast.expr) -> tuple[list[tuple[str, ast.expr]], bool]:
    """The (name, type) pairs a spec display declares, and whether that is all of them."""
    if isinstance(spec, ast.Call) and sem.qualified_names(spec.func) & _ORDERED_DICT:
        if not spec.args and not spec.keywords:
            return [], True
        if len(spec.args) == 1 and not spec.keywords:
            return _entries(sem, spec.args[0])
        return [], False
    if isinstance(spec, ast.Dict):
        out, whole = [], True
        for key, value in zip(spec.keys, spec.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                out.append((key.value, value))
            else:
                whole = False
        return out, whole
    if isinstance(spec, (ast.List, ast.Tuple)):
        out, whole = [], True
        for elt in spec.elts:
            if (
                isinstance(elt, (ast.Tuple, ast.List))
                and len(elt.elts) == 2
                and isinstance(elt.elts[0], ast.Constant)
                and isinstance(elt.elts[0].value, str)
            ):
                out.append((elt.elts[0].value, elt.elts[1]))
            else:
                whole = False
        return out, whole
    return [], False


def is_instance_attribute(sem: Semantic, method: ast.AST, target: ast.expr) -> bool:
    """Whether `target` is ``self.name`` with ``self`` the instance a jitclass method gets: its
    first parameter, not rebound, in a method that is neither static nor a classmethod."""
    if not isinstance(target, ast.Attribute) or not isinstance(target.value, ast.Name):
        return False
    if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    params = [*method.args.posonlyargs, *method.args.args]
    if not params:
        return False
    for deco in method.decorator_list:
        if sem.builtin(deco) in ("staticmethod", "classmethod"):
            return False
    bindings = sem.names.bindings(target.value)
    return len(bindings) == 1 and bindings[0].node is params[0]
