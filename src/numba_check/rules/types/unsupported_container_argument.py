from __future__ import annotations

import ast

from numba_check.compiled import FUNCTION_DEFS, EntryKind, Target, literal_value
from numba_check.matching import parents
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, ModuleRule, Valid
from numba_check.rules.types._literals import references
from numba_check.semantic import types as t
from numba_check.semantic.infer import literal_type

DISPATCHERS = frozenset({EntryKind.JIT, EntryKind.NJIT})
CONTAINER_DISPLAYS = (ast.List, ast.ListComp, ast.Set, ast.SetComp, ast.Dict, ast.DictComp)

DICT = (
    'a Python dict ("non-precise type pyobject")',
    "pass a `numba.typed.Dict` instead",
)
NESTED = (
    'a list of {inner} ("cannot reflect element of reflected container")',
    "pass a `numba.typed.List` of typed containers, or a 2-D NumPy array",
)
MIXED = (
    'a {container} mixing {kinds} ("can\'t unbox heterogeneous {container}")',
    "give every element the same type (`[1.0, 2.5]`)",
)
DIFFERENT = (
    'a list whose items are {first} and {second} ("can\'t unbox heterogeneous list")',
    "give every item the same type (for arrays: one dtype and number of dimensions), or pass "
    "a tuple, whose items may differ",
)
EMPTY = (
    'an empty list ("cannot compute fingerprint of empty list")',
    "pass `numba.typed.List.empty_list(numba.int64)` or a NumPy array",
)


class UnsupportedContainerArgument(ModuleRule):
    """## What it does
    Flags a call, from Python code, of a function compiled with `@njit` / `@jit` whose
    argument is a Python container Numba cannot take in: a dict (`{...}`, `dict(...)`, a
    dict comprehension), a list of lists, sets or dicts, a list or set literal that mixes
    element types (`[1, 2.5]`, `[1, "a"]`), or an empty list. A variable assigned once to a
    dict or a list of lists counts too. So does a list whose items certainly have different
    Numba types: arrays of another dtype or number of dimensions (`[np.zeros(2),
    np.zeros((2, 2))]`), NumPy scalars of other widths (`[np.float64(1), np.float32(2)]`),
    tuples of other item types (`[(1, 2.0), (3, 4)]`), or an int beyond int64 (a uint64)
    beside smaller ones; passed as a display, as `list([...])`, or through a name that is
    only ever passed to compiled functions.

    Lists of arrays or tuples of one type, homogeneous lists and sets, tuples, and `numba.typed`
    containers are fine, and so are the same calls made from inside compiled code, where
    Numba builds typed containers itself.

    ## Why is this bad?
    Arguments cross from Python into compiled code by their Numba type. A Python dict has
    none ("non-precise type pyobject"); a list is "reflected" element by element, and
    Numba cannot reflect a container inside one ("cannot reflect element of reflected
    container"), unbox elements of different types ("can't unbox heterogeneous list:
    int64 != float64"), or type an empty list.

    ## Example
    ```python
    @njit
    def total(weights):
        return sum(weights.values())

    total({"a": 1.0, "b": 2.0})
    ```

    ## Use instead
    ```python
    from numba import types
    from numba.typed import Dict

    weights = Dict.empty(types.unicode_type, types.float64)
    weights["a"] = 1.0
    weights["b"] = 2.0
    total(weights)
    ```
    """

    code = "NB402"
    name = "unsupported-container-argument"
    severity = Severity.ERROR
    message = "`{callee}` is compiled by Numba, which cannot take {what} as an argument; {fix}"
    targets = frozenset({Target.CPU, Target.PARALLEL})

    _F = "import numba\n@numba.njit\ndef f(x):\n    return len(x)\n"
    VALID = (
        Valid(
            _F + "def use():\n    return f([1, 2, 3]) + f([1.0, 2.5]) + f([-1, 2])\n", call="use()"
        ),
        Valid(
            "import numpy as np\n" + _F + "def use():\n    return f([np.zeros(2), np.ones(3)])\n",
            call="use()",
        ),
        Valid(
            _F + "def use():\n    return f([(1, 2), (3, 4)]) + f((1, 2.5)) + f({1, 2})\n",
            call="use()",
        ),
        Valid(
            _F + "def use():\n    d = numba.typed.Dict.empty(numba.int64, numba.int64)\n"
            "    d[1] = 2\n    return f(d)\n",
            call="use()",
        ),
        # Inside compiled code `{1: 2}` is a typed dict and `[[1], [2]]` a list of lists.
        Valid(
            _F + "@numba.njit\ndef use():\n    return f({1: 2}) + f([[1], [2]])\n",
            call="use()",
        ),
        # register_jitable keeps `f` a plain function when Python calls it.
        Valid(
            "from numba.extending import register_jitable\n@register_jitable\ndef f(x):\n"
            "    return len(x)\ndef use():\n    return f({1: 2})\n",
            call="use()",
        ),
        Valid(
            "import numba\n@numba.jit(forceobj=True)\ndef f(x):\n    return len(x)\n"
            "def use():\n    return f({1: 2})\n",
            call="use()",
        ),
        # Before 0.59 a plain @jit falls back to object mode, which takes any object.
        Valid(
            "import numba\n@numba.jit\ndef f(x):\n    return len(x)\ndef use():\n"
            "    return f({1: 2})\n",
            target_numba="0.57",
        ),
        # A local `f` is not the compiled one.
        Valid(_F + "def use(f):\n    return f({1: 2})\n", call="use(len)"),
        Valid("import numba\nfrom lib import f\ndef use():\n    return f({1: 2})\n"),
        # A name is judged by its display only when nothing can have changed its kind.
        Valid(
            _F + "def use():\n    m = [[1, 2], [3]]\n    m[0] = 1\n    m[1] = 2\n    return f(m)\n",
            call="use()",
        ),
        Valid(_F + "def use():\n    xs = []\n    xs.append(1)\n    return f(xs)\n", call="use()"),
        Valid(
            _F
            + "def use():\n    d = {1: 2}\n    d = numba.typed.Dict.empty(numba.int64, numba.int64)\n"
            "    return f(d)\n",
            call="use()",
        ),
    )
    _NP = "import numpy as np\n" + _F
    VALID += (
        Valid(
            _NP + "def use():\n    return f([np.float64(1), 2.5]) + f([np.zeros(2), "
            "np.arange(3.0)]) + f([np.array([1, 2]), np.array([3])])\n",
            call="use()",
        ),
        Valid(
            _F + "def use():\n    return f([6148914691236517205, 1229782938247303441]) + "
            "f([(1, 2.0), (3, 4.0)])\n",
            call="use()",
        ),
        # `b` may be made uniform before the call: judged only when it is just passed on.
        Valid(
            _NP + "def use():\n    b = [np.zeros(2), np.zeros((2, 2))]\n    b.pop()\n"
            "    return f(b)\n",
            call="use()",
        ),
    )
    INVALID = (
        Invalid(
            _NP + "def use():\n    return f([np.zeros(2), np.zeros((2, 2))])\n",
            line=7,
            column=14,
            call="use()",
        ),
        Invalid(
            _NP + "def use():\n    return f([np.zeros(2), np.zeros(2, dtype=np.complex128)])\n",
            line=7,
            call="use()",
        ),
        Invalid(
            _NP + "def use():\n    return f(list([np.float64(1), np.float32(2)]))\n",
            line=7,
            call="use()",
        ),
        Invalid(_F + "def use():\n    return f([(1, 2.0), (3, 4)])\n", line=6, call="use()"),
        Invalid(
            _F + "def use():\n    return f([6148914691236517205, 12297829382473034410])\n",
            line=6,
            call="use()",
        ),
        Invalid(
            _NP + "def use():\n    b = [np.array([1]), np.array([[0, 1, 2]])]\n    return f(b)\n",
            line=8,
            column=14,
            call="use()",
        ),
        Invalid(_F + "def use():\n    return f({1: 2})\n", line=6, column=14, call="use()"),
        Invalid(_F + "def use():\n    return f(dict(a=1))\n", line=6, call="use()"),
        Invalid(_F + "def use():\n    return f([[1, 2], [3]])\n", line=6, call="use()"),
        Invalid(_F + "def use():\n    return f([1, 2.5])\n", line=6, call="use()"),
        Invalid(_F + "def use():\n    return f(['a', 1])\n", line=6, call="use()"),
        Invalid(_F + "def use():\n    return f({1, 2.5})\n", line=6, call="use()"),
        Invalid(_F + "def use():\n    return f([])\n", line=6, call="use()"),
        Invalid(
            _F + "def use():\n    return f(x={i: i for i in range(3)})\n", line=6, call="use()"
        ),
        Invalid(
            "from numba import njit\ndef slow(x):\n    return len(x)\nfast = njit(slow)\n"
            "def use():\n    return fast([[1.0], [2.0]])\n",
            line=6,
            call="use()",
        ),
        Invalid(
            "import numba\n@numba.jit\ndef f(x):\n    return len(x)\ndef use():\n"
            "    return f({1: 2})\n",
            line=6,
            call="use()",
        ),
        Invalid(
            _F + "def use():\n    d = {'a': 1.0}\n    d['b'] = 2.0\n    return f(d)\n",
            line=8,
            column=14,
            call="use()",
        ),
        Invalid(
            _F + "GRID = [[1, 2], [3, 4]]\ndef use():\n    return f(GRID)\n", line=7, call="use()"
        ),
        # nopython=True holds before 0.59 too, in the configured call form as well.
        Invalid(
            "import numba\ndef slow(x):\n    return len(x)\ng = numba.jit(nopython=True)(slow)\n"
            "def use():\n    return g({1: 2})\n",
            line=6,
            target_numba="0.57",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._compiled_depth = 0
        self._parent_map: dict[ast.AST, ast.AST] | None = None
        # The module-level names that only Numba CPU dispatchers bind.
        self._dispatchers = frozenset(
            name
            for name, bindings in ctx.module.module_bindings.items()
            if all(self._binds_dispatcher(b) for b in bindings)
        )

    def active(self) -> bool:
        return bool(self._dispatchers)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if id(node) in self.ctx.module.compiled_nodes or self._compiled_depth:
            self._compiled_depth += 1

    def leave_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if self._compiled_depth:
            self._compiled_depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef
    leave_AsyncFunctionDef = leave_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        if self._compiled_depth or not isinstance(node.func, ast.Name):
            return
        if not self._is_dispatcher(node.func):
            return
        values = [a for a in node.args if not isinstance(a, ast.Starred)]
        values += [k.value for k in node.keywords if k.arg is not None]
        for value in values:
            problem = self._problem(value)
            if problem is None and isinstance(value, ast.Name):
                problem = self._problem_of_name(value)
            if problem is not None:
                what, fix = problem
                self.report(value, self.message.format(callee=node.func.id, what=what, fix=fix))

    def _problem_of_name(self, name: ast.Name) -> tuple[str, str] | None:
        """The problem of the display `name` is bound to, when nothing can change its kind.

        Only dicts and lists of containers: a dict stays a dict whatever is stored in it, and
        a list of lists only stops being one through item assignment, which keeps us silent.
        A list that may still be appended to or overwritten is never judged by its display.
        """
        scope = self.ctx.module.names.scope_of(name)
        if scope is None or scope.kind == "class":
            return None
        bindings = scope[name.id]
        if len(bindings) != 1 or bindings[0].is_builtin:
            return None
        binding = bindings[0]
        if binding.scope.kind == "class":
            return None
        parent = self._parents()
        assign = parent.get(binding.node)
        if (
            not isinstance(assign, ast.Assign)
            or len(assign.targets) != 1
            or assign.targets[0] is not binding.node
        ):
            return None
        problem = self._problem(assign.value)
        if problem is None:
            return None
        what, fix = problem
        accesses = list(references(self.ctx.module, binding, self.ctx.module.module))
        if fix not in (DICT[1], NESTED[1]):
            # A list of mixed items can be made uniform by a method or an item assignment:
            # judged by its display only when every use passes it to a compiled function.
            if not all(self._passed_only(access, parent) for access in accesses):
                return None
            return f"`{name.id}`, {what}", fix
        for access in accesses:
            up = parent.get(access)
            if (
                problem[1] == NESTED[1]
                and isinstance(up, ast.Subscript)
                and up.value is access
                and self._stores(up, parent.get(up))
            ):
                return None
        return f"`{name.id}`, {what}", fix

    def _passed_only(self, access: ast.AST, parent: dict[ast.AST, ast.AST]) -> bool:
        """Whether `access` is read as a whole argument of a call of a compiled function."""
        if access is None or not isinstance(access, ast.Name):
            return False
        if not isinstance(access.ctx, ast.Load):
            return False
        call = parent.get(access)
        return (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and any(a is access for a in call.args)
            and self._is_dispatcher(call.func)
        )

    def _stores(self, subscript: ast.Subscript, up: ast.AST | None) -> bool:
        """Whether `subscript` (`m[0]`) is stored to or deleted, as libcst, which this rule was
        written for, saw it: a lone assignment or `del` target, or anywhere in an augmented
        assignment (`m[0] += 1`, and `x += m[0]` too); not inside a tuple target (`del m[0],`
        and `del m[0], m[1]` delete a tuple there)."""
        if isinstance(up, ast.Assign):
            return any(t is subscript for t in up.targets)
        if isinstance(up, ast.Delete):
            return len(up.targets) == 1 and not self.ctx.module.code_for(up).endswith(",")
        return isinstance(up, ast.AugAssign)

    def _parents(self) -> dict[ast.AST, ast.AST]:
        if self._parent_map is None:
            self._parent_map = parents(self.ctx.module.module)
        return self._parent_map

    def _is_dispatcher(self, func: ast.Name) -> bool:
        """Whether `func` can only be a Numba CPU dispatcher compiling in nopython mode."""
        return func.id in self._dispatchers and self.ctx.module.refers_to_module_level(func)

    def _binds_dispatcher(self, node: ast.AST) -> bool:
        version = self.ctx.numba_version
        if isinstance(node, FUNCTION_DEFS):
            if len(node.decorator_list) != 1:
                return False  # another decorator may return anything
            return any(
                not c.call_form
                and c.entry in DISPATCHERS
                and c.target in self.targets
                and not c.on_gpu
                and c.nopython(version)
                for c in self.ctx.module.compiled_by_node.get(id(node), ())
            )
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            return self._dispatcher_call(node.value)
        return False

    def _dispatcher_call(self, call: ast.Call) -> bool:
        """`njit(f)`, `njit(f, cache=True)`, `numba.jit(nopython=True)(f)`."""
        finder = self.ctx.module.finder
        # Test the configured form first: a call has the qualified name of its callee, so
        # `entry_kind(numba.jit(nopython=True))` is numba.jit too, and would lose its options.
        if isinstance(call.func, ast.Call):
            kind, config = finder.entry_kind(call.func.func), call.func
        else:
            kind, config = finder.entry_kind(call.func), call
        if kind not in DISPATCHERS:
            return False
        positional = [a for a in call.args if not isinstance(a, ast.Starred)]
        # `njit("f8(f8)")` or `jit(nopython=True)` alone make a decorator, not a dispatcher.
        if not positional or not isinstance(positional[0], (ast.Name, ast.Lambda)):
            return False
        options = {k.arg: literal_value(k.value) for k in config.keywords if k.arg is not None}
        if options.get("forceobj") is True or options.get("target") == "cuda":
            return False
        if kind is EntryKind.JIT and self.ctx.numba_version < (0, 59):
            return options.get("nopython") is True
        return True

    def _problem(self, value: ast.expr) -> tuple[str, str] | None:
        if (
            isinstance(value, ast.Call)
            and len(value.args) == 1
            and not value.keywords
            and isinstance(value.args[0], ast.List)
            and self.ctx.semantic.builtin(value.func) == "list"
        ):
            value = value.args[0]  # `list([...])` is the display's list
        if isinstance(value, (ast.Dict, ast.DictComp)):
            return DICT
        if isinstance(value, ast.Call) and self.ctx.semantic.builtin(value.func) == "dict":
            return DICT
        if isinstance(value, ast.ListComp) and isinstance(value.elt, CONTAINER_DISPLAYS):
            return NESTED[0].format(inner=_inner_name(value.elt)), NESTED[1]
        if isinstance(value, (ast.List, ast.Set)):
            elements = value.elts
            if not elements:
                # `{}` is a dict; an empty set display does not exist.
                return EMPTY if isinstance(value, ast.List) else None
            if any(isinstance(e, ast.Starred) for e in elements):
                return None
            if isinstance(value, ast.List):
                for element in elements:
                    if isinstance(element, CONTAINER_DISPLAYS):
                        return NESTED[0].format(inner=_inner_name(element)), NESTED[1]
            kinds = [literal_type(e) for e in elements]
            if None in kinds or len(set(kinds)) < 2:
                return self._different_items(value) if isinstance(value, ast.List) else None
            container = "list" if isinstance(value, ast.List) else "set"
            what = MIXED[0].format(container=container, kinds=t.short_names(kinds))  # type: ignore[arg-type]
            return what, MIXED[1]
        return None

    def _different_items(self, display: ast.List) -> tuple[str, str] | None:
        """Items whose Numba types certainly differ: arrays of another dtype or number of
        dimensions, NumPy scalars of another width, tuples of other item types, an int
        beyond int64 (a uint64) beside an int64."""
        types = [self.ctx.semantic.argument_type(e) for e in display.elts]
        for other in types[1:]:
            if t.differ(types[0], other):
                first, second = _typeof_name(types[0]), _typeof_name(other)
                return DIFFERENT[0].format(first=first, second=second), DIFFERENT[1]
        return None


def _typeof_name(found: t.Type) -> str:
    """How Numba's message names a type: ``array(float64, 2d)``, ``Tuple(int64, float64)``."""
    if isinstance(found, t.Tuple):
        return f"Tuple({', '.join(_typeof_name(i) for i in found.items)})"
    return found.describe()


def _inner_name(node: ast.expr) -> str:
    if isinstance(node, (ast.Set, ast.SetComp)):
        return "sets"
    if isinstance(node, (ast.Dict, ast.DictComp)):
        return "dicts"
    return "lists"
