"""What a ``@vectorize`` / ``@guvectorize`` says in the source: its signatures and its layout.

Everything here reads literals only. A signature list held in a variable, a layout built at run
time or a type numba-check cannot name is *unknown*, and the rules stay silent about it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass

from numba_check import matching as m
from numba_check.compiled import (
    DYNAMIC,
    CompiledFunction,
    EntryKind,
    FunctionNode,
    literal_value,
)
from numba_check.rules.base import FunctionContext, Version

# Scalar type names that every recorded Numba version (0.57 to 0.68) exports from numba.types.
SCALAR_TYPES = frozenset(
    {
        "b1", "bool_", "boolean", "byte", "c8", "c16", "char", "complex64", "complex128",
        "double", "f2", "f4", "f8", "float16", "float32", "float64", "i1", "i2", "i4", "i8",
        "int8", "int16", "int32", "int64", "int_", "intc", "intp", "long_", "longlong", "short",
        "size_t", "ssize_t", "u1", "u2", "u4", "u8", "uchar", "uint", "uint8", "uint16",
        "uint32", "uint64", "uintc", "uintp", "ulong", "ulonglong", "ushort",
    }
)  # fmt: skip
VOID_TYPES = frozenset({"void", "none"})
TUPLE_TYPES = frozenset({"UniTuple", "Tuple"})
# Where numba types live, whatever the import spelling resolves to.
TYPE_MODULES = ("numba.", "numba.types.", "numba.core.types.")
FOLLOWS_CPU_RULES = ("cpu", "parallel")


@dataclass(frozen=True)
class ArgType:
    """The shape of one type in a signature: what the checks need, nothing more."""

    kind: str  # "scalar" | "array" | "tuple" | "void" | "unknown"
    ndim: int | None = None  # 0 for a scalar, the dimension count for an array
    text: str = ""

    @property
    def known(self) -> bool:
        return self.kind != "unknown"


UNKNOWN = ArgType("unknown")


@dataclass(frozen=True)
class Signature:
    """One entry of a signature list, with the node to report on."""

    node: ast.expr
    args: tuple[ArgType, ...]
    ret: ArgType | None  # None: no return type given (``"(float64[:], float64[:])"``)


@dataclass(frozen=True)
class Layout:
    inputs: tuple[tuple[str, ...], ...]
    outputs: tuple[tuple[str, ...], ...]

    @property
    def groups(self) -> tuple[tuple[str, ...], ...]:
        return self.inputs + self.outputs


@dataclass(frozen=True)
class LayoutProblem:
    kind: str  # "syntax" | "fixed" | "undefined"
    detail: str


@dataclass(frozen=True)
class UfuncSpec:
    """The decorator's arguments as far as the source tells them."""

    # None: not readable (a variable, a keyword argument); () when none are given.
    signatures: tuple[Signature | None, ...] | None
    # Eager: signatures given, compiled at decoration. Lazy: compiled at the first call.
    eager: bool
    layout_node: ast.expr | None = None
    layout_text: str | None = None
    # The signature argument itself when it is a single type object, not a list of them.
    bare_signature: ast.expr | None = None
    # A layout-only @guvectorize, compiled for the argument types of each call.
    dynamic: bool = False


def on_cpu(function: CompiledFunction, options: Mapping[str, object] | None = None) -> bool:
    """Whether the ufunc is built for the CPU targets these rules know (not CUDA, not unknown)."""
    target = (function.options if options is None else options).get("target", "cpu")
    return target is not DYNAMIC and target in FOLLOWS_CPU_RULES


def kernel_typing_is_fatal(
    function: CompiledFunction, version: Version, options: Mapping[str, object] | None = None
) -> bool:
    """Whether a nopython typing error in the kernel stops Numba, rather than falling back.

    Before 0.59, a CPU ufunc with signatures (and a dynamic gufunc) retried in object mode
    when nopython typing failed, unless ``nopython=True``; the parallel target never did, and
    a lazy ``@vectorize`` cannot (object mode needs a return type: "return type must be
    specified for object mode").
    """
    options = function.options if options is None else options
    if options.get("forceobj") is True:
        return False
    if version >= (0, 59):
        return True
    if options.get("nopython") is True or options.get("target") == "parallel":
        return True
    positional = options.get("_positional", ())
    empty = not positional or (
        isinstance(positional[0], (ast.List, ast.Tuple)) and not positional[0].elts  # type: ignore[index]
    )
    lazy = empty and "ftylist_or_function" not in options
    return function.entry is EntryKind.VECTORIZE and lazy


def spec(ctx: FunctionContext, function: CompiledFunction) -> UfuncSpec | None:
    """The ufunc's signatures (and layout), or None when the decorator is not readable."""
    options = decorator_options(ctx, function)
    if not on_cpu(function, options) or _has_star_arguments(ctx, function):
        return None
    positional: tuple[ast.expr, ...] = options.get("_positional", ())  # type: ignore[assignment]
    if function.entry is EntryKind.VECTORIZE:
        if "ftylist_or_function" in options:
            return UfuncSpec(None, eager=True)
        if not positional:
            return UfuncSpec((), eager=False)
        return _with_signatures(ctx, positional[0])
    if function.entry is EntryKind.GUVECTORIZE:
        if len(positional) == 1:
            layout_node = positional[0]
            return UfuncSpec((), False, layout_node, string_value(layout_node), dynamic=True)
        if len(positional) == 2:
            found = _with_signatures(ctx, positional[0])
            return UfuncSpec(
                found.signatures,
                found.eager,
                positional[1],
                string_value(positional[1]),
                found.bare_signature,
            )
    return None


def decorator_options(ctx: FunctionContext, function: CompiledFunction) -> Mapping[str, object]:
    """The decorator's arguments, also for ``fast = vectorize(sigs)(slow)``.

    The scope analysis gives a call the qualified name of its callee, so compiled.py reads
    ``vectorize(sigs)(slow)`` as ``vectorize(slow)`` and keeps no options for it; here the
    configuring call is found again.
    """
    if not function.call_form or function.options:
        return function.options
    for call in m.findall(ctx.module.module, m.Call(func=m.Call())):
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Call)
        config = call.func
        if ctx.module.finder.entry_kind(config.func) is not function.entry:
            continue
        first = next((a for a in call.args if not isinstance(a, ast.Starred)), None)
        if not isinstance(first, ast.Name):
            continue
        if any(d is function.node for d in ctx.module.finder.definitions(first)):
            if _has_star(config):
                return {"target": DYNAMIC}
            options: dict[str, object] = {
                k.arg: literal_value(k.value) for k in config.keywords if k.arg is not None
            }
            positional = tuple(config.args)
            if positional:
                options["_positional"] = positional
            return options
    return function.options


def _has_star_arguments(ctx: FunctionContext, function: CompiledFunction) -> bool:
    """``@vectorize(*sigs)``: the positional arguments cannot be counted."""
    for call in function.node.decorator_list:
        if not isinstance(call, ast.Call) or not _has_star(call):
            continue
        if ctx.module.finder.entry_kind(call.func) in (EntryKind.VECTORIZE, EntryKind.GUVECTORIZE):
            return True
    return False


def _has_star(call: ast.Call) -> bool:
    """Whether `call` has a ``*args`` or ``**kwargs`` argument."""
    return any(isinstance(a, ast.Starred) for a in call.args) or any(
        k.arg is None for k in call.keywords
    )


def _with_signatures(ctx: FunctionContext, node: ast.expr) -> UfuncSpec:
    if isinstance(node, (ast.List, ast.Tuple)):
        if any(isinstance(e, ast.Starred) for e in node.elts):
            return UfuncSpec(None, eager=True)
        items = tuple(signature(ctx, e) for e in node.elts)
        return UfuncSpec(items, eager=bool(items))
    text = string_value(node)
    if text is not None:
        # Numba wraps a lone string in a list itself.
        return UfuncSpec((_from_text(node, text),), eager=True)
    if isinstance(node, ast.Call) and _object_signature(ctx, node) is not None:
        return UfuncSpec(None, eager=True, bare_signature=node)
    return UfuncSpec(None, eager=True)


def string_value(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def signature(ctx: FunctionContext, node: ast.expr) -> Signature | None:
    text = string_value(node)
    if text is not None:
        return _from_text(node, text)
    if isinstance(node, ast.Call):
        return _object_signature(ctx, node)
    if isinstance(node, ast.Tuple) and node.elts:
        # ``(int64[:], int64, int64[:])``: argument types only, as Numba's docs write it.
        if any(isinstance(e, ast.Starred) for e in node.elts):
            return None
        args = tuple(_object_type(ctx, e) for e in node.elts)
        return Signature(node, args, None) if all(a.known for a in args) else None
    return None


# --- signatures written as strings: "float64(float64)", "void(float64[:], float64[:])" -------


def _from_text(node: ast.expr, text: str) -> Signature | None:
    try:
        expr = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return None
    if isinstance(expr, ast.Call) and not expr.keywords:
        ret = _text_type(expr.func)
        if not ret.known or any(isinstance(a, ast.Starred) for a in expr.args):
            return None
        return Signature(node, tuple(_text_type(a) for a in expr.args), ret)
    if isinstance(expr, ast.Tuple):
        return Signature(node, tuple(_text_type(a) for a in expr.elts), None)
    return None


def _text_type(expr: ast.expr) -> ArgType:
    text = ast.unparse(expr)
    if isinstance(expr, ast.Name):
        return _named_type(expr.id, text)
    if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name):
        if expr.value.id not in SCALAR_TYPES:
            return UNKNOWN
        parts = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
        if all(isinstance(p, ast.Slice) for p in parts):
            return ArgType("array", len(parts), text)
        return UNKNOWN
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name):
        if expr.func.id in TUPLE_TYPES:
            return ArgType("tuple", None, text)
        if expr.func.id == "Array" and len(expr.args) >= 2:
            ndim = expr.args[1]
            if isinstance(ndim, ast.Constant) and type(ndim.value) is int:
                return ArgType("array", ndim.value, text)
    return UNKNOWN


def _named_type(name: str, text: str) -> ArgType:
    if name in SCALAR_TYPES:
        return ArgType("scalar", 0, text)
    if name in VOID_TYPES:
        return ArgType("void", None, text)
    return UNKNOWN


# --- signatures written with numba's type objects: float64(float64), nb.void(nb.f8[:]) ------


def _object_signature(ctx: FunctionContext, node: ast.Call) -> Signature | None:
    ret = _object_type(ctx, node.func)
    if not ret.known or node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
        return None
    return Signature(node, tuple(_object_type(ctx, a) for a in node.args), ret)


def _type_name(ctx: FunctionContext, node: ast.expr) -> str | None:
    """``float64`` for ``numba.float64`` / ``nb.types.float64`` / ``from numba import f8``."""
    for qname in ctx.qualified_names(node):
        for prefix in sorted(TYPE_MODULES, key=len, reverse=True):
            if qname.startswith(prefix) and "." not in qname[len(prefix) :]:
                return qname[len(prefix) :]
    return None


def _object_type(ctx: FunctionContext, node: ast.expr) -> ArgType:
    text = ctx.module.quote(node)
    if isinstance(node, (ast.Name, ast.Attribute)):
        name = _type_name(ctx, node)
        return _named_type(name, text) if name else UNKNOWN
    if isinstance(node, ast.Subscript):
        if _type_name(ctx, node.value) not in SCALAR_TYPES:
            return UNKNOWN
        # ``x[:, :]`` is a tuple of slices; ``x[()]`` an empty tuple, which is no array type.
        parts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if parts and all(isinstance(p, ast.Slice) for p in parts):
            return ArgType("array", len(parts), text)
        return UNKNOWN
    if isinstance(node, ast.Call):
        name = _type_name(ctx, node.func)
        if name in TUPLE_TYPES:
            return ArgType("tuple", None, text)
        # The second argument as written, keyword or not: ``Array(float64, ndim=2, ...)``.
        args = _argument_values(node)
        if name == "Array" and len(args) >= 2:
            ndim = args[1]
            if isinstance(ndim, ast.Constant) and type(ndim.value) is int:
                return ArgType("array", ndim.value, text)
    return UNKNOWN


def _argument_values(call: ast.Call) -> list[ast.expr]:
    """The values of all of `call`'s arguments (``*x`` gives ``x``), in source order."""
    values = [a.value if isinstance(a, ast.Starred) else a for a in call.args]
    values += [k.value for k in call.keywords]
    return sorted(values, key=lambda v: (v.lineno, v.col_offset))


# --- layouts: "(m,n),(n)->(m)" ----------------------------------------------------------------

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_NUMBER = re.compile(r"[0-9]+\Z")


def parse_layout(text: str) -> Layout | LayoutProblem | None:
    """The layout's argument groups, what is wrong with it, or None when unsure.

    The grammar is what both Numba's parser and NumPy's accept (verified on 0.57 to 0.68):
    spaces and tabs anywhere, comma-separated groups of comma-separated names, ``->`` at most
    once, no output side left empty after ``->``. Numba refuses numbers (fixed sizes) and
    NumPy refuses a trailing comma inside a group.
    """
    if not text.isascii() or any(c.isspace() and c not in " \t" for c in text):
        return None
    compact = text.replace(" ", "").replace("\t", "")
    if compact.count("->") > 1:
        return LayoutProblem("syntax", "`->` appears more than once")
    ins, arrow, outs = compact.partition("->")
    inputs = _side(ins, allow_empty=True)
    if isinstance(inputs, LayoutProblem):
        return inputs
    outputs = _side(outs, allow_empty=not arrow)
    if isinstance(outputs, LayoutProblem):
        return outputs
    groups = inputs + outputs
    fixed = [d for g in groups for d in g if _NUMBER.match(d)]
    if fixed:
        return LayoutProblem("fixed", fixed[0])
    known = {d for g in inputs for d in g}
    undefined = sorted({d for g in outputs for d in g} - known)
    if undefined:
        return LayoutProblem("undefined", ", ".join(f"`{d}`" for d in undefined))
    return Layout(inputs, outputs)


def _side(text: str, *, allow_empty: bool) -> tuple[tuple[str, ...], ...] | LayoutProblem:
    if not text:
        if allow_empty:
            return ()
        return LayoutProblem("syntax", "nothing follows `->` (write `()` for a scalar output)")
    groups: list[tuple[str, ...]] = []
    pos = 0
    while True:
        if text[pos] != "(":
            return LayoutProblem("syntax", f"expected `(` where `{text[pos:]}` starts")
        end = text.find(")", pos)
        if end < 0:
            return LayoutProblem("syntax", "a `(` is never closed")
        body = text[pos + 1 : end]
        if "(" in body:
            return LayoutProblem("syntax", "groups cannot be nested")
        dims = tuple(body.split(",")) if body else ()
        for dim in dims:
            if not dim:
                return LayoutProblem("syntax", f"an empty dimension name in `({body})`")
            if not (_NAME.match(dim) or _NUMBER.match(dim)):
                return LayoutProblem("syntax", f"`{dim}` is not a dimension name")
        groups.append(dims)
        pos = end + 1
        if pos == len(text):
            return tuple(groups)
        if text[pos] != ",":
            return LayoutProblem("syntax", f"expected `,` between groups, found `{text[pos]}`")
        pos += 1
        if pos == len(text):
            return LayoutProblem("syntax", "a comma after the last group")


def describe_group(group: tuple[str, ...]) -> str:
    return f"({','.join(group)})"


# --- the kernel ---------------------------------------------------------------------------


def parameter_count(node: FunctionNode) -> int | None:
    """How many arguments Numba counts for the kernel; None with ``*args``/``**kw``/keyword-only.

    Parameters with defaults count: Numba says "Signature mismatch: 1 argument types given,
    but function takes 2 arguments" for ``def f(x, y=1.0)`` under ``float64(float64)``.
    """
    params = node.args
    if params.vararg is not None or params.kwonlyargs:
        return None
    if params.kwarg is not None:
        return None
    return len(params.posonlyargs) + len(params.args)


def parameter_names(node: FunctionNode) -> list[str]:
    return [p.arg for p in (*node.args.posonlyargs, *node.args.args)]
