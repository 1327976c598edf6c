"""What the CUDA rules share: the names of Numba's CUDA API, and whether a value in a kernel is a
compile-time constant: a `Literal` type of the layer's lattice (Numba's ``IntegerLiteral``,
``StringLiteral``...), a `NonLiteral` one (a run-time value), or `UNKNOWN`.

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

A local name is read along the flow, through the bindings that reach the read
(`semantic.reaching`), as Numba types each SSA version of a variable on its own: `n = 4` before
a loop that rebinds `n` is still the literal 4 where it is read. What CPython folds is the
layer's (`semantic.int_constant`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from numba_check import matching as m
from numba_check.compiled import FUNCTION_DEFS, EntryKind, FunctionNode, Target, literal_value
from numba_check.module_context import ModuleContext
from numba_check.rules.base import FunctionContext
from numba_check.semantic import types as t
from numba_check.semantic.bindings import How, TypedBinding

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

# The forms of binding whose value is a run-time one (defs, imports and `except` names are
# not counted: a name bound so is looked up as it always was).
_RUN_TIME = frozenset({How.UNPACK, How.AUGMENT, How.LOOP, How.WALRUS, How.WITH})


# A compile-time constant and a run-time value of which nothing more is worked out.
CONSTANT = t.Literal(t.UNKNOWN)
RUN_TIME = t.NonLiteral(t.UNKNOWN)


def combine(values: Iterator[t.Type]) -> t.Type:
    """A run-time value if any part is one, a constant if all are, else UNKNOWN."""
    seen = list(values)
    if any(isinstance(v, t.NonLiteral) for v in seen):
        return RUN_TIME
    if all(isinstance(v, t.Literal) for v in seen):
        return CONSTANT
    return t.UNKNOWN


def root_name(node: ast.expr) -> ast.Name | None:
    """`a` for `a`, `a.shape`, `a.shape[0]`, `a[i].real`."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node if isinstance(node, ast.Name) else None


def findall_in(statements: Iterable[ast.AST], pattern: m.Pattern) -> list[ast.AST]:
    """`m.findall` over each of `statements` (a function's body), in source order."""
    return [node for stmt in statements for node in m.findall(stmt, pattern)]


@dataclass
class FunctionNames:
    """Parameters and local bindings of one compiled function (nested functions included).

    With `literal_params`, parameters are of unknown constness rather than run-time values:
    a device function called with a constant (`d(a, 4)`) gets it as a literal, which
    `cuda.local.array(n, ...)` accepts.
    """

    ctx: FunctionContext
    literal_params: bool = False
    # Whether a local name is read along the flow (see the module doc), or over every binding
    # in the function: the arguments of a `raise` are, because Numba makes a raise static only
    # when each argument's variable has one definition in the whole function, before its SSA
    # pass (`FunctionIR.infer_constant`): `m = 3; raise ValueError(m)` with `m = 4` anywhere
    # else is a dynamic raise, which the CUDA target refuses (compiled to PTX, Numba 0.68.1).
    along_flow: bool = True

    @property
    def node(self) -> FunctionNode:
        assert self.ctx.function is not None
        return self.ctx.function.node

    @cached_property
    def params(self) -> frozenset[str]:
        a = self.node.args
        names = [x.arg for x in (*a.posonlyargs, *a.args, *a.kwonlyargs)]
        for star in (a.vararg, a.kwarg):
            if star is not None:
                names.append(star.arg)
        return frozenset(names)

    @cached_property
    def bindings(self) -> Mapping[str, list[ast.expr | None]]:
        """Name -> the values it is assigned; None for a binding that is no plain assignment
        (a loop target, `+=`, unpacking, `with ... as`, `:=`), whose value is a run-time one.
        Read from the semantic layer: the bindings written in the function and the scopes
        nested in it."""
        out: dict[str, list[ast.expr | None]] = {}
        for binding in self.ctx.semantic.function(self.node).written_under():
            how = binding.how
            if how is How.ASSIGN or how is How.DECLARED:
                out.setdefault(binding.node.id, []).append(binding.value)  # type: ignore[attr-defined]
            elif how in _RUN_TIME:
                out.setdefault(binding.node.id, []).append(None)  # type: ignore[attr-defined]
        return out

    def is_local(self, name: str) -> bool:
        return name in self.params or name in self.bindings

    def single_value(self, name: str) -> ast.expr | None:
        """The value of a local assigned exactly once with `=`, else None."""
        values = self.bindings.get(name, [])
        if name in self.params or len(values) != 1:
            return None
        return values[0]

    def constness(self, node: ast.expr, depth: int = 0) -> t.Type:
        """Whether `node` is a compile-time constant for the CUDA target (see the module doc):
        a `Literal` (with the value's type where the layer knows it), a `NonLiteral`, or
        UNKNOWN."""
        if depth > 20:
            return t.UNKNOWN
        if isinstance(node, ast.Constant):
            # Numbers, strings, bytes, True/False/None; not `...`.
            if node.value is Ellipsis:
                return t.UNKNOWN
            return t.Literal(self.ctx.semantic.type_of(node))
        if isinstance(node, ast.Name):
            return self._name_constness(node, depth)
        if isinstance(node, (ast.UnaryOp, ast.BinOp)):
            folded = self.ctx.semantic.int_constant(node)
            if folded is not None and folded.folded:
                return t.Literal(self.ctx.semantic.type_of(node))  # CPython folds it
            # Numba types `2 * N` as int64, not as a literal, whatever N is.
            return RUN_TIME if self._has_name(node) else t.UNKNOWN
        if isinstance(node, ast.Tuple):
            items = [self.constness(_unstarred(e), depth + 1) for e in node.elts]
            found = combine(iter(items))
            if found is CONSTANT and not any(isinstance(e, ast.Starred) for e in node.elts):
                return t.Literal(t.Tuple(tuple(t.unliteral(i) for i in items)))
            return found
        if isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
            if is_thread_value(self.ctx, _callee(node)):
                return RUN_TIME
            root = root_name(_callee(node))
            if root is not None and isinstance(self._name_constness(root, depth), t.NonLiteral):
                return RUN_TIME
            if isinstance(node, ast.Call):
                values = [*map(_unstarred, node.args), *(k.value for k in node.keywords)]
                args = combine(self.constness(v, depth + 1) for v in values)
                return args if isinstance(args, t.NonLiteral) else t.UNKNOWN
            return t.UNKNOWN
        if isinstance(node, ast.JoinedStr):
            if self.ctx.module.strings_written(node) > 1:
                # An f-string written next to other strings (`"a" f"{x}"`) has always been
                # taken for a constant string (libcst made it a concatenated string).
                return t.Literal(t.Str())
            parts = (
                self.constness(p.value, depth + 1)
                for p in node.values
                if isinstance(p, ast.FormattedValue)
            )
            found = combine(parts)
            return t.NonLiteral(t.Str()) if isinstance(found, t.NonLiteral) else t.UNKNOWN
        return t.UNKNOWN

    def _name_constness(self, name: ast.Name, depth: int) -> t.Type:
        if not self.along_flow:
            return self._constness_everywhere(name, depth)
        semantic = self.ctx.semantic
        reaching = semantic.reaching(name)
        if reaching is None:
            scope = semantic.names.scope_of(name)
            if scope is not None and name.id in scope.assignments:
                return t.UNKNOWN  # a local whose read the flow analysis did not follow
            # Not bound in the function: a module-level global (frozen at compile time) or an
            # import is a constant; a name nothing binds is unknown.
            if self.ctx.module.module_bindings.get(name.id):
                return CONSTANT
            return t.UNKNOWN
        each = [self._binding_constness(b, depth) for b in reaching]
        if len(each) == 1:
            return each[0]
        # Two literals unify to a non-literal type; a run-time value stays one.
        return RUN_TIME if any(isinstance(e, t.NonLiteral) for e in each) else t.UNKNOWN

    def _constness_everywhere(self, name: ast.Name, depth: int) -> t.Type:
        if name.id in self.params:
            return t.UNKNOWN if self.literal_params else RUN_TIME
        values = self.bindings.get(name.id)
        if values is None:
            if self.ctx.module.module_bindings.get(name.id):
                return CONSTANT  # a global or an import: frozen at compile time
            return t.UNKNOWN
        if any(v is None for v in values):
            return RUN_TIME
        if len(values) > 1:
            each = [self.constness(v, depth + 1) for v in values if v is not None]
            return RUN_TIME if any(isinstance(e, t.NonLiteral) for e in each) else t.UNKNOWN
        value = values[0]
        assert value is not None
        return self.constness(value, depth + 1)

    def _binding_constness(self, binding: TypedBinding, depth: int) -> t.Type:
        how = binding.how
        if how is How.PARAMETER:
            return t.UNKNOWN if self.literal_params else RUN_TIME
        if how is How.ASSIGN and binding.value is not None:
            return self.constness(binding.value, depth + 1)
        if how in _RUN_TIME or how is How.DECLARED:
            return RUN_TIME
        return t.UNKNOWN  # a def, an import, an `except` name

    def _has_name(self, node: ast.expr) -> bool:
        # `-True` and `(1).real * 2` count as arithmetic on names, as they always have.
        return next(m.identifiers(node, constants=True), None) is not None


def is_thread_value(ctx: FunctionContext, node: ast.expr) -> bool:
    """`cuda.threadIdx.x`, `cuda.blockDim`, `cuda.grid` (the callee), in any import spelling."""
    return any(
        name == value or name.startswith(value + ".")
        for name in ctx.qualified_names(node)
        for value in THREAD_VALUES
    )


def _callee(node: ast.expr) -> ast.expr:
    return node.func if isinstance(node, ast.Call) else node


def _unstarred(node: ast.expr) -> ast.expr:
    """`x` for `*x` (an argument or a tuple element), else `node`."""
    return node.value if isinstance(node, ast.Starred) else node


def _names_in(target: ast.AST) -> list[str]:
    """The names a binding target binds: `x`, `x, (y, *z)`; not `a[i]` nor `o.attr`."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for e in target.elts for n in _names_in(e)]
    if isinstance(target, ast.Starred):
        return _names_in(target.value)
    return []


def is_builtin_call(ctx: FunctionContext, call: ast.Call, names: frozenset[str]) -> str | None:
    """The builtin `call` calls (`dict()`, `len(a)`) when it is one of `names` and certainly
    the builtin."""
    func = call.func
    if not isinstance(func, ast.Name) or func.id not in names:
        return None
    return func.id if ctx.semantic.builtin(func) == func.id else None


def cuda_kind(module: ModuleContext, name: ast.Name) -> Target | None:
    """CUDA_KERNEL or CUDA_DEVICE when the module-level `name` is bound only to `@cuda.jit`
    functions of that kind (decorated, or `k = cuda.jit(f)` / `cuda.jit(sig, device=...)(f)`);
    None when it may be anything else."""
    if not module.refers_to_module_level(name):
        return None
    kinds = {_binding_kind(module, node) for node in module.module_bindings.get(name.id, ())}
    if len(kinds) == 1:
        return kinds.pop()
    return None


def _binding_kind(module: ModuleContext, node: ast.AST) -> Target | None:
    if isinstance(node, FUNCTION_DEFS):
        kinds = {
            c.target
            for c in module.compiled
            if c.node is node and not c.call_form and c.entry is EntryKind.CUDA_JIT
        }
        if len(node.decorator_list) == 1 and len(kinds) == 1:
            return kinds.pop()
        return None
    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
        call = node.value
        if module.finder.entry_kind(call.func) is EntryKind.CUDA_JIT:
            config = call  # `k = cuda.jit(f, device=True)`
        elif (
            isinstance(call.func, ast.Call)
            and module.finder.entry_kind(call.func.func) is EntryKind.CUDA_JIT
        ):
            config = call.func  # `k = cuda.jit("void(float64[:])")(f)`
        else:
            return None
        device = next(
            (literal_value(k.value) for k in config.keywords if k.arg == "device"),
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
    return name in module.semantic.called_on_gpu


def acts_as_device_function(ctx: FunctionContext) -> bool:
    function = ctx.function
    assert function is not None
    return function.target is Target.CUDA_DEVICE or called_from_device_code(
        ctx.module, function.name
    )
