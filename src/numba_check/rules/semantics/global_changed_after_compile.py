from __future__ import annotations

import ast
import bisect
import math
from dataclasses import dataclass

from numba_check import matching as m
from numba_check.compiled import CPU_TARGETS, CompiledFunction
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, ModuleRule, Valid
from numba_check.rules.semantics._infer import arguments, literal_of

# Numba copies a global array into the compiled code when it is contiguous and at most 1 MB
# (`BaseContext.make_constant_array`); a bigger one is read through its pointer, so in-place
# changes to it are seen. 62_500 elements of at most 16 bytes stay under that limit.
SMALL_ARRAY = 62_500
ARRAY_MAKERS = frozenset(
    f"numpy.{n}"
    for n in ("zeros", "ones", "empty", "full", "arange", "linspace", "array", "asarray")
)
MUTATING_METHODS = frozenset({"fill", "sort", "put", "itemset", "partition", "resize"})
MUTATING_FUNCTIONS = frozenset({"numpy.copyto", "numpy.put", "numpy.place", "numpy.putmask"})

REBIND, MUTATE = "rebind", "mutate"


@dataclass(frozen=True)
class _Reader:
    start: tuple[int, int]  # where the function is defined
    function: CompiledFunction


@dataclass
class _Readers:
    """The compiled functions that read one global, in source order."""

    functions: list[_Reader]
    first_signed: _Reader | None = None  # the first compiled eagerly, at its decorator


@dataclass(frozen=True)
class _Change:
    name: str
    node: ast.AST
    kind: str  # REBIND: a new object; MUTATE: the same object changed in place
    in_function: bool
    loop: ast.AST | None  # the module-level loop around it, if any


class GlobalChangedAfterCompile(ModuleRule):
    """## What it does
    Flags a change to a module-level variable that compiled code reads, made after that code
    was compiled:
    - rebinding it at module level (`SCALE = 100` again) after the compiled function was
      called there, or after its definition when it has an explicit signature (compiled
      eagerly), or inside a module-level loop that also calls it;
    - rebinding it in a plain function through `global SCALE`;
    - changing a small global NumPy array in place (`ARR[0] = ...`, `ARR += ...`,
      `ARR.fill(...)`) anywhere outside compiled code.

    ## Why is this bad?
    Numba treats globals as compile-time constants: it freezes their value (and copies
    arrays up to 1 MB) when it compiles the function, at its first call. Later changes are
    not seen: with `SCALE = 2` at compile time, `f(10)` keeps returning 20 after
    `SCALE = 100`, where Python returns 1000. No error, no warning.

    ## Example
    ```python
    SCALE = 2

    @njit
    def scale(x):
        return x * SCALE

    def set_scale(s):
        global SCALE
        SCALE = s  # scale() keeps using 2 once compiled
    ```

    ## Use instead
    Pass the value as an argument:
    ```python
    @njit
    def scale(x, factor):
        return x * factor
    ```
    """

    code = "NB503"
    name = "global-changed-after-compile"
    severity = Severity.WARNING
    message = (
        "`{name}` is read by compiled `{function}`, which freezes its value when it is "
        "compiled: this later change is not seen there; pass `{name}` as an argument"
    )
    targets = CPU_TARGETS

    VALID = (
        Valid(
            "import numba\nSCALE = 2\n@numba.njit\ndef f(x, s):\n    return x * s\n"
            "def demo():\n    a = f(10, SCALE)\n    return a, f(10, 100)\n",
            call="demo()",
        ),
        Valid(
            "import numba\nSCALE = 2\n@numba.njit\ndef f(x):\n    return x * SCALE\nSCALE = 3\n",
            call="f(10)",
        ),
        Valid(
            "import numba\nimport numpy as np\nBIG = np.zeros(200_000)\n"
            "@numba.njit\ndef f():\n    return BIG[0]\n"
            "def demo():\n    a = f()\n    BIG[0] = 5.0\n    return a, f()\n",
            call="demo()",
        ),
        Valid(
            "import numba\nSCALE = 2\n@numba.njit\ndef f(x):\n    return x * 2\n"
            "def set_scale(s):\n    global SCALE\n    SCALE = s\n"
            "def demo():\n    a = f(10)\n    set_scale(5)\n    return a, f(10), SCALE\n",
            call="demo()",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\nSCALE = 2\n@numba.njit\ndef f(x):\n    return x * SCALE\n"
            "def set_scale(s):\n    global SCALE\n    SCALE = s\n"
            "def demo():\n    a = f(10)\n    set_scale(100)\n    return a, f(10)\n",
            line=8,
            column=5,
            call="demo()",
        ),
        Invalid(
            "import numba\nimport numpy as np\nARR = np.ones(3)\n@numba.njit\ndef f():\n"
            "    return ARR.sum()\ndef demo():\n    a = f()\n    ARR[0] = 100.0\n"
            "    return a, f()\n",
            line=9,
            call="demo()",
        ),
        Invalid(
            "from numba import njit\nSCALE = 2\n@njit\ndef f(x):\n    return x * SCALE\n"
            "FIRST = f(10)\nSCALE = 3\n",
            line=7,
            call="(FIRST, f(10))",
        ),
        Invalid(
            "import numba\nSCALE = 2\n@numba.njit('int64(int64)')\ndef f(x):\n"
            "    return x * SCALE\nSCALE = 3\n",
            line=6,
            call="f(10)",
        ),
        Invalid(
            "import numba\nimport numpy as np\nLUT = np.array([1.0, 2.0, 3.0])\n@numba.njit\n"
            "def f(i):\n    return LUT[i]\nFIRST = f(1)\nLUT.fill(0.0)\n",
            line=8,
            call="(FIRST, f(1))",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        module = ctx.module
        self._compiled = {id(c.node): c for c in module.compiled if c.target in self.targets}
        self._scopes: list[ast.AST] = []  # enclosing defs, lambdas and classes
        # For each of them, the outermost compiled function among it and those around it.
        self._outermost: list[CompiledFunction | None] = []
        self._globals: list[set[str]] = []  # `global` names of each enclosing def
        self._loops: list[ast.AST] = []  # enclosing module-level loops
        self._outermost_compiled: list[CompiledFunction] = []  # those in no other, in order
        self._calls: list[tuple[ast.AST, ast.AST | None]] = []
        self._changes: list[_Change] = []

    # -- where we are -------------------------------------------------------------------------

    @property
    def _compiled_here(self) -> CompiledFunction | None:
        return self._outermost[-1] if self._outermost else None

    def _enter(self, scope: ast.AST) -> None:
        here = self._compiled_here
        if here is None:
            here = self._compiled.get(id(scope))
            if here is not None:
                self._outermost_compiled.append(here)
        self._scopes.append(scope)
        self._outermost.append(here)
        self._globals.append(set())

    def _leave(self) -> None:
        self._scopes.pop()
        self._outermost.pop()
        self._globals.pop()

    @property
    def _at_module_level(self) -> bool:
        return not self._scopes

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._enter(node)

    def leave_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._leave()

    visit_AsyncFunctionDef = visit_FunctionDef
    leave_AsyncFunctionDef = leave_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._enter(node)

    def leave_Lambda(self, node: ast.Lambda) -> None:
        self._leave()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._enter(node)

    def leave_ClassDef(self, node: ast.ClassDef) -> None:
        self._leave()

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        if self._at_module_level:
            self._loops.append(node)
            self._rebind_targets(node.target, node)

    def leave_For(self, node: ast.For | ast.AsyncFor) -> None:
        if self._loops and self._loops[-1] is node:
            self._loops.pop()

    visit_AsyncFor = visit_For
    leave_AsyncFor = leave_For

    def visit_While(self, node: ast.While) -> None:
        if self._at_module_level:
            self._loops.append(node)

    def leave_While(self, node: ast.While) -> None:
        if self._loops and self._loops[-1] is node:
            self._loops.pop()

    def visit_Global(self, node: ast.Global) -> None:
        if self._globals:
            self._globals[-1].update(node.names)

    # -- reads in compiled code ---------------------------------------------------------------

    def _reads(self) -> dict[str, _Readers]:
        """The compiled functions that read each global, from the names in them (and in the
        functions and lambdas nested in them), read off the module's index."""
        reads: dict[str, _Readers] = {}
        for function in self._outermost_compiled:
            for node in m.findall(function.node, m.Name()):
                assert isinstance(node, ast.Name)
                if not self._is_data_global(node.id):
                    continue
                if self.ctx.module.refers_to_module_level(node):
                    readers = reads.setdefault(node.id, _Readers([])).functions
                    if not readers or readers[-1].function is not function:
                        readers.append(_Reader(self._start(function.node), function))
        for found in reads.values():
            found.functions.sort(key=lambda r: r.start)
            found.first_signed = next(
                (r for r in found.functions if r.function.has_signature), None
            )
        return reads

    def _is_data_global(self, name: str) -> bool:
        bindings = self.ctx.module.module_bindings.get(name, ())
        return bool(bindings) and all(
            isinstance(b, (ast.Assign, ast.AnnAssign, ast.AugAssign)) for b in bindings
        )

    # -- calls and changes outside compiled code ------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (
            self._at_module_level
            and isinstance(func, ast.Name)
            and self.ctx.module.jit_callable(func.id)
        ):
            self._calls.append((node, self._loops[0] if self._loops else None))
        if self._compiled_here is None:
            self._method_mutation(node)  # `ARR.fill(0)`, `np.copyto(ARR, x)`

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._store(target, node, REBIND)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._store(node.target, node, REBIND)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._store(node.target, node, MUTATE)

    def _method_mutation(self, node: ast.Call) -> None:
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in MUTATING_METHODS
            and isinstance(func.value, ast.Name)
        ):
            self._change(func.value, node, MUTATE, via_global=False)
        elif self.ctx.qualified_names(func) & MUTATING_FUNCTIONS and (node.args or node.keywords):
            first = arguments(node)[0]
            if isinstance(first, ast.Name):
                self._change(first, node, MUTATE, via_global=False)

    def _rebind_targets(self, target: ast.expr, node: ast.AST) -> None:
        if isinstance(target, ast.Starred):
            target = target.value
        if isinstance(target, ast.Name):
            self._change(target, node, REBIND, via_global=True)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._rebind_targets(element, node)

    def _store(self, target: ast.expr, node: ast.AST, kind: str) -> None:
        if self._compiled_here is not None:
            return
        base = target
        while isinstance(base, ast.Subscript):
            base = base.value
        if base is not target:
            if isinstance(base, ast.Name):
                self._change(base, node, MUTATE, via_global=False)
            return
        if isinstance(target, ast.Name):
            self._change(target, node, kind, via_global=True)
        elif isinstance(target, (ast.Tuple, ast.List)):
            self._rebind_targets(target, node)

    def _change(self, name: ast.Name, node: ast.AST, kind: str, *, via_global: bool) -> None:
        in_function = not self._at_module_level
        if in_function:
            if isinstance(self._scopes[-1], ast.ClassDef):
                return  # a class attribute, not the global
            declared = name.id in self._globals[-1]
            if via_global and not declared:
                return  # a local of the same name
            if not via_global and not (declared or self.ctx.module.refers_to_module_level(name)):
                return
        elif self.ctx.module.module_bindings.get(name.id, [None])[0] is node:
            return  # the first binding creates the global; nothing has read it yet
        loop = self._loops[0] if self._loops else None
        self._changes.append(_Change(name.id, node, kind, in_function, loop))

    # -- verdict ----------------------------------------------------------------------------------

    def finish(self) -> None:
        if not self._changes:
            return
        reads = self._reads()
        calls = sorted((self._start(call), loop) for call, loop in self._calls)
        self._call_starts = [here for here, _ in calls]
        # The last call in each module-level loop: a change in that loop is seen by a function
        # defined before it.
        self._last_call_in_loop = {id(loop): here for here, loop in calls if loop is not None}
        kinds: dict[str, str | None] = {}
        for change in self._changes:
            readers = reads.get(change.name)
            if not readers:
                continue
            if change.kind != REBIND:
                # In place: only a frozen copy (a small array) misses it; `+=` on a number or
                # string rebinds.
                if change.name not in kinds:
                    kinds[change.name] = self._value_kind(change.name)
                if kinds[change.name] not in ("small-array", "immutable"):
                    continue
            if change.in_function:
                function: CompiledFunction | None = readers.functions[0].function
            else:
                function = self._stale_reader(readers, change)
            if function is not None:
                self.report(
                    change.node, self.message.format(name=change.name, function=function.name)
                )

    def _stale_reader(self, readers: _Readers, change: _Change) -> CompiledFunction | None:
        """The first of `readers` (in source order) compiled before the module-level `change`.

        The earlier a function is defined, the more calls can have compiled it; so when the
        first one was not compiled by a call before the change, no later one was, and only one
        compiled eagerly (with a signature) can have been.
        """
        here = self._start(change.node)
        first = readers.functions[0]
        if first.start >= here:
            return None
        if self._called_between(first.start, here, change.loop):
            return first.function
        signed = readers.first_signed
        return signed.function if signed is not None and signed.start < here else None

    def _start(self, node: ast.AST) -> tuple[int, int]:
        position, _ = self.ctx.module.span(node)
        return position.line, position.column

    def _called_between(
        self, defined: tuple[int, int], here: tuple[int, int], loop: ast.AST | None
    ) -> bool:
        """Whether a module-level call after `defined` comes before `here`, or in `loop`."""
        first = bisect.bisect_left(self._call_starts, defined)
        if first < len(self._call_starts) and self._call_starts[first] < here:
            return True
        return loop is not None and self._last_call_in_loop.get(id(loop), (0, 0)) >= defined

    def _value_kind(self, name: str) -> str | None:
        kinds = set()
        for binding in self.ctx.module.module_bindings.get(name, ()):
            if isinstance(binding, ast.AugAssign):
                continue
            value = binding.value if isinstance(binding, (ast.Assign, ast.AnnAssign)) else None
            if value is None:
                return None
            kinds.add(self._kind_of(value))
        return kinds.pop() if len(kinds) == 1 else None

    def _kind_of(self, value: ast.expr) -> str | None:
        if literal_of(value, int, float, complex, str, bytes) or isinstance(
            value, (ast.JoinedStr, ast.Tuple)
        ):
            return "immutable"
        if isinstance(value, ast.UnaryOp) and literal_of(value.operand, int, float):
            return "immutable"
        if isinstance(value, ast.Call) and self.ctx.qualified_names(value.func) & ARRAY_MAKERS:
            size = _array_size(value, self.ctx.qualified_names(value.func))
            if size is not None and size <= SMALL_ARRAY:
                return "small-array"
        return None


def _array_size(call: ast.Call, names: set[str]) -> int | None:
    """The number of elements of a NumPy array built from literals, else None."""
    args = [a for a in call.args if not isinstance(a, ast.Starred)]
    if not args:
        return None
    first = args[0]
    if names & {"numpy.array", "numpy.asarray"}:
        return _literal_count(first)
    if names & {"numpy.arange"}:
        ints = [i for i in map(_int, args[:3]) if i is not None]
        return len(range(*ints)) if len(ints) == len(args[:3]) else None
    if names & {"numpy.linspace"}:
        return _int(args[2]) if len(args) > 2 else 50
    if isinstance(first, ast.Tuple):
        dims = [d for d in (_int(_unstarred(e)) for e in first.elts) if d is not None]
        return math.prod(dims) if len(dims) == len(first.elts) else None
    return _int(first)


def _unstarred(node: ast.expr) -> ast.expr:
    return node.value if isinstance(node, ast.Starred) else node


def _int(node: ast.expr) -> int | None:
    return node.value if isinstance(node, ast.Constant) and type(node.value) is int else None


def _literal_count(node: ast.expr) -> int | None:
    if isinstance(node, (ast.List, ast.Tuple)):
        total = 0
        for element in node.elts:
            count = _literal_count(_unstarred(element))
            if count is None:
                return None
            total += count
        return total
    if literal_of(node, int, float, complex):
        return 1
    if isinstance(node, ast.UnaryOp):
        return _literal_count(node.operand)
    return None
