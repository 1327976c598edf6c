"""What the CUDA rules share: the names of Numba's CUDA API, and whether a value in a kernel is a
compile-time constant.

The CUDA target needs compile-time constants in two places: the shape of `cuda.local.array` /
`cuda.shared.array`, and the arguments of an exception raised in device code (it has no way to
return an exception built at run time). What Numba treats as a constant, verified with
`cuda.compile_ptx` on Numba 0.57.1, 0.60.0, 0.63.1 and 0.68.1:

- a literal, and arithmetic on literals only (CPython folds `2 * 16` before Numba sees it);
- a module-level name (globals are frozen when the kernel is compiled);
- a local name assigned once, from a constant;
- a tuple of constants.

Not constant: a parameter, anything read from a parameter (`a.shape[0]`, `a.size`, `len(a)`),
the thread registers (`cuda.threadIdx.x`, `cuda.grid(1)`), and arithmetic on names, even on
constant ones (`2 * N`, `N // 2`: Numba does not fold them).
"""

from __future__ import annotations

import enum
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

import libcst as cst

from numba_check import matching as m
from numba_check.compiled import EntryKind, Target, literal_value
from numba_check.module_context import ModuleContext
from numba_check.rules.base import FunctionContext

LOCAL_ARRAYS = frozenset({"numba.cuda.local.array", "numba.cuda.shared.array"})
GRID = frozenset({"numba.cuda.grid"})
# Special registers and calls whose value differs per thread.
THREAD_VALUES = frozenset(
    {
        "numba.cuda.threadIdx",
        "numba.cuda.blockIdx",
        "numba.cuda.blockDim",
        "numba.cuda.gridDim",
        "numba.cuda.laneid",
        "numba.cuda.grid",
        "numba.cuda.gridsize",
    }
)

NUMBERS = (cst.Integer, cst.Float, cst.Imaginary)
STRINGS = (cst.SimpleString, cst.ConcatenatedString)


class Const(enum.Enum):
    YES = "constant"
    NO = "run-time value"
    UNKNOWN = "unknown"


def combine(values: Iterator[Const]) -> Const:
    """NO if any part is NO, YES if all are YES, else UNKNOWN."""
    seen = set(values)
    if Const.NO in seen:
        return Const.NO
    if seen <= {Const.YES}:
        return Const.YES
    return Const.UNKNOWN


def root_name(node: cst.BaseExpression) -> cst.Name | None:
    """`a` for `a`, `a.shape`, `a.shape[0]`, `a[i].real`."""
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        node = node.value
    return node if isinstance(node, cst.Name) else None


def only_number_literals(node: cst.BaseExpression) -> bool:
    """`2 * 16`, `-1`, `(4 + 4) // 2`: arithmetic CPython folds to a constant."""
    if isinstance(node, NUMBERS):
        return True
    if isinstance(node, cst.UnaryOperation):
        return only_number_literals(node.expression)
    if isinstance(node, cst.BinaryOperation):
        return only_number_literals(node.left) and only_number_literals(node.right)
    return False


@dataclass
class FunctionNames:
    """Parameters and local bindings of one compiled function (nested functions included).

    With `literal_params`, parameters are of unknown constness rather than run-time values:
    a device function called with a constant (`d(a, 4)`) gets it as a literal, which
    `cuda.local.array(n, ...)` accepts.
    """

    ctx: FunctionContext
    literal_params: bool = False

    @property
    def node(self) -> cst.FunctionDef:
        assert self.ctx.function is not None
        return self.ctx.function.node

    @cached_property
    def params(self) -> frozenset[str]:
        p = self.node.params
        names = [x.name.value for x in (*p.posonly_params, *p.params, *p.kwonly_params)]
        for star in (p.star_arg, p.star_kwarg):
            if isinstance(star, cst.Param):
                names.append(star.name.value)
        return frozenset(names)

    @cached_property
    def bindings(self) -> Mapping[str, list[cst.BaseExpression | None]]:
        """Name -> the values it is assigned; None for a binding that is no plain assignment
        (a loop target, `+=`, unpacking, `with ... as`, `:=`), whose value is a run-time one."""
        out: dict[str, list[cst.BaseExpression | None]] = {}
        body = self.node.body
        for assign in m.findall(body, m.Assign()):
            assert isinstance(assign, cst.Assign)
            for target in assign.targets:
                if isinstance(target.target, cst.Name):
                    out.setdefault(target.target.value, []).append(assign.value)
                else:
                    for name in _names_in(target.target):
                        out.setdefault(name, []).append(None)
        for ann in m.findall(body, m.AnnAssign(target=m.Name())):
            assert isinstance(ann, cst.AnnAssign) and isinstance(ann.target, cst.Name)
            out.setdefault(ann.target.value, []).append(ann.value)
        for node in m.findall(
            body,
            m.AugAssign() | m.For() | m.NamedExpr() | m.WithItem() | m.CompFor(),
        ):
            target = getattr(node, "target", None)
            if isinstance(node, cst.WithItem):
                target = node.asname.name if node.asname else None
            if target is not None:
                for name in _names_in(target):
                    out.setdefault(name, []).append(None)
        return out

    def is_local(self, name: str) -> bool:
        return name in self.params or name in self.bindings

    def single_value(self, name: str) -> cst.BaseExpression | None:
        """The value of a local assigned exactly once with `=`, else None."""
        values = self.bindings.get(name, [])
        if name in self.params or len(values) != 1:
            return None
        return values[0]

    def constness(self, node: cst.BaseExpression, depth: int = 0) -> Const:
        """Whether `node` is a compile-time constant for the CUDA target (see the module doc)."""
        if depth > 20:
            return Const.UNKNOWN
        if isinstance(node, (*NUMBERS, *STRINGS)):
            return Const.YES
        if isinstance(node, cst.Name):
            return self._name_constness(node, depth)
        if isinstance(node, (cst.UnaryOperation, cst.BinaryOperation)):
            if only_number_literals(node):
                return Const.YES
            # Numba types `2 * N` as int64, not as a literal, whatever N is.
            return Const.NO if self._has_name(node) else Const.UNKNOWN
        if isinstance(node, cst.Tuple):
            return combine(self.constness(e.value, depth + 1) for e in node.elements)
        if isinstance(node, (cst.Attribute, cst.Subscript, cst.Call)):
            if is_thread_value(self.ctx, _callee(node)):
                return Const.NO
            root = root_name(_callee(node))
            if (
                root is not None
                and self.is_local(root.value)
                and self._name_constness(root, depth) is Const.NO
            ):
                return Const.NO
            if isinstance(node, cst.Call):
                args = combine(self.constness(a.value, depth + 1) for a in node.args)
                return Const.NO if args is Const.NO else Const.UNKNOWN
            return Const.UNKNOWN
        if isinstance(node, cst.FormattedString):
            parts = (
                self.constness(p.expression, depth + 1)
                for p in node.parts
                if isinstance(p, cst.FormattedStringExpression)
            )
            return Const.NO if combine(parts) is Const.NO else Const.UNKNOWN
        return Const.UNKNOWN

    def _name_constness(self, name: cst.Name, depth: int) -> Const:
        if name.value in ("True", "False", "None"):
            return Const.YES
        if name.value in self.params:
            return Const.UNKNOWN if self.literal_params else Const.NO
        values = self.bindings.get(name.value)
        if values is None:
            # Not bound in the function: a module-level global (frozen at compile time) or an
            # import is a constant; a name nothing binds is unknown.
            if self.ctx.module.module_bindings.get(name.value):
                return Const.YES
            return Const.UNKNOWN
        if any(v is None for v in values):
            return Const.NO
        if len(values) > 1:
            # Two literals unify to a non-literal type; a run-time value stays one.
            each = [self.constness(v, depth + 1) for v in values if v is not None]
            return Const.NO if Const.NO in each else Const.UNKNOWN
        value = values[0]
        assert value is not None
        return self.constness(value, depth + 1)

    def _has_name(self, node: cst.BaseExpression) -> bool:
        return bool(m.findall(node, m.Name()))


def is_thread_value(ctx: FunctionContext, node: cst.BaseExpression) -> bool:
    """`cuda.threadIdx.x`, `cuda.blockDim`, `cuda.grid` (the callee), in any import spelling."""
    return any(
        name == t or name.startswith(t + ".")
        for name in ctx.qualified_names(node)
        for t in THREAD_VALUES
    )


def _callee(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.func if isinstance(node, cst.Call) else node


def _names_in(target: cst.CSTNode) -> list[str]:
    """The names a binding target binds: `x`, `x, (y, *z)`; not `a[i]` nor `o.attr`."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for e in target.elements for n in _names_in(e.value)]
    if isinstance(target, cst.StarredElement):
        return _names_in(target.value)
    return []


def is_builtin_call(ctx: FunctionContext, call: cst.Call, names: frozenset[str]) -> str | None:
    """The builtin `call` calls (`dict()`, `len(a)`) when it is one of `names` and nothing in
    the module shadows it."""
    func = call.func
    if not isinstance(func, cst.Name) or func.value not in names:
        return None
    finder = ctx.module.finder
    if finder.local_qualified_names(func) or finder.qualified_names(func):
        return None
    return func.value


def cuda_kind(module: ModuleContext, name: cst.Name) -> Target | None:
    """CUDA_KERNEL or CUDA_DEVICE when the module-level `name` is bound only to `@cuda.jit`
    functions of that kind (decorated, or `k = cuda.jit(f)` / `cuda.jit(sig, device=...)(f)`);
    None when it may be anything else."""
    if not module.refers_to_module_level(name):
        return None
    kinds = {_binding_kind(module, node) for node in module.module_bindings.get(name.value, ())}
    if len(kinds) == 1:
        return kinds.pop()
    return None


def _binding_kind(module: ModuleContext, node: cst.CSTNode) -> Target | None:
    if isinstance(node, cst.FunctionDef):
        kinds = {
            c.target
            for c in module.compiled
            if c.node is node and not c.call_form and c.entry is EntryKind.CUDA_JIT
        }
        if len(node.decorators) == 1 and len(kinds) == 1:
            return kinds.pop()
        return None
    if isinstance(node, cst.Assign) and isinstance(node.value, cst.Call):
        call = node.value
        if module.finder.entry_kind(call.func) is EntryKind.CUDA_JIT:
            config = call  # `k = cuda.jit(f, device=True)`
        elif (
            isinstance(call.func, cst.Call)
            and module.finder.entry_kind(call.func.func) is EntryKind.CUDA_JIT
        ):
            config = call.func  # `k = cuda.jit("void(float64[:])")(f)`
        else:
            return None
        device = next(
            (
                literal_value(a.value)
                for a in config.args
                if a.keyword and a.keyword.value == "device"
            ),
            False,
        )
        if device is True:
            return Target.CUDA_DEVICE
        if device is False:
            return Target.CUDA_KERNEL
    return None


def called_from_device_code(module: ModuleContext, name: str) -> bool:
    """Whether a CUDA function of the module calls `name(...)`: then `name` is compiled as a
    device function there, even when its decorator says kernel."""
    called = _CALLED_ON_GPU.get(module)
    if called is None:
        called = _CALLED_ON_GPU[module] = frozenset(
            call.func.value
            for compiled in module.compiled
            if compiled.on_gpu
            for call in m.findall(compiled.node.body, m.Call(func=m.Name()))
            if isinstance(call, cst.Call) and isinstance(call.func, cst.Name)
        )
    return name in called


# Names called from the module's CUDA functions, asked once per CUDA function.
_CALLED_ON_GPU: weakref.WeakKeyDictionary[ModuleContext, frozenset[str]] = (
    weakref.WeakKeyDictionary()
)


def acts_as_device_function(ctx: FunctionContext) -> bool:
    function = ctx.function
    assert function is not None
    return function.target is Target.CUDA_DEVICE or called_from_device_code(
        ctx.module, function.name
    )
