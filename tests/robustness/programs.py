"""Hypothesis strategies for programs the linter has real work on: hypothesmith's generated code
(from Python's grammar and from libcst's node types), turned into Numba code.

Generated code almost never imports numba or calls a compiler, so the prefilter would skip it and
no rule would run. Each program is therefore wrapped, in one of three ways:

- "decorate": every function (nested ones too) gets a Numba decorator, spelt one of the ways
  people spell it, top-level functions are also compiled in call form (`fast_f = njit(f)`), and
  classes may become jitclasses;
- "body": the generated statements become the body of one compiled function;
- "host": the generated statements are spliced into the first function of a rule's own VALID or
  INVALID case, so that the rules (and their fixes) meet code they know, disturbed.

After wrapping, a few names the program reads are replaced by Numba-flavoured expressions
(`np.zeros([n, m])`, `prange(n)`, `[0] * n`, ...) that the rules look for, fixable ones included.
Code that libcst cannot parse is kept as it is, after the imports: the linter must say NB901.
"""

from __future__ import annotations

import libcst as cst
from hypothesis import strategies as st
from hypothesis import target
from libcst.metadata import ExpressionContext, ExpressionContextProvider

from tests.rules.cases import all_cases

HEADER = """\
import numba
import numba as nb
import numpy as np
from numba import cuda, njit, prange, vectorize, guvectorize, stencil, cfunc, objmode
from numba import njit as fast
from numba.experimental import jitclass
from numba.extending import overload, register_jitable
"""

DECORATORS = (
    "numba.njit",
    "numba.jit(nopython=True)",
    "numba.jit",
    "numba.jit(forceobj=True)",
    "nb.njit(cache=True, fastmath=True)",
    "njit(parallel=True)",
    "numba.njit('int64(int64)')",
    "fast",
    "cuda.jit",
    "cuda.jit(device=True)",
    "vectorize(['float64(float64)'])",
    "guvectorize(['void(float64[:], float64[:])'], '(n)->(n)')",
    "stencil",
    "cfunc('float64(float64)')",
    "register_jitable",
    "overload(len)",
)
CALL_FORMS = ("numba.njit", "nb.njit(cache=True)", "numba.jit(nopython=True)", "cuda.jit")
CLASS_DECORATORS = ("jitclass", "jitclass([])", "numba.experimental.jitclass({})")

HOSTS = tuple(dict.fromkeys(case.code for _, case in all_cases()))

# What rules look for; the first ones have fixes (NB302, NB301, NB307, NB308, NB309, NB501).
EXPRESSIONS = (
    "np.zeros([n, m])",
    "np.concatenate([a, b])",
    "np.zeros(n, dtype=int)",
    "np.full(n, 1.5, dtype=int)",
    "np.add(a, a, out=a)",
    "[0] * n",
    "prange(n)",
    "range(n)",
    "a[i]",
    "len(a)",
    "print(a, sep='')",
    "{}",
    "[]",
    "[i * 0.5 for i in range(n)]",
    "{i: i for i in range(n)}",
    "(i for i in range(n))",
    "lambda x: x",
    "f'{a}'",
    "np.sum(a, axis=1)",
    "np.linalg.inv(a)",
    "np.add.at(a, i, 1.0)",
    "np.random.rand(n)",
    "isinstance(a, int)",
    "getattr(a, 'x')",
    "a.astype(np.float32)",
    "objmode(x='int64')",
    "cuda.grid(1)",
    "cuda.threadIdx.x",
    "numba.literal_unroll(a)",
    "super()",
    "open('data.txt')",
)


def _parse(code: str) -> cst.Module | None:
    try:
        return cst.parse_module(code)
    except (cst.ParserSyntaxError, RecursionError, UnicodeEncodeError, ValueError):
        return None


class _Substitute(cst.CSTTransformer):
    """Replaces the names read (not bound) whose positions, counted in source order, are in
    `plan`, with the planned expression, parenthesised."""

    METADATA_DEPENDENCIES = (ExpressionContextProvider,)

    def __init__(self, plan: dict[int, str]) -> None:
        super().__init__()
        self.plan = plan
        self.seen = 0

    # libcst gives imported names a LOAD context; they must stay names. Decorators are left
    # alone, or nothing would be compiled any more.
    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_Decorator(self, node: cst.Decorator) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        context = self.get_metadata(ExpressionContextProvider, original_node, None)
        if context is not ExpressionContext.LOAD:
            return updated_node
        self.seen += 1
        expression = self.plan.get(self.seen - 1)
        return updated_node if expression is None else cst.parse_expression(f"({expression})")


def substitute(source: str, choices: list[tuple[int, str]]) -> str:
    """`source` with the names read at the chosen positions (modulo their number) replaced;
    unchanged where that does not parse."""
    module = _parse(source)
    if module is None or not choices:
        return source
    try:
        wrapper = cst.MetadataWrapper(module)
        counter = _Substitute({})
        wrapper.visit(counter)
        if not counter.seen:
            return source
        plan = {index % counter.seen: expression for index, expression in choices}
        changed = wrapper.visit(_Substitute(plan)).code
        cst.parse_module(changed)
        return changed
    except Exception:  # noqa: BLE001 - a name in a place no expression can take
        return source


def _decorator(text: str) -> cst.Decorator:
    return cst.Decorator(cst.parse_expression(text))


class _Decorate(cst.CSTTransformer):
    def __init__(self, function: str, klass: str | None) -> None:
        super().__init__()
        self.function = _decorator(function)
        self.klass = _decorator(klass) if klass else None

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        return updated_node.with_changes(decorators=[self.function, *updated_node.decorators])

    def leave_ClassDef(
        self, original_node: cst.ClassDef, updated_node: cst.ClassDef
    ) -> cst.ClassDef:
        if self.klass is None:
            return updated_node
        return updated_node.with_changes(decorators=[self.klass, *updated_node.decorators])


def decorate(module: cst.Module, function: str, klass: str | None, call_form: str) -> str:
    decorated = module.visit(_Decorate(function, klass))
    names = [s.name.value for s in module.body if isinstance(s, cst.FunctionDef)]
    calls = "".join(f"fast_{n} = {call_form}({n})\n" for n in names)
    return HEADER + decorated.code + ("\n" if not decorated.code.endswith("\n") else "") + calls


def embed(module: cst.Module, function: str) -> str:
    # A final `return a` gives even an empty program a name to replace.
    body = [*module.body, cst.parse_statement("return a")]
    params = cst.Parameters([cst.Param(cst.Name(n)) for n in ("a", "b", "n")])
    compiled = cst.FunctionDef(
        name=cst.Name("_fuzzed"),
        params=params,
        body=cst.IndentedBlock(body),
        decorators=[_decorator(function)],
    )
    return HEADER + module.with_changes(body=[compiled]).code


class _Splice(cst.CSTTransformer):
    """Inserts statements at `index` in the body of the first (outermost) function."""

    def __init__(self, statements: list[cst.BaseStatement], index: int) -> None:
        super().__init__()
        self.statements = statements
        self.index = index
        self.done = False

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        body = updated_node.body
        if self.done or not isinstance(body, cst.IndentedBlock):
            return updated_node
        self.done = True
        at = min(self.index, len(body.body))
        statements = [*body.body[:at], *self.statements, *body.body[at:]]
        return updated_node.with_changes(body=body.with_changes(body=statements))


def splice(module: cst.Module, host: str, index: int) -> str:
    host_module = _parse(host)
    splicer = _Splice(list(module.body), index)
    spliced = host_module.visit(splicer) if host_module is not None else None
    if spliced is None or not splicer.done:
        return host + "\n" + decorate(module, "numba.njit", None, "numba.njit")
    # The imports first, so that the replacement expressions resolve (np, prange, ...).
    return HEADER + spliced.code


def _generated() -> st.SearchStrategy[str]:
    import hypothesmith  # a second of imports and seconds of grammar: only for the test using it

    # Their own targeting (auto_target) may run once per test case only; ours is below.
    fragment = st.one_of(
        hypothesmith.from_grammar(auto_target=False), hypothesmith.from_node(auto_target=False)
    )
    return st.lists(fragment, min_size=1, max_size=3).map(
        lambda parts: "".join(p if p.endswith(("\n", "\r")) else p + "\n" for p in parts)
    )


# Built when first drawn from, not when collected (every xdist worker collects every module).
generated = st.deferred(_generated)


@st.composite
def numba_programs(draw: st.DrawFn) -> str:
    """A module with compiled functions in it, built around a generated program."""
    code = draw(generated)
    target(float(len(code)), label="characters of generated code")  # steer towards more code
    module = _parse(code)
    if module is None:
        # Whatever libcst refuses, after imports and one compiled function of our own.
        return HEADER + "\n\n@numba.njit\ndef _f(x):\n    return x\n\n\n" + code
    # "host" first: Hypothesis starts from the simplest choices, and with a rule's case around
    # it even an empty generated program gives the rules work.
    how = draw(st.sampled_from(("host", "decorate", "body")))
    if how == "host":
        program = splice(module, draw(st.sampled_from(HOSTS)), draw(st.integers(0, 6)))
    elif how == "decorate":
        klass = draw(st.none() | st.sampled_from(CLASS_DECORATORS))
        function, call_form = draw(st.sampled_from(DECORATORS)), draw(st.sampled_from(CALL_FORMS))
        program = decorate(module, function, klass, call_form)
    else:
        program = embed(module, draw(st.sampled_from(DECORATORS)))
    names = st.tuples(st.integers(0, 1000), st.sampled_from(EXPRESSIONS))
    return substitute(program, draw(st.lists(names, min_size=1, max_size=6)))
