"""The part of a module the rules need, found with Python's own parser before libcst parses it.

libcst parses about ten times slower than `ast`, and every rule, scope and qualified-name pass
over its tree costs time in proportion to the tree. Most of a module that uses Numba is plain
Python nobody compiles (test methods, setup, I/O), so the engine hands libcst an *outline*: the
same text with the statements no rule can see blanked out, line for line, so every kept
statement keeps its rows, columns and line endings and no position needs translating.

What is kept, whole:

- module-level statements other than ``def``/``class`` (imports, globals, ``if``/``try``
  blocks: the module's bindings);
- every ``def``/``class`` whose decorators name something imported from Numba (the compiled
  functions, jitclasses, ``@overload`` implementations);
- every ``def`` that encloses one (closures compiled inside a plain function or a test) or
  hands a def to an entry point in a call (``g = njit(f)``);
- every ``def``/``class`` compiled code may refer to: a module-level function or class named in
  a compiled function, or passed to a Numba entry point in a call;
- every ``def`` that names one of those (call sites: kernel launches, arguments), declares a
  ``global`` or seeds a random generator, for the module rules that look at host code.

A plain function that merely mentions Numba (``cfunc = njit(pyfunc)`` with ``pyfunc`` a
variable, as Numba's own tests do) is not kept: the finder follows names to their ``def``
only, so nothing in it would be compiled.

Other module-level ``def``/``class`` statements keep their decorators and signature, with
``pass`` as body, so the module's bindings stay complete; statements nested in them go. A
class whose body holds kept methods keeps those methods.

The outline is a plan, not a judgement: the libcst passes decide what is compiled, exactly as
on the whole module. Anything the plan cannot follow (a name imported with ``*`` from a module
that is not Numba, code ``ast`` refuses) makes it keep the whole module.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator, Sequence

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
_HOST_WORDS = ("seed", "global")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
_WORD = re.compile(r"[A-Za-z_]\w*")

_Def = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
_KEEP, _HEADER = 2, 1


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


def _numba_names(tree: ast.Module) -> set[str] | None:
    """Every name an import from Numba binds, anywhere in the module (None: unknowable)."""
    names: set[str] = set()
    for node in _statements(tree.body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "numba" or alias.name.startswith("numba."):
                    names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            from_numba = node.level == 0 and (module == "numba" or module.startswith("numba."))
            for alias in node.names:
                if alias.name == "*":
                    if from_numba:
                        names.update(_STAR_NAMES)
                    else:
                        return None  # could rebind anything, numba's names included
                elif from_numba:
                    names.add(alias.asname or alias.name)
    return names


class _Planner:
    def __init__(self, lines: list[str], numba_names: set[str]) -> None:
        self.lines = lines
        self.numba = _words_pattern(numba_names, attribute=False)
        self.keep = bytearray(len(lines) + 2)  # by row (1-based): 0 drop, 1 keep
        self.passes: dict[int, str] = {}  # row -> `pass` line for a block left empty

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
        handed: set[str] = set()
        hands: set[int] = set()  # defs that hand a def to an entry point
        for d, _ in defs:
            if id(d) not in compiled and self.numba.search(texts[id(d)]):
                targets = _call_form_targets(d, self.numba) & def_names
                if targets:
                    handed.update(targets)
                    hands.add(id(d))
        rebound: set[str] = set()  # `fast = njit(slow)`: host code calls `fast`
        for node in tree.body:
            if not isinstance(node, _Def) and self.numba.search(self._text(node)):
                handed.update(_call_form_targets(node, self.numba) & def_names)
                rebound.update(_assigned_names(node))
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
        # What compiled code refers to: module-level functions and classes named in it.
        used: set[str] = set(handed)
        for d, _ in defs:
            if id(d) in compiled:
                used.update(_WORD.findall(texts[id(d)]))
        named = handed | rebound | {d.name for d, _ in defs if id(d) in compiled}
        host = _words_pattern({*named, *_HOST_WORDS}, attribute=True)
        decision: dict[int, int] = {}
        for d, top in defs:
            function = not isinstance(d, ast.ClassDef)
            if (
                id(d) in compiled
                or d.name in handed
                or (top and d.name in used)
                or (function and (id(d) in enclosing or id(d) in hands))
                or (function and host.search(texts[id(d)]))
            ):
                decision[id(d)] = _KEEP
            elif top:
                decision[id(d)] = _HEADER
        self._mark(tree.body, decision, top=True)
        return self._render()

    # -- planning ------------------------------------------------------------------------

    def _mark(self, body: Sequence[ast.stmt], decision: dict[int, int], top: bool) -> None:
        for node in body:
            if not isinstance(node, _Def):
                if top or self.numba.search(self._text(node)):
                    self._keep(_first_row(node), _last_row(node))
                continue
            verdict = decision.get(id(node))
            if verdict == _KEEP or not self._header_ends_its_row(node):
                self._keep(_first_row(node), _last_row(node))
            elif isinstance(node, ast.ClassDef) and self._has_kept_part(node, decision):
                self._keep(_first_row(node), node.body[0].lineno - 1)
                self._mark(node.body, decision, top=False)
                self._fill_empty(node.body)
            elif verdict == _HEADER:
                self._keep(_first_row(node), node.body[0].lineno - 1)
                self._fill_empty(node.body)

    def _has_kept_part(self, node: ast.ClassDef, decision: dict[int, int]) -> bool:
        return any(
            decision.get(id(n)) == _KEEP
            or (isinstance(n, ast.ClassDef) and self._has_kept_part(n, decision))
            or (not isinstance(n, _Def) and self.numba.search(self._text(n)))
            for n in node.body
        )

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


def _words_pattern(words: Iterable[str], *, attribute: bool) -> re.Pattern[str]:
    """A pattern for any of `words` as a whole word; as an attribute too (``np.random.seed``)
    when `attribute`, else only as a name (``njit``, ``nb.njit``, not ``self.jit``)."""
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    before = r"(?<!\w)" if attribute else r"(?<![\w.])"
    return re.compile(rf"{before}(?:{alternatives})\b" if alternatives else r"(?!x)x")


def _assigned_names(node: ast.AST) -> Iterable[str]:
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
            yield child.id


def _call_form_targets(node: ast.AST, numba: re.Pattern[str]) -> set[str]:
    """Names passed first to a Numba entry point called in `node`: ``njit(f)``, ``jit(...)(f)``."""
    out: set[str] = set()
    for call in ast.walk(node):
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
