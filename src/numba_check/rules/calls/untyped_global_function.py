from __future__ import annotations

import ast

from numba_check import matching as m
from numba_check.compiled import FUNCTION_DEFS
from numba_check.model import Applicability, Severity
from numba_check.module_context import ModuleContext
from numba_check.rules.base import Invalid, Rule, Transform, Valid


class UntypedGlobalFunction(Rule):
    """## What it does
    Flags a call from compiled code to a function or class defined in the same module that
    Numba does not compile: a plain `def` with no Numba decorator, a function compiled only
    under another name (`fast = njit(slow)`, then calling `slow`), or a plain class.

    Helpers whose definition numba-check cannot see (imported ones, or ones rebound by other
    decorators) are never flagged, nor are helpers that plain Python code passes to a call
    (`register(helper)`): that call may give them a Numba implementation with `@overload`.

    ## Why is this bad?
    Compiled code can only call compiled code. Numba stops with "Untyped global name
    'helper': Cannot determine Numba type of <class 'function'>". Since Numba 0.59 there is
    no object-mode fall-back.

    ## Example
    ```python
    def norm(x):
        return x / x.sum()

    @njit
    def score(x):
        return norm(x).max()
    ```

    ## Use instead
    ```python
    @njit
    def norm(x):
        return x / x.sum()
    ```
    (`@numba.extending.register_jitable` keeps `norm` callable from Python too.)

    ## Fix safety
    Unsafe: the helper becomes a compiled function for every caller, Python ones included
    (they then call Numba's dispatcher, which may refuse arguments plain Python accepted). The
    decorator is spelled as the module already names Numba's `njit` (`@njit`, `@fast`,
    `@nb.njit`); where it names none, `njit` is imported (added to the module's
    `from numba import ...`, or as a new import among the others). Offered for a helper defined once, by a plain `def` with no
    decorator, that no module-level code hands to a call.
    """

    code = "NB202"
    name = "untyped-global-function"
    severity = Severity.ERROR
    message = (
        "`{name}` is a plain Python {kind}, which compiled code cannot call "
        '("Untyped global name"); decorate it with `@njit` or `@register_jitable`'
    )
    fix_applicability = Applicability.UNSAFE
    fix_message = "Compile the helper with `@njit`"

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef helper(x):\n    return x + 1\n@numba.njit\n"
            "def f(x):\n    return helper(x)\n",
            call="f(1)",
        ),
        Valid(
            "import numba\ndef helper(x):\n    return x + 1\nhelper = numba.njit(helper)\n"
            "@numba.njit\ndef f(x):\n    return helper(x)\n",
            call="f(1)",
        ),
        Valid(
            "import numba\nfrom numba.extending import register_jitable\n@register_jitable\n"
            "def helper(x):\n    return x + 1\n@numba.njit\ndef f(x):\n    return helper(x)\n",
            call="f(1)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x):\n    def helper(y):\n        return y + 1\n"
            "    return helper(x)\n",
            call="f(1)",
        ),
        Valid(
            "import numba\nfrom mylib import helper\n@numba.njit\ndef f(x):\n    return helper(x)\n"
        ),
        Valid(
            "import numba\nfrom numba.extending import overload\ndef helper(x):\n    return x\n"
            "@overload(helper)\ndef ol_helper(x):\n    def impl(x):\n        return x\n"
            "    return impl\n@numba.njit\ndef f(x):\n    return helper(x)\n",
            call="f(1)",
        ),
        Valid(
            # numba/np/random/generator_core.py: a helper that calls @overload on its argument.
            "import numba\nfrom numba.extending import overload\ndef register(func):\n"
            "    @overload(func)\n    def ol(x):\n        def impl(x):\n            return x + 1\n"
            "        return impl\ndef helper(x):\n    return x + 1\nregister(helper)\n"
            "@numba.njit\ndef f(x):\n    return helper(x)\n",
            call="f(1)",
        ),
        Valid(
            "import numba\n@numba.njit\ndef f(x, helper):\n    return helper(x)\ndef helper(y):\n"
            "    return y\n"
        ),
    )
    INVALID = (
        Invalid(
            "import numba\ndef helper(x):\n    return x + 1\n@numba.njit\ndef f(x):\n"
            "    return helper(x)\n",
            line=6,
            column=12,
            fixed="import numba\n@numba.njit\ndef helper(x):\n    return x + 1\n@numba.njit\n"
            "def f(x):\n    return helper(x)\n",
            call="f(1)",
        ),
        Invalid(
            "from numba import jit\nimport numpy as np\ndef norm(x):\n    return x / x.sum()\n"
            "@jit(nopython=True)\ndef score(x):\n    return norm(x).max() + norm(x).min()\n",
            line=7,
            count=2,
            fixed="from numba import njit, jit\nimport numpy as np\n@njit\n"
            "def norm(x):\n    return x / x.sum()\n@jit(nopython=True)\ndef score(x):\n"
            "    return norm(x).max() + norm(x).min()\n",
            call="score(np.arange(1.0, 4.0))",
        ),
        Invalid(
            "from numba import njit as fast\n\n\ndef helper(x):\n    return x * 2\n\n\n@fast\n"
            "def f(x):\n    return helper(x)\n",
            line=10,
            fixed="from numba import njit as fast\n\n\n@fast\ndef helper(x):\n    return x * 2\n"
            "\n\n@fast\ndef f(x):\n    return helper(x)\n",
            call="f(3)",
        ),
        Invalid(
            "import numba\ndef slow(x):\n    return x + 1\nfast = numba.njit(slow)\n@numba.njit\n"
            "def f(x):\n    return slow(x)\n",
            line=7,
            no_fix=True,
            call="f(1)",
        ),
        Invalid(
            # Handed to a call only inside compiled code: nothing registers it.
            "import numba\ndef helper(x):\n    return x + 1\n@numba.njit\ndef apply(g, x):\n"
            "    return x\n@numba.njit\ndef f(x):\n    apply(helper, x)\n    return helper(x)\n",
            line=10,
            column=12,
            fixed="import numba\n@numba.njit\ndef helper(x):\n    return x + 1\n@numba.njit\n"
            "def apply(g, x):\n    return x\n@numba.njit\ndef f(x):\n    apply(helper, x)\n"
            "    return helper(x)\n",
            call="f(1)",
        ),
        Invalid(
            "import numba\nclass A:\n    pass\n@numba.njit\ndef f(x):\n    a = A()\n    return x\n",
            line=6,
            no_fix=True,
            call="f(1)",
        ),
        Invalid(
            # numba imported under an alias: the decorator spelled with it, below the comment.
            "import numba as nb\n\n\n# Adds one.\ndef helper(x):  # plain\n    return x + 1\n\n\n@nb.njit\ndef f(x):\n    return helper(x)\n",
            line=11,
            fixed="import numba as nb\n\n\n# Adds one.\n@nb.njit\ndef helper(x):  # plain\n    return x + 1\n\n\n@nb.njit\ndef f(x):\n    return helper(x)\n",
            call="f(1)",
        ),
        Invalid(
            # njit added to the module's import from numba (libcst's AddImportsVisitor).
            "from numba import prange, jit\n\ndef helper(x):\n    return x + 1\n\n@jit(nopython=True)\ndef f(x):\n    return helper(x)\n",
            line=8,
            fixed="from numba import njit, prange, jit\n\n@njit\ndef helper(x):\n    return x + 1\n\n@jit(nopython=True)\ndef f(x):\n    return helper(x)\n",
            call="f(1)",
        ),
    )

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not m.matches(func, m.Name()):
            return
        assert isinstance(func, ast.Name)
        if not self.ctx.module.refers_to_module_level(func):
            return
        module = self.ctx.module
        if module.jit_callable(func.id) is False and not _handed_to_python(module, func.id):
            kind = module.binding_kind(func.id)
            fix = _decorate(module, func.id)
            self.report(node, self.message.format(name=func.id, kind=kind), transform=fix)


def _decorate(module: ModuleContext, name: str) -> Transform | None:
    """The fix that compiles the helper `name` with `@njit`: none where that is not clearly
    right (a class, several definitions, a decorator, a name module-level code uses)."""
    bindings = module.module_bindings.get(name, [])
    if len(bindings) != 1 or not isinstance(bindings[0], ast.FunctionDef):
        return None
    helper = bindings[0]
    if (
        helper.decorator_list
        or helper not in module.module.body
        or _used_at_module_level(module, name)
    ):
        return None
    spelled, imported = _njit_spelling(module)
    if not imported:
        if "njit" in module.module_bindings:
            return None  # the module has an `njit` of its own: the import would replace it
        return Transform(helper, "decorate", ("njit", "numba", "njit"))
    # The decorator has no node of its own to declare the name it writes at
    # (Transform.writes): its meaning is checked here, at the helper's def.
    if not module.names.means(helper, spelled, "numba.njit"):
        return None
    return Transform(helper, "decorate", (spelled,))


def _njit_spelling(module: ModuleContext) -> tuple[str, bool]:
    """How the module names `numba.njit` (`njit` or its alias, else `numba.njit` through the
    module's name for numba), and whether it does: where it does not, `njit` is to be imported."""
    module_name = None
    for statement in module.module.body:
        if (
            isinstance(statement, ast.ImportFrom)
            and statement.module == "numba"
            and not statement.level
        ):
            for alias in statement.names:
                if alias.name == "njit":
                    return alias.asname or "njit", True
        elif isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.name == "numba":
                    module_name = module_name or alias.asname or "numba"
    if module_name is not None:
        return f"{module_name}.njit", True
    return "njit", False


def _used_at_module_level(module: ModuleContext, name: str) -> bool:
    """Whether code outside functions and classes names `name` (`fast = njit(slow)`, a
    registry, a call at import time): compiling the helper could change what that code gets."""
    for statement in module.module.body:
        if isinstance(statement, (*FUNCTION_DEFS, ast.ClassDef)):
            nodes = [*statement.decorator_list]
        else:
            nodes = [statement]
        for node in nodes:
            if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node)):
                return True
    return False


def _handed_to_python(module: ModuleContext, name: str) -> bool:
    """Whether code outside compiled functions passes the module-level `name` to a call that is
    not a Numba compiler: numba's own `_generate_next_binding(next_uint32, ...)` overloads its
    argument, and any such call may. Rare enough to look for only when about to report."""
    finder = _HandedToPython(module, name)
    m.visit(module.module, finder)
    return finder.found


class _HandedToPython(m.Visitor):
    """Whether a call outside compiled code hands `name` to something other than a compiler."""

    def __init__(self, module: ModuleContext, name: str) -> None:
        self.module = module
        self.name = name
        self.found = False

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        # Compiled code cannot register anything; it is where the call being checked is.
        return id(node) not in self.module.compiled_nodes

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> bool:
        finder = self.module.finder
        func = node.func
        compiling = finder.entry_kind(func) or (
            isinstance(func, ast.Call) and finder.entry_kind(func.func)
        )
        if not compiling:
            # Every argument: positional, keyword, `*x` and `**x`.
            values = [a.value if isinstance(a, ast.Starred) else a for a in node.args]
            values += [k.value for k in node.keywords]
            for value in values:
                if (
                    isinstance(value, ast.Name)
                    and value.id == self.name
                    and self.module.refers_to_module_level(value)
                ):
                    self.found = True
        return not self.found
