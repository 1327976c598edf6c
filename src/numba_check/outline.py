"""The part of a module the rules need, found with Python's own parser before libcst parses it.

libcst parses about ten times slower than `ast`, and every rule, scope and qualified-name pass
over its tree costs time in proportion to the tree. Most of a module that uses Numba is plain
Python nobody compiles (test methods, setup, I/O), so the engine hands libcst an *outline*: the
same text with the statements no rule can see blanked out, line for line, so every kept
statement keeps its rows, columns and line endings and no position needs translating.

What is kept, whole:

- module-level statements other than ``def``/``class`` (imports, globals, ``if``/``try``
  blocks: the module's bindings);
- every ``def``/``class`` whose decorators name something an import from Numba binds on the
  way to an entry point (``njit``, ``numba``, ``cuda``; not ``types`` or ``lower_builtin``):
  the compiled functions, jitclasses, ``@overload`` implementations;
- every ``def`` handed to an entry point in a call (``g = njit(f)``), where its name is
  visible from the call.

What is trimmed: a ``def`` that encloses a compiled one (closures compiled inside a plain
function or a test), hands a def to an entry point, or names something host code must show
(a module-level compiled function or one compiled code names: call sites, registrations;
``seed``, ``global``, ``overload_method``) keeps its signature and, of its body, the
statements that hold a kept def, spell an entry point or name one of those (a closure's name
only in the defs around it), with every statement binding a name they use, to a fixed point,
so that scopes resolve as in the whole function.

Other module-level ``def``/``class`` statements keep their decorators and signature, with
``pass`` as body, so the module's bindings stay complete; so do the methods of classes (the
names compiled code may call on the module's own types); statements nested in functions go.

A plain function that merely mentions Numba (``cfunc = njit(pyfunc)`` with ``pyfunc`` a
variable, as Numba's own tests do) keeps nothing but its signature: the finder follows names
to their ``def`` only, so nothing in it would be compiled.

The outline is a plan, not a judgement: the libcst passes decide what is compiled, exactly as
on the whole module. Anything the plan cannot follow (a name imported with ``*`` from a module
that is not Numba, code ``ast`` refuses) makes it keep the whole module.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Iterable, Iterator, Sequence

from numba_check.entry_points import ENTRY_POINTS

# Names every Numba entry point may be spelled with after `from numba import *`.
_STAR_NAMES = (
    "jit",
    "njit",
    "vectorize",
    "guvectorize",
    "stencil",
    "cfunc",
    "cuda",
    "jitclass",
    "generated_jit",
    "objmode",
    "prange",
    "overload",
    "register_jitable",
)
# What host code needs kept for the module rules (seeding, `global` rebinding).
_HOST_WORDS = (
    "seed",
    "global",
    # A string given to these names a method compiled code may call on the module's types.
    "overload_method",
    "overload_attribute",
    "make_attribute_wrapper",
)
# Modules on the way to an entry point: `numba`, `numba.cuda`, `numba.extending`...
_ENTRY_MODULES = frozenset(
    name.rsplit(".", depth)[0] for name in ENTRY_POINTS for depth in range(1, name.count(".") + 1)
)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
_WORD = re.compile(r"[A-Za-z_]\w*")

_Def = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
# Nodes whose names are their own, not the enclosing function's.
_OWN_SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_KEEP, _TRIM, _HEADER = 3, 2, 1
# Why a statement of a trimmed def is kept: for the names it binds, or for every use too.
_BINDS, _USES = 1, 2


def outline(source: str, tree: ast.Module) -> str | None:
    """The outline of `source` (parsed as `tree`): the same lines, the statements no rule
    needs blanked; None when nothing in it uses Numba's entry points, so there is nothing to
    check. The whole source comes back unchanged when the plan cannot be made safely."""
    numba_names = _numba_names(tree)
    if numba_names is None:
        return source
    if not numba_names:
        return None
    lines = [m.group() for m in _LINE.finditer(source) if m.group()]
    return _Planner(lines, numba_names).run(tree)


def _numba_names(tree: ast.Module) -> dict[str, set[str]] | None:
    """Every name an import binds, anywhere in the module, that can spell a Numba entry point,
    with what it may stand for: the entry point itself (``njit``) or a module on the way to
    one (``numba``, ``cuda``, ``extending``); not ``types`` or ``prange``. None: unknowable (a
    star import from elsewhere could rebind anything)."""
    names: dict[str, set[str]] = {}
    for node in _statements(tree.body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                name, qualified = alias.asname, alias.name
                if name is None:
                    name = qualified = alias.name.split(".")[0]
                if _reaches_entry(qualified):
                    names.setdefault(name, set()).add(qualified)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            from_numba = node.level == 0 and (module == "numba" or module.startswith("numba."))
            for alias in node.names:
                if alias.name == "*":
                    if not from_numba:
                        return None  # could rebind anything, numba's names included
                    for star in _STAR_NAMES:
                        names.setdefault(star, set()).add(f"{module}.{star}")
                elif node.level == 0 and _reaches_entry(f"{module}.{alias.name}"):
                    names.setdefault(alias.asname or alias.name, set()).add(
                        f"{module}.{alias.name}"
                    )
    return names


def _reaches_entry(qualified: str) -> bool:
    """Whether `qualified` names an entry point or a module that holds one."""
    return qualified in ENTRY_POINTS or qualified in _ENTRY_MODULES


class _Planner:
    def __init__(self, lines: list[str], numba_names: dict[str, set[str]]) -> None:
        self.lines = lines
        self.names = numba_names
        self.numba = _words_pattern(numba_names, attribute=False)
        self.calls = self.mentions = self.numba  # set by run()
        self.keep = bytearray(len(lines) + 2)  # by row (1-based): 0 drop, 1 keep
        self.passes: dict[int, str] = {}  # row -> `pass` line for a block left empty
        self.nested: list[int] = []  # first rows of nested defs kept whole or trimmed, sorted
        # def -> names of the compiled defs nested in it, which its host code may call
        self.local: dict[int, set[str]] = {}

    def run(self, tree: ast.Module) -> str | None:
        defs: list[tuple[_Def, bool]] = []  # every def/class, and whether it binds a global
        parents: dict[int, _Def] = {}  # a nested def -> the def or class around it
        _collect(tree.body, defs, top=True, parents=parents)
        texts = {id(d): self._text(d) for d, _ in defs}
        compiled = {
            id(d)
            for d, _ in defs
            if any(self.numba.search(self._text(x)) for x in d.decorator_list)
        }
        def_names = {d.name for d, _ in defs}
        # Functions handed to an entry point in a call: `njit(f)`, `numba.jit(...)(f)`. Only a
        # name that is a def can be (the finder follows names to their def, not through
        # variables: `cfunc = njit(pyfunc)` with `pyfunc` a variable compiles nothing it sees).
        # Where each name is handed (the defs around the call; None: the module). A nested def
        # is handed only where its name is visible, in a def around the call; a module-level
        # one anywhere.
        sites: dict[str, set[int | None]] = {}
        hands: set[int] = set()  # defs that hand a def to an entry point
        # Each def's calls, its nested defs' included: innermost first, each body walked once.
        handing: dict[int, set[str]] = {}
        for d, _ in reversed(defs):
            if not self.numba.search(texts[id(d)]):
                continue
            targets = handing.pop(id(d), set())
            targets |= _call_form_targets(d, self.numba, prune=True) & def_names
            parent = parents.get(id(d))
            if parent is not None:
                handing.setdefault(id(parent), set()).update(targets)
            if targets and id(d) not in compiled:
                hands.add(id(d))
                for target in targets:
                    sites.setdefault(target, set()).add(id(d))
        rebound: set[str] = set()  # `fast = njit(slow)`: host code calls `fast`
        variables: set[str] = set()  # module-level variables (host code may change them)
        for node in tree.body:
            if isinstance(node, _Def):
                continue
            assigned = set(_assigned_names(node))
            variables.update(assigned)
            if self.numba.search(self._text(node)):
                for target in _call_form_targets(node, self.numba) & def_names:
                    sites.setdefault(target, set()).add(None)
                rebound.update(assigned)
        handed = {
            id(d)
            for d, _ in defs
            if d.name in sites and (id(d) not in parents or id(parents[id(d)]) in sites[d.name])
        }
        if not compiled and not handed:
            return None  # no def is decorated by, or handed to, anything from Numba
        # Defs around compiled ones (closures compiled inside a plain function or a test).
        enclosing: set[int] = set()
        for d, _ in defs:
            if id(d) in compiled:
                parent = parents.get(id(d))
                while parent is not None and id(parent) not in enclosing:
                    enclosing.add(id(parent))
                    parent = parents.get(id(parent))
        # What compiled code may read from the module: the names it uses but does not bind.
        words: set[str] = set(sites)
        for d, _ in defs:
            if id(d) in compiled:
                words.update(set(_WORD.findall(texts[id(d)])) - _own_names(d))
        # Host code that names a compiled function (call sites, with every use of their
        # arguments, for the module rules): a module-level or class-level one anywhere, a
        # closure only in the defs around it.
        called = set(rebound)
        for d, _ in defs:
            if id(d) in compiled or id(d) in handed:
                parent = parents.get(id(d))
                if parent is None or isinstance(parent, ast.ClassDef):
                    called.add(d.name)
                while parent is not None:
                    self.local.setdefault(id(parent), set()).add(d.name)
                    parent = parents.get(id(parent))
        self.calls = _words_pattern(called, attribute=True)
        # Host code that hands a module-level def or class compiled code names to a call
        # (registering it with Numba's extension API; calling it is no such thing), or names
        # a global compiled code reads (changing it after compiling), `seed` or `global`.
        handed_over = {d.name for d, top in defs if top and d.name in words} - called
        self.mentions = re.compile(
            "|".join(
                p.pattern
                for p in (
                    _words_pattern(handed_over, attribute=True, called=False),
                    _words_pattern({*(variables & words), *_HOST_WORDS}, attribute=True),
                )
            )
        )
        decision: dict[int, int] = {}
        for d, top in defs:
            function = not isinstance(d, ast.ClassDef)
            if id(d) in compiled or id(d) in handed:
                decision[id(d)] = _KEEP
            elif function and (
                id(d) in enclosing or id(d) in hands or self._names_host(self._body_text(d))
            ):
                decision[id(d)] = _TRIM
            elif top or isinstance(parents.get(id(d)), ast.ClassDef):
                decision[id(d)] = _HEADER
        self.nested = sorted(
            _first_row(d) for d, top in defs if not top and decision.get(id(d), 0) >= _TRIM
        )
        self._mark(tree.body, decision, top=True)
        return self._render()

    # -- planning ------------------------------------------------------------------------

    def _mark(self, body: Sequence[ast.stmt], decision: dict[int, int], top: bool) -> None:
        for node in body:
            if not isinstance(node, _Def):
                if top or self._relevant(node):
                    self._keep(_first_row(node), _last_row(node))
                continue
            verdict = decision.get(id(node))
            if verdict == _KEEP or not self._header_ends_its_row(node):
                self._keep(_first_row(node), _last_row(node))
                continue
            if verdict is None:
                continue
            self._keep(_first_row(node), node.body[0].lineno - 1)
            if verdict == _TRIM:
                self._trim(node, decision)
            elif isinstance(node, ast.ClassDef):
                self._mark(node.body, decision, top=False)
            self._fill_empty(node.body)

    def _relevant(self, node: ast.stmt) -> int:
        """Why a statement inside a def or class is kept for what it says itself: _USES when
        it holds a def kept whole or trimmed, calls a compiled function or declares a name
        global or nonlocal (rules may look at every use of the variables it names); _BINDS
        when it names an entry point, hands a helper compiled code uses to a call, or names a
        global compiled code reads, `seed` or `global`; 0 when it is not kept for itself."""
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            return _USES
        first, last = _first_row(node), _last_row(node)
        index = bisect.bisect_left(self.nested, first)
        if index < len(self.nested) and self.nested[index] <= last:
            return _USES
        text = self._text(node)
        if self.calls.search(text):
            return _USES
        if self.mentions.search(text) or (self.numba.search(text) and self._names_entry(node)):
            return _BINDS
        return 0

    def _names_host(self, text: str) -> bool:
        return bool(self.calls.search(text) or self.mentions.search(text))

    def _names_entry(self, node: ast.AST) -> bool:
        """Whether `node` spells an entry point (``njit``, ``numba.cuda.jit``) anywhere, as
        the finder would resolve it (``numba.typed.List`` is not one)."""
        for child in ast.walk(node):
            path: list[str] = []
            while isinstance(child, ast.Attribute):
                path.append(child.attr)
                child = child.value
            if isinstance(child, ast.Name) and child.id in self.names:
                rest = "".join(f".{part}" for part in reversed(path))
                if any(q + rest in ENTRY_POINTS for q in self.names[child.id]):
                    return True
        return False

    def _trim(self, function: _Def, decision: dict[int, int]) -> None:
        """Keep, of a function's body, the statements that matter, every statement that uses
        a variable of the function that a closure or a call site there uses (``m[0] = 1``
        before ``f(m)``), and, to a fixed point, every statement that binds a name the kept
        ones use, so that scopes and accesses resolve as in the whole function."""
        rest: list[tuple[ast.stmt, set[str], set[str]]] = []  # statement, binds, words
        words: set[str] = set()  # names whose bindings are kept
        watched: set[str] = set()  # names whose every use is kept
        closure = _words_pattern(self.local.get(id(function), ()), attribute=False)
        for node in function.body:
            text = self._text(node)
            found = set(_WORD.findall(text))
            if isinstance(node, _Def) and decision.get(id(node)) == _TRIM:
                self._mark([node], decision, top=False)
                why = _USES
            else:
                why = self._relevant(node) or (_BINDS if closure.search(text) else 0)
                if not why:
                    rest.append((node, _bound_names(node), found))
                    continue
                self._keep(_first_row(node), _last_row(node))
            words.update(found)
            if why == _USES:
                # A def's own parameters and locals are not the function's variables.
                watched.update(found - _own_names(node) if isinstance(node, _Def) else found)
        variables = set().union(*(binds for _, binds, _ in rest))
        watched &= variables
        changed = True
        while changed and rest:
            changed = False
            for item in list(rest):
                node, binds, used = item
                if binds & words or used & watched:
                    self._keep(_first_row(node), _last_row(node))
                    words.update(used)
                    rest.remove(item)
                    changed = True

    def _header_ends_its_row(self, node: _Def) -> bool:
        """Whether the body starts on a row of its own (`def f(): return 1` does not)."""
        first = node.body[0]
        return self.lines[first.lineno - 1][: first.col_offset].strip() == ""

    def _fill_empty(self, body: Sequence[ast.stmt]) -> None:
        """A block with nothing kept gets `pass` on its first statement's row."""
        if any(self.keep[row] for r in body for row in range(_first_row(r), _last_row(r) + 1)):
            return
        start = _first_row(body[0])
        line = self.lines[start - 1]
        indent = line[: len(line) - len(line.lstrip(" \t\f"))]
        self.passes[start] = indent + "pass"

    def _keep(self, first: int, last: int) -> None:
        self.keep[first : last + 1] = b"\x01" * (last + 1 - first)

    def _text(self, node: ast.AST) -> str:
        return "".join(self.lines[_first_row(node) - 1 : _last_row(node)])

    def _body_text(self, node: _Def) -> str:
        """The rows of `node`'s body (a def's own name is not a use of it)."""
        return "".join(self.lines[node.body[0].lineno - 1 : _last_row(node)])

    # -- output --------------------------------------------------------------------------

    def _render(self) -> str:
        out: list[str] = []
        for row, line in enumerate(self.lines, start=1):
            if self.keep[row]:
                out.append(line)
            else:
                ending = line[len(line.rstrip("\r\n")) :]
                out.append(self.passes.get(row, "") + ending)
        return "".join(out)


def _statements(body: Iterable[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement in `body`, at any depth (expressions are not walked: imports are
    statements, and walking every node would cost as much as the parse)."""
    for node in body:
        yield node
        yield from _statements(_blocks(node))


def _blocks(node: ast.stmt) -> Iterator[ast.stmt]:
    """The statements directly in `node`'s blocks: body, else, finally, handlers, cases."""
    for field in ("body", "orelse", "finalbody", "handlers", "cases"):
        for child in getattr(node, field, ()):
            if isinstance(child, (ast.excepthandler, ast.match_case)):
                yield from child.body
            elif isinstance(child, ast.stmt):
                yield child


def _collect(
    body: Iterable[ast.stmt],
    out: list[tuple[_Def, bool]],
    top: bool,
    parents: dict[int, _Def],
    parent: _Def | None = None,
) -> None:
    """Every def and class in `body`, at any depth; `top` for those that bind module globals
    (also under module-level ``if``/``try``/``with``/loops); each nested one's parent."""
    for node in body:
        if isinstance(node, _Def):
            out.append((node, top))
            if parent is not None:
                parents[id(node)] = parent
            _collect(node.body, out, False, parents, node)
        else:
            _collect(_blocks(node), out, top, parents, parent)


def _first_row(node: ast.AST) -> int:
    decorators = getattr(node, "decorator_list", ())
    rows = [node.lineno, *(d.lineno for d in decorators)]  # type: ignore[attr-defined]
    return min(rows)


def _last_row(node: ast.AST) -> int:
    return node.end_lineno or node.lineno  # type: ignore[attr-defined,no-any-return]


def _words_pattern(
    words: Iterable[str], *, attribute: bool, called: bool = True
) -> re.Pattern[str]:
    """A pattern for any of `words` as a whole word; as an attribute too (``np.random.seed``)
    when `attribute`, else only as a name (``njit``, ``nb.njit``, not ``self.jit``); not
    where it is called (``helper(x)``, not ``register(helper)``) unless `called`."""
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    before = r"(?<!\w)" if attribute else r"(?<![\w.])"
    after = r"\b" if called else r"\b(?!\s*\()"
    return re.compile(rf"{before}(?:{alternatives}){after}" if alternatives else r"(?!x)x")


def _assigned_names(node: ast.AST) -> Iterable[str]:
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
            yield child.id


def _call_form_targets(node: ast.AST, numba: re.Pattern[str], *, prune: bool = False) -> set[str]:
    """Names passed first to a Numba entry point called in `node`: ``njit(f)``, ``jit(...)(f)``;
    with `prune`, not in the defs and classes nested in `node` (in their decorators, yes)."""
    out: set[str] = set()
    for call in _walk(node, prune):
        if not isinstance(call, ast.Call) or not call.args:
            continue
        func = call.func.func if isinstance(call.func, ast.Call) else call.func
        root = func
        while isinstance(root, ast.Attribute):
            root = root.value
        if (
            isinstance(root, ast.Name)
            and numba.fullmatch(root.id)
            and isinstance(call.args[0], ast.Name)
        ):
            out.add(call.args[0].id)
    return out


def _binds(node: ast.AST) -> str | None:
    """The name `node` itself binds, if any: a stored or deleted name, a def or class, an
    import, ``except ... as e``, a match capture."""
    if isinstance(node, ast.Name):
        return None if isinstance(node.ctx, ast.Load) else node.id
    if isinstance(node, (*_DEFS, ast.ExceptHandler, ast.MatchAs, ast.MatchStar)):
        return node.name or None
    if isinstance(node, ast.alias):
        return (node.asname or node.name).split(".")[0]
    if isinstance(node, ast.MatchMapping):
        return node.rest
    return None


def _bound_names(node: ast.stmt) -> set[str]:
    """Every name `node` may bind, at any depth (more than it binds, never less)."""
    return {name for child in ast.walk(node) if (name := _binds(child)) is not None}


def _own_names(node: _Def) -> set[str]:
    """The names a def binds in its own scope: its parameters and what its body binds,
    nested defs, classes, lambdas and comprehensions left out (fewer is safe: the names are
    taken away from what the def may read from outside); none for a class."""
    if isinstance(node, ast.ClassDef):
        return set()
    args = node.args
    own = {
        a.arg
        for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg)
        if a is not None
    }
    stack: list[ast.AST] = list(node.body)
    while stack:
        child = stack.pop()
        name = _binds(child)
        if name is not None:
            own.add(name)
        if isinstance(child, (*_DEFS, *_OWN_SCOPES)):
            continue
        stack.extend(ast.iter_child_nodes(child))
    return own


def _walk(node: ast.AST, prune: bool) -> Iterator[ast.AST]:
    """`ast.walk`; with `prune`, the bodies of the defs and classes under `node` left out."""
    if not prune:
        yield from ast.walk(node)
        return
    stack = [node]
    while stack:
        child = stack.pop()
        yield child
        if child is not node and isinstance(child, _DEFS):
            stack.extend(child.decorator_list)
            continue
        stack.extend(ast.iter_child_nodes(child))
