"""Reaching definitions in one function: which bindings of a local name may reach each read.

Numba types each variable per SSA version and unifies the versions that meet at a join (after an
``if``, at a loop's head) only where the joined variable is read. So whether two values of a
name must share one type is a question of which of its bindings reach one read, not of how many
bindings the function has: ``a = a * 0.5`` after ``a = np.zeros(n, np.int64)`` compiles in
straight-line code and is refused in a loop.

The analysis follows the statements' structure. It under-approximates: a path it cannot follow
(an exception leaving a ``try`` body part way, a ``break`` to after the loop) adds nothing, so a
binding it says reaches a read really can.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from numba_check import matching as m

# One state: the bindings (ids of their nodes) of each name that may reach this point; None
# where the point cannot be reached (after `return`, `raise`, `break`, `continue`).
State = dict[str, frozenset[int]] | None

_MAX_ROUNDS = 8


def _join(a: State, b: State) -> State:
    if a is None:
        return b
    if b is None:
        return a
    out = dict(a)
    for name, defs in b.items():
        out[name] = out.get(name, frozenset()) | defs
    return out


class ReachingDefinitions:
    """For each read (a `Name` in load context, by id) of a name local to `function`, the
    bindings of that name that may reach it (by the id of the binding's node)."""

    def __init__(self, function: ast.FunctionDef | ast.AsyncFunctionDef, local: set[str]):
        self.reads: dict[int, frozenset[int]] = {}
        self._local = local
        self._loops: list[tuple[list[State], list[State]]] = []  # (breaks, continues)
        state: State = {}
        for arg in _parameters(function.args):
            if arg.arg in local:
                state[arg.arg] = frozenset((id(arg),))
        self._body(function.body, state)

    # -- statements ---------------------------------------------------------------------

    def _body(self, statements: Iterable[ast.stmt], state: State) -> State:
        for stmt in statements:
            if state is None:
                return None
            state = self._statement(stmt, state)
        return state

    def _statement(self, stmt: ast.stmt, state: dict[str, frozenset[int]]) -> State:
        cls = type(stmt)
        if cls is ast.Assign:
            self._reads(stmt.value, state)  # type: ignore[attr-defined]
            for target in stmt.targets:  # type: ignore[attr-defined]
                state = self._bind(target, state)
            return state
        if cls is ast.AnnAssign:
            if stmt.value is None:  # type: ignore[attr-defined]
                return state
            self._reads(stmt.value, state)  # type: ignore[attr-defined]
            return self._bind(stmt.target, state)  # type: ignore[attr-defined]
        if cls is ast.AugAssign:
            self._reads(stmt.value, state)  # type: ignore[attr-defined]
            target = stmt.target  # type: ignore[attr-defined]
            if isinstance(target, ast.Name):
                self._read(target, state)
            return self._bind(target, state)
        if cls in (ast.For, ast.AsyncFor):
            self._reads(stmt.iter, state)  # type: ignore[attr-defined]
            return self._loop(stmt, state, target=stmt.target)  # type: ignore[attr-defined]
        if cls is ast.While:
            return self._loop(stmt, state, target=None)
        if cls is ast.If:
            self._reads(stmt.test, state)  # type: ignore[attr-defined]
            body = self._body(stmt.body, dict(state))  # type: ignore[attr-defined]
            orelse = self._body(stmt.orelse, dict(state))  # type: ignore[attr-defined]
            return _join(body, orelse)
        if cls in (ast.With, ast.AsyncWith):
            for item in stmt.items:  # type: ignore[attr-defined]
                self._reads(item.context_expr, state)
                if item.optional_vars is not None:
                    state = self._bind(item.optional_vars, state)
            return self._body(stmt.body, state)  # type: ignore[attr-defined]
        if cls in (ast.Return, ast.Raise):
            for child in ast.iter_child_nodes(stmt):
                self._reads(child, state)
            return None
        if cls is ast.Break:
            if self._loops:
                self._loops[-1][0].append(dict(state))
            return None
        if cls is ast.Continue:
            if self._loops:
                self._loops[-1][1].append(dict(state))
            return None
        if cls is ast.Try or cls.__name__ == "TryStar":
            before = dict(state)
            after = self._body(stmt.body, dict(state))  # type: ignore[attr-defined]
            after = self._body(stmt.orelse, after) if after is not None else None  # type: ignore[attr-defined]
            out = after
            for handler in stmt.handlers:  # type: ignore[attr-defined]
                start = dict(before)
                if handler.name:
                    start = self._kill(handler.name, id(handler), start)
                end = self._body(handler.body, start)
                if handler.name and end is not None:
                    # Python deletes the name when the handler ends.
                    end = dict(end)
                    end.pop(handler.name, None)
                out = _join(out, end)
            if stmt.finalbody:  # type: ignore[attr-defined]
                out = self._body(stmt.finalbody, out if out is not None else dict(before))  # type: ignore[attr-defined]
            return out
        if cls in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            for deco in stmt.decorator_list:  # type: ignore[attr-defined]
                self._reads(deco, state)
            if cls is not ast.ClassDef:
                for default in (*stmt.args.defaults, *stmt.args.kw_defaults):  # type: ignore[attr-defined]
                    if default is not None:
                        self._reads(default, state)
            return self._kill(stmt.name, id(stmt), state)  # type: ignore[attr-defined]
        if cls in (ast.Import, ast.ImportFrom):
            for alias in stmt.names:  # type: ignore[attr-defined]
                if alias.name != "*":
                    name = alias.asname or alias.name.split(".")[0]
                    state = self._kill(name, id(stmt), state)
            return state
        if cls is ast.Delete:
            for target in stmt.targets:  # type: ignore[attr-defined]
                if isinstance(target, ast.Name):
                    state = dict(state)
                    state.pop(target.id, None)
                else:
                    self._reads(target, state)
            return state
        if cls.__name__ == "Match":
            self._reads(stmt.subject, state)  # type: ignore[attr-defined]
            out: State = dict(state)  # no case matched
            for case in stmt.cases:  # type: ignore[attr-defined]
                start = dict(state)
                for capture in m.findall(case.pattern, _CAPTURE_PATTERN):
                    name = getattr(capture, "name", None) or getattr(capture, "rest", None)
                    if name:
                        start = self._kill(name, id(capture), start)
                if case.guard is not None:
                    self._reads(case.guard, start)
                out = _join(out, self._body(case.body, start))
            return out
        # Expr, Assert, Pass, Global, Nonlocal and the rest: only reads.
        for child in ast.iter_child_nodes(stmt):
            self._reads(child, state)
        return state

    def _loop(
        self, stmt: ast.For | ast.AsyncFor | ast.While, state: dict, target: ast.expr | None
    ) -> State:
        entry = dict(state)
        head: dict = dict(entry)
        exits: list[State] = []
        for _ in range(_MAX_ROUNDS):
            if isinstance(stmt, ast.While):
                self._reads(stmt.test, head)
            self._loops.append(([], []))
            start = self._bind(target, dict(head)) if target is not None else dict(head)
            end = self._body(stmt.body, start)
            breaks, continues = self._loops.pop()
            back = end
            for c in continues:
                back = _join(back, c)
            exits = breaks
            new_head = _join(head, back)
            assert new_head is not None
            if new_head == head:
                break
            head = new_head
        # The loop ends at its head (no iteration left, or the test false), then runs `else`.
        out = self._body(stmt.orelse, dict(head))
        for b in exits:
            out = _join(out, b)
        return out

    # -- bindings and reads -------------------------------------------------------------

    def _kill(self, name: str, binding: int, state: dict) -> dict:
        if name not in self._local:
            return state
        state = dict(state)
        state[name] = frozenset((binding,))
        return state

    def _bind(self, target: ast.expr, state: dict) -> dict:
        if isinstance(target, ast.Name):
            return self._kill(target.id, id(target), state)
        if isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                state = self._bind(elt.value if isinstance(elt, ast.Starred) else elt, state)
            return state
        self._reads(target, state)  # `a[i] = ...`, `a.x = ...` read `a` and `i`
        return state

    def _read(self, name: ast.Name, state: dict) -> None:
        defs = state.get(name.id)
        if defs is None or name.id not in self._local:
            return
        key = id(name)
        self.reads[key] = self.reads.get(key, frozenset()) | defs

    def _reads(self, node: ast.AST, state: dict) -> None:
        """Record the reads in an expression (a walrus binds after the expression's other
        reads). Lambdas and comprehensions have scopes of their own: only a lambda's defaults
        and a comprehension's first iterable are read here. Found from the module's index of
        nodes by class, not by walking the expression."""
        if type(node) is ast.Name:
            if type(node.ctx) is ast.Load:  # type: ignore[attr-defined]
                self._read(node, state)  # type: ignore[arg-type]
            return
        found = m.findall(node, _READ_PATTERN)
        if not found:
            return
        scopes = [n for n in found if type(n) in _OWN_SCOPES]
        outside = []
        for scope in scopes:
            if isinstance(scope, ast.Lambda):
                outside += [d for d in (*scope.args.defaults, *scope.args.kw_defaults) if d]
            else:
                outside.append(scope.generators[0].iter)  # type: ignore[attr-defined]
        spans = [_span(s) for s in scopes]
        walruses = []
        for current in found:
            cls = type(current)
            if cls in _OWN_SCOPES:
                continue
            if spans and any(_within(current, s) for s in spans):
                continue
            if cls is ast.Name:
                if type(current.ctx) is ast.Load:  # type: ignore[attr-defined]
                    self._read(current, state)  # type: ignore[arg-type]
            else:
                walruses.append(current)
        for expr in outside:
            self._reads(expr, state)
        for walrus in walruses:
            state.update(self._bind(walrus.target, state))  # type: ignore[attr-defined]
        # A walrus in a comprehension binds the function's name if the comprehension runs
        # it at all: its binding may reach what follows, beside the ones before.
        for comprehension in scopes:
            if isinstance(comprehension, ast.Lambda):
                continue
            for walrus in m.findall(comprehension, m.NamedExpr()):
                if any(_within(walrus, _span(s)) for s in _lambdas_in(comprehension)):
                    continue
                target = walrus.target  # type: ignore[attr-defined]
                if target.id in self._local:
                    defs = state.get(target.id, frozenset())
                    state[target.id] = defs | frozenset((id(target),))


_READ_PATTERN = (
    m.Name() | m.NamedExpr() | m.Lambda() | m.ListComp() | m.SetComp() | m.DictComp()
    | m.GeneratorExp()
)  # fmt: skip
_CAPTURE_PATTERN = m.MatchAs() | m.MatchStar() | m.MatchMapping()
_OWN_SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _lambdas_in(node: ast.AST) -> list[ast.AST]:
    return [n for n in m.findall(node, m.Lambda()) if n is not node]


def _span(node: ast.AST) -> tuple[tuple[int, int], tuple[int, int]]:
    return (
        (node.lineno, node.col_offset),  # type: ignore[attr-defined]
        (node.end_lineno, node.end_col_offset),  # type: ignore[attr-defined]
    )


def _within(node: ast.AST, span: tuple[tuple[int, int], tuple[int, int]]) -> bool:
    return (
        span[0] <= (node.lineno, node.col_offset)
        and (  # type: ignore[attr-defined]
            node.end_lineno,
            node.end_col_offset,  # type: ignore[attr-defined]
        )
        <= span[1]
    )


def _parameters(args: ast.arguments) -> list[ast.arg]:
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    params += [a for a in (args.vararg, args.kwarg) if a is not None]
    return params
