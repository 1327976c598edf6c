"""One file: read -> prefilter -> parse -> compiled functions -> rules -> noqa -> diagnostics."""

from __future__ import annotations

import ast
import contextlib
import functools
import gc
import inspect
import os
import queue
import re
import sys
import threading
import types
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from numba_check import matching, noqa, reading
from numba_check.catalogue import rule_url
from numba_check.compiled import FUNCTION_DEFS, Target
from numba_check.model import Diagnostic, Edit, Fix, Location, Rewrite, RuleFailed
from numba_check.module_context import ModuleContext
from numba_check.prefilter import may_compile, may_use_numba
from numba_check.rules import RULES_BY_CODE, tool
from numba_check.rules.base import (
    FunctionContext,
    ModuleRule,
    Replacement,
    Rule,
    RuleClass,
    Transform,
    Version,
    hook_names,
)
from numba_check.selection import Selection

# The engine walks trees with explicit stacks, but some rules follow expressions recursively
# (a 250-term sum, as generated code holds, is 250 levels of BinOp), and a few hundred levels
# exhaust the default recursion limit. So a module is checked on a thread with a large stack
# (reserved, not committed, memory) and a higher recursion limit; Python itself refuses deeper
# nesting than that allows (see _parse_with_python).
DEEP_STACK_SIZE = 512 * 1024 * 1024
DEEP_RECURSION_LIMIT = 20_000
_T = TypeVar("_T")


@dataclass(frozen=True)
class LintConfig:
    """What the engine needs to know; built once per run from the settings."""

    selection: Selection
    numba_version: Version
    rules: Sequence[RuleClass]
    # Qualified-name patterns that extensions make compilable (see FunctionContext.compilable).
    compilable: frozenset[str] = frozenset()
    # (code, plugin) for each third-party rule: a rule that raises is named with its plugin.
    plugin_of: tuple[tuple[str, str], ...] = ()
    # The codes whose fixes are offered (--unfixable, --extend-fixable); None: all of them.
    fixable: Selection | None = None


@dataclass(frozen=True)
class FileResult:
    filename: str
    diagnostics: tuple[Diagnostic, ...]
    source: str | None  # None when the file could not be read or decoded


def read_source(path: Path, name: str | None = None) -> tuple[str | None, Diagnostic | None]:
    """The text of `path`, or the NB9xx diagnostic (naming it `name`) that says why there is none."""
    name = name or str(path)
    try:
        data = reading.read_bytes(path)  # a FIFO or a device is refused, not read
    except OSError as exc:
        return None, tool.diagnostic(
            tool.UnreadableFile, name, f"Cannot read file: {exc.strerror or exc}"
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1)
        return None, tool.diagnostic(
            tool.NotUtf8,
            name,
            f"File is not valid UTF-8 (byte 0x{data[exc.start]:02x}); Python and numba-check read source as UTF-8",
            Location(line, column),
        )


def check_file(path: Path, config: LintConfig, filename: str | None = None) -> FileResult:
    filename = filename or str(path)
    source, problem = read_source(path, filename)
    if source is None:
        assert problem is not None
        return FileResult(filename, selected([problem], config, filename), None)
    return FileResult(filename, check_text(source, filename, config), source)


def check_text(source: str, filename: str, config: LintConfig) -> tuple[Diagnostic, ...]:
    """Diagnostics for one module's source, filtered by selection and noqa, sorted."""
    if not source.strip():
        if Path(filename).name == "__init__.py":
            return ()  # an empty package marker is normal
        return selected(
            [tool.diagnostic(tool.EmptyFile, filename, "File is empty")], config, filename
        )
    if not may_use_numba(source):
        return ()
    # Only a module that may hold the whole-file directive has its comments read before it is
    # parsed; the others' are read afterwards, from the few lines that may hold a directive.
    early = noqa.parse(source) if noqa.FILE_RE.search(source) else None
    if early is not None and early.file_all:
        return ()
    if not may_compile(source):
        # Nothing in it can be compiled, so there is nothing to check: like a module that
        # never imports numba, it is not even parsed (a third of the modules that import it).
        if not config.selection.enabled(tool.UnusedNoqa.code, filename):
            return ()  # and nothing found, so no noqa comment can matter
        return _finish([], filename, config, early or noqa.parse(source))
    with _collector_paused():
        return _check_parsable(source, filename, config, early)


def _check_parsable(
    source: str, filename: str, config: LintConfig, early: noqa.Suppressions | None
) -> tuple[Diagnostic, ...]:
    tree, refused = _parse_with_python(source, filename)
    if tree is None:
        assert refused is not None
        return selected([refused], config, filename)
    try:
        return _on_deep_stack(lambda: _check_module(tree, source, filename, config, early))
    finally:
        # With the collector paused, a module's trees must die by reference counting: nothing
        # of them may outlive it (tests/robustness/test_memory.py checks that no cycle is left).
        matching.release_index(tree)


def _check_module(
    tree: ast.Module,
    source: str,
    filename: str,
    config: LintConfig,
    early: noqa.Suppressions | None,
) -> tuple[Diagnostic, ...]:
    try:
        ctx = ModuleContext(tree, source)
        rules = [r for r in config.rules if config.selection.enabled(r.code, filename)]
        found: list[Diagnostic] = []
        if ctx.compiled and rules:
            found = list(_run_rules(ctx, rules, config, filename))
    except RecursionError:
        # Only where the deep stack could not be had, or Python limits recursion through C
        # code on its own (3.12+): nesting that Python compiles but this run cannot follow.
        diag = tool.diagnostic(
            tool.SyntaxErrorRule, filename, "Cannot check: expressions nested too deeply"
        )
        return selected([diag], config, filename)
    suppressions = early if early is not None else noqa.parse(source, ctx.string_lines)
    return _finish(found, filename, config, suppressions)


def _finish(
    found: list[Diagnostic], filename: str, config: LintConfig, suppressions: noqa.Suppressions
) -> tuple[Diagnostic, ...]:
    kept, unused = suppressions.apply(found)
    if config.selection.enabled(tool.UnusedNoqa.code, filename):
        kept.extend(
            replace(tool.diagnostic(tool.UnusedNoqa, filename, msg, loc), fix=fix)
            for loc, msg, fix in unused
        )
    if config.fixable is not None:
        allowed = config.fixable.enabled
        kept = [d if d.fix is None or allowed(d.code) else replace(d, fix=None) for d in kept]
    return tuple(sorted(kept, key=Diagnostic.sort_key))


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while one module is linted.

    Parsing allocates hundreds of thousands of nodes, and every few hundred allocations the
    collector scans them all again, although a module's trees die by reference counting when
    the module is done. Pausing it took a third off the CPU time on the benchmark tree
    (80 -> 52 CPU-s); what cyclic garbage one module leaves is collected once it is back on.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _parse_with_python(source: str, filename: str) -> tuple[ast.Module | None, Diagnostic | None]:
    """The module as Python's own parser reads it, or the NB901/NB902 that says why there is
    none (a syntax error, nesting beyond the parser's limits, null bytes, lone surrogates)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarnings belong to the user's Python
            return ast.parse(source), None
    except (RecursionError, MemoryError):
        return None, tool.diagnostic(
            tool.SyntaxErrorRule, filename, "Cannot parse: expressions nested too deeply"
        )
    except UnicodeEncodeError as exc:
        # Only a str handed to the API can hold one: files are decoded strictly.
        return None, tool.diagnostic(
            tool.NotUtf8,
            filename,
            f"Source is not valid UTF-8 (lone surrogate U+{ord(exc.object[exc.start]):04X})",
            _offset_location(source, exc.start) if exc.object is source else tool.FILE_START,
        )
    except ValueError:  # null bytes, on Pythons that raise ValueError for them
        return None, _null_bytes(source, filename)
    except SyntaxError as exc:
        if "null bytes" in str(exc.msg):
            return None, _null_bytes(source, filename)  # Python gives no position for these
        return None, tool.diagnostic(
            tool.SyntaxErrorRule,
            filename,
            f"Cannot parse: {exc.msg}",
            Location(exc.lineno or 1, max((exc.offset or 1) - 1, 0)),
        )


def _null_bytes(source: str, filename: str) -> Diagnostic:
    return tool.diagnostic(
        tool.SyntaxErrorRule,
        filename,
        "Cannot parse: source code cannot contain null bytes",
        _offset_location(source, max(source.find("\0"), 0)),
    )


def _offset_location(source: str, offset: int) -> Location:
    # Lines end at \n, \r\n or \r, as Python's tokenizer counts them.
    before = source[:offset]
    lines = re.split(r"\r\n|\r|\n", before)
    return Location(len(lines), len(lines[-1]))


class _Job:
    """One module's check handed to the deep-stack worker, and what came of it."""

    __slots__ = ("done", "outcome", "work")

    def __init__(self, work: Callable[[], Any]) -> None:
        self.work: Callable[[], Any] | None = work
        self.done = threading.Event()
        # What the caller gets if the worker ends without giving an outcome.
        self.outcome: tuple[bool, Any] = (False, RuntimeError("the check's thread ended early"))


class _DeepWorker:
    """A thread with DEEP_STACK_SIZE of stack, kept from one module to the next: starting one
    per module cost as much as checking a small module (a thread's start, and its fresh stack
    and frame chunks faulting in). It runs one check at a time; a thread that finds it busy
    (the language server's) gets a thread of its own. A check interrupted while it ran
    (Ctrl-C) leaves the worker to finish it and end, and the next check starts another."""

    def __init__(self) -> None:
        self._forget()
        if hasattr(os, "register_at_fork"):
            # A forked child (the parallel CLI's workers) has no copy of the thread, and the
            # lock may have been held when it forked.
            os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._busy = threading.Lock()
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def run(self, work: Callable[[], _T]) -> tuple[bool, _T | BaseException] | None:
        """(True, result) or (False, the exception raised) once the worker ran `work`; None
        when it cannot: busy, or no thread with that stack could be started."""
        if not self._busy.acquire(blocking=False):
            return None
        try:
            if (self._thread is None or not self._thread.is_alive()) and not self._start():
                return None
            job = _Job(work)
            self._jobs.put(job)
            try:
                job.done.wait()
            except BaseException:
                if not job.done.is_set():
                    self._retire()  # it is still on the interrupted check
                raise
            return job.outcome
        finally:
            self._busy.release()

    def stop(self) -> None:
        """End the thread, after the check it runs if any; the next check starts another, which
        takes up what `threading.setprofile` and `settrace` set since (tests count its calls)."""
        with self._busy:
            if self._thread is not None:
                self._jobs.put(None)
                self._thread.join()
                self._thread = None

    def _retire(self) -> None:
        """Let the thread end after the check it runs, without waiting for it."""
        self._jobs.put(None)
        self._jobs = queue.SimpleQueue()
        self._thread = None

    def _start(self) -> bool:
        thread = threading.Thread(
            target=self._serve, args=(self._jobs,), name="numba-check-deep", daemon=True
        )
        if not _start_deep(thread):
            return False
        self._thread = thread
        return True

    @staticmethod
    def _serve(jobs: queue.SimpleQueue[_Job | None]) -> None:
        while (job := jobs.get()) is not None:
            try:
                job.outcome = _outcome(job.work)  # type: ignore[arg-type]
            finally:
                # Nothing of the module may outlive its check here (test_memory.py), and the
                # caller is woken whatever happened.
                job.work = None
                done, job = job.done, None
                done.set()
                del done


def _outcome(work: Callable[[], _T]) -> tuple[bool, _T | BaseException]:
    """(True, what `work()` returns) or (False, what it raised), to hand to the calling thread."""
    try:
        return True, work()
    except BaseException as exc:  # noqa: BLE001 - re-raised on the calling thread
        return False, exc


# `threading.stack_size` is the process's: set and put back around one start at a time, or
# two threads starting at once may leave every later thread of the process with a deep stack.
_STACK_SIZE_LOCK = threading.Lock()
# Once a platform refuses to size a stack, it is not asked again for every module.
_DEEP_UNAVAILABLE = False


def _start_deep(thread: threading.Thread) -> bool:
    """Start `thread` with DEEP_STACK_SIZE of stack; False where the platform cannot."""
    global _DEEP_UNAVAILABLE
    if _DEEP_UNAVAILABLE:
        return False
    with _STACK_SIZE_LOCK:
        try:
            previous_size = threading.stack_size(DEEP_STACK_SIZE)
        except (ValueError, RuntimeError):  # a platform that cannot size thread stacks
            _DEEP_UNAVAILABLE = True
            return False
        try:
            thread.start()
        except RuntimeError:  # no thread now (too many?): this module runs without one
            return False
        finally:
            threading.stack_size(previous_size)
    return True


_DEEP = _DeepWorker()
stop_deep_worker = _DEEP.stop


def _on_deep_stack(work: Callable[[], _T]) -> _T:
    """`work()`, run on a thread with DEEP_STACK_SIZE of stack and DEEP_RECURSION_LIMIT."""
    # The limit is per interpreter: raise it (never lower it) while the worker runs, from before
    # it starts (it may recurse deep before this thread runs again). Another thread linting at
    # the same time may restore it early; it then reports NB901, no crash.
    previous_limit = sys.getrecursionlimit()
    raised = previous_limit < DEEP_RECURSION_LIMIT
    if raised:
        sys.setrecursionlimit(DEEP_RECURSION_LIMIT)
    try:
        outcome = _DEEP.run(work)
        if outcome is None:
            outcome = _on_own_deep_stack(work)
    finally:
        if raised:
            sys.setrecursionlimit(previous_limit)
    if outcome is None:
        return work()  # on this thread, with its own limits
    ok, result = outcome
    del outcome
    if ok:
        return result  # type: ignore[return-value]
    try:
        raise result  # type: ignore[misc]
    finally:
        del result  # no cycle of this frame and the traceback: the module's trees die now


def _on_own_deep_stack(work: Callable[[], _T]) -> tuple[bool, _T | BaseException] | None:
    """Like _DeepWorker.run, on a thread started for `work` alone."""
    outcome: list[tuple[bool, Any]] = []
    worker = threading.Thread(
        target=lambda: outcome.append(_outcome(work)), name="numba-check-deep", daemon=True
    )
    if not _start_deep(worker):
        return None
    worker.join()
    return outcome[0] if outcome else (False, RuntimeError("the check's thread ended early"))


def selected(
    diags: Iterable[Diagnostic], config: LintConfig, filename: str
) -> tuple[Diagnostic, ...]:
    return tuple(d for d in diags if config.selection.enabled(d.code, filename))


def _run_rules(
    ctx: ModuleContext, rules: Sequence[RuleClass], config: LintConfig, filename: str
) -> Iterable[Diagnostic]:
    version = config.numba_version
    module_rules = tuple(r for r in rules if issubclass(r, ModuleRule))
    function_rules = tuple(r for r in rules if not issubclass(r, ModuleRule))
    for function in ctx.compiled:
        always, ask = _by_kind(function_rules, function.target, function.nopython(version), version)
        with _naming_a_failing_rule(ask, config, filename):
            applicable = always + tuple(r for r in ask if r.applies(function, version))
        if not applicable:
            continue
        fctx = FunctionContext(function, ctx, version, compilable=config.compilable)
        with _naming_a_failing_rule(applicable, config, filename):
            _run(fctx, applicable, function.node.body, skip_root=function.node)
        yield from _diagnostics(fctx, filename)
    kinds = {(f.target, f.nopython(version)) for f in ctx.compiled}
    with _naming_a_failing_rule(module_rules, config, filename):
        applicable = tuple(r for r in module_rules if _module_rule_applies(r, ctx, kinds, version))
    if applicable:
        fctx = FunctionContext(None, ctx, version, compilable=config.compilable)
        with _naming_a_failing_rule(applicable, config, filename):
            _run(fctx, applicable, [ctx.module], skip_root=None)
        yield from _diagnostics(fctx, filename)


@contextlib.contextmanager
def _naming_a_failing_rule(
    rules: Sequence[RuleClass], config: LintConfig, filename: str
) -> Iterator[None]:
    """An exception raised by one of `rules` (its hooks, its `finish`) becomes RuleFailed,
    naming the rule, the file and, for a plugin's rule, the plugin. Nesting too deep to follow
    stays a RecursionError, which the engine reports as such."""
    try:
        yield
    except (RecursionError, MemoryError):
        raise
    except Exception as exc:
        rule = _culprit(exc, rules)
        if rule is None:
            raise
        plugin = dict(config.plugin_of).get(rule.code)
        who = f"plugin {plugin!r}: rule" if plugin else "rule"
        raise RuleFailed(
            f"{who} {rule.code} ({rule.name}) failed on {filename}: {type(exc).__name__}: {exc}",
            plugin,
        ) from exc


def _culprit(exc: BaseException, rules: Sequence[RuleClass]) -> RuleClass | None:
    """The rule whose method (or class method) raised `exc`: the innermost frame of its
    traceback whose `self` or `cls` is one of `rules`."""
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    classes = set(rules)
    for frame in reversed(frames):
        names = frame.f_code.co_varnames[:1]
        if not names or names[0] not in ("self", "cls"):
            continue
        owner = frame.f_locals.get(names[0])
        rule = owner if isinstance(owner, type) else type(owner)
        if rule in classes:
            return rule
    return None


@functools.cache
def _by_kind(
    rules: tuple[RuleClass, ...], target: Target, nopython: bool, version: Version
) -> tuple[tuple[RuleClass, ...], tuple[RuleClass, ...]]:
    """The rules that apply to every compiled function of this target and mode, and those
    that must be asked about each function (they declare `reads_options`). The others'
    `applies` reads no more than the target and the mode, and each of the thousands of
    compiled functions would ask it again."""
    ask = tuple(r for r in rules if r.reads_options)
    probe = _Probe(target, nopython)
    always = tuple(r for r in rules if not r.reads_options and r.applies(probe, version))  # type: ignore[arg-type]
    return always, ask


@dataclass(frozen=True)
class _Probe:
    """All that `Rule.applies` reads of a compiled function, unless it declares `reads_options`."""

    target: Target
    _nopython: bool

    def nopython(self, version: Version) -> bool:
        return self._nopython


def _module_rule_applies(
    rule: RuleClass, ctx: ModuleContext, kinds: set[tuple[Target, bool]], version: Version
) -> bool:
    """Whether `rule` applies to some compiled function of the module: the module's distinct
    targets and modes answer it, unless it declares `reads_options`."""
    if not rule.reads_options:
        return any(rule.applies(_Probe(*kind), version) for kind in kinds)  # type: ignore[arg-type]
    return any(rule.applies(f, version) for f in ctx.compiled)


def _run(
    fctx: FunctionContext,
    rule_classes: tuple[RuleClass, ...],
    trees: Sequence[ast.AST],
    skip_root: ast.AST | None,
) -> None:
    """Run the rules over `trees`; what they find is left in ``fctx.reports``."""
    ctx = fctx.module
    instances = [rule for rule in (r(fctx) for r in rule_classes) if rule.active()]
    if instances:
        hooks = _hooks(tuple(type(rule) for rule in instances), skip_root is not None)
        _Runner(instances, hooks, ctx, skip_root).run(trees)
        for rule in instances:
            rule.finish()


def _means_here(ctx: ModuleContext, replacement: Replacement | Transform) -> bool:
    """Whether every name the replacement writes means, where it is written, what the rule
    meant it to (see Replacement.writes)."""
    names = ctx.names
    return all(names.means(replacement.old, n, q) for n, q in replacement.writes)


def _diagnostics(fctx: FunctionContext, filename: str) -> Iterator[Diagnostic]:
    ctx = fctx.module
    for report in fctx.reports:
        rule = report.rule
        start, end = ctx.span(report.node)
        fix = None
        transform = report.transform
        if rule.fix_applicability is None:
            pass
        elif transform is not None:
            if _means_here(ctx, transform):
                rewrite = Rewrite(transform.kind, *ctx.span(transform.old), transform.args)
                fix = Fix(rule.fix_applicability, rule.fix_message, (), rewrite)
        elif report.replacements and all(_means_here(ctx, r) for r in report.replacements):
            edits = tuple(Edit(*ctx.span(r.old), r.new) for r in report.replacements)
            fix = Fix(rule.fix_applicability, rule.fix_message, edits)
        yield Diagnostic(
            code=rule.code,
            name=rule.name,
            message=report.message,
            severity=rule.severity,
            filename=filename,
            location=start,
            end_location=end,
            fix=fix,
            url=rule_url(rule.code),
        )


_WITH = (ast.With, ast.AsyncWith)
_DEFS_AND_WITHS = frozenset((*FUNCTION_DEFS, *_WITH))
# A rule's hook for an event: its position among the rules run, and the function to call.
_Handlers = tuple[tuple[int, Callable[[Any, ast.AST], object]], ...]
# Hooks by event key: the node class (``visit_Call``) or "class_field" (``visit_Try_body``).
_Table = dict[object, _Handlers]


@dataclass(frozen=True)
class _Hooks:
    """Who handles which event, for one tuple of rule classes: built once per tuple."""

    visits: _Table
    leaves: _Table
    objmode_visits: _Table  # within `with objmode():`, the rules that hold there only
    objmode_leaves: _Table
    fields: frozenset[str]  # the hooked fields (``Try_body``)
    visited: frozenset[type]  # the classes to visit and to leave
    left: frozenset[type]


@functools.cache
def _hooks(rule_classes: tuple[RuleClass, ...], function: bool) -> _Hooks:
    """The `visit_X`/`leave_X` (and `visit_X_field`/`leave_X_field`) hooks of the rules.
    Over a function, defs (nested compiled functions are skipped) and with statements
    (objmode blocks) are looked at whatever the rules hook."""
    every = _tables(rule_classes, lambda _: True)
    objmode = _tables(rule_classes, lambda rule: rule.object_mode)
    names = {_key_name(k) for table in every for k in table}
    fields = frozenset(n for n in names if _is_field(n))
    own = _DEFS_AND_WITHS if function else frozenset()
    return _Hooks(
        *every,
        *objmode,
        fields=fields,
        visited=frozenset(k for k in every[0] if isinstance(k, type)) | own,
        left=frozenset(k for k in every[1] if isinstance(k, type)) | own,
    )


def _tables(
    rule_classes: Sequence[RuleClass], keep: Callable[[RuleClass], bool]
) -> tuple[_Table, _Table]:
    visits: dict[object, list[tuple[int, Callable[[Any, ast.AST], object]]]] = {}
    leaves: dict[object, list[tuple[int, Callable[[Any, ast.AST], object]]]] = {}
    for position, rule in enumerate(rule_classes):
        if not keep(rule):
            continue
        for attr in hook_names(rule):
            table = visits if attr.startswith("visit_") else leaves
            hooked = attr[6:]
            key: object = hooked if _is_field(hooked) else getattr(ast, hooked, hooked)
            table.setdefault(key, []).append((position, _unbound(rule, attr)))
    return (
        {k: tuple(v) for k, v in visits.items()},
        {k: tuple(v) for k, v in leaves.items()},
    )


def _unbound(rule: RuleClass, attr: str) -> Callable[[Any, ast.AST], object]:
    """`rule`'s hook as a function of (rule instance, node)."""
    found = inspect.getattr_static(rule, attr)
    if isinstance(found, types.FunctionType):
        return found  # type: ignore[no-any-return]
    return lambda instance, node: getattr(instance, attr)(node)  # a static or class method


def _key_name(key: object) -> str:
    return key.__name__ if isinstance(key, type) else str(key)


def _is_field(hook: str) -> bool:
    """`Try_body` (a field of a class), not `match_case` (a class whose name has a `_`)."""
    kind, _, field = hook.partition("_")
    cls = getattr(ast, kind, None)
    return isinstance(cls, type) and field in getattr(cls, "_fields", ())


class _Runner:
    """Runs many rules in one traversal, calling their ``visit_X``/``leave_X`` (and
    ``visit_X_field``/``leave_X_field``) methods in source order.

    It is driven by `matching.visit_classes`, which reads the nodes of the classes some rule
    hooks from the module's index, in source order (expression contexts and operators are
    fields, never visited).

    Over a compiled function (``root`` given) it prunes nested compiled functions, and inside
    `with numba.objmode():` blocks, which Numba compiles in object mode, it runs only the rules
    that hold there too (``object_mode``: bytecode Numba cannot analyse in any mode). Over a
    whole module (``root`` None, for module rules) it visits everything.
    """

    def __init__(
        self, rules: Sequence[Rule], hooks: _Hooks, ctx: ModuleContext, root: ast.AST | None
    ) -> None:
        self._rules = rules
        self._hooks = hooks
        self._visits, self._leaves = hooks.visits, hooks.leaves
        self._ctx = ctx
        self._function = root is not None
        self._skip = ctx.compiled_nodes if root is not None else frozenset()
        self._root = id(root)
        self._objmode_blocks: list[ast.With | ast.AsyncWith] = []

    def run(self, trees: Sequence[ast.AST]) -> None:
        hooks = self._hooks
        matching.index_of(self._ctx.module)
        matching.visit_classes(trees, self, hooks.visited, hooks.left, hooks.fields)

    def on_visit(self, node: ast.AST) -> bool:
        cls = type(node)
        if cls in _DEFS_AND_WITHS:
            key = id(node)
            if key in self._skip and key != self._root:
                return False  # linted on its own, with its own target
        handlers = self._visits.get(cls)
        if handlers:
            rules = self._rules
            for position, hook in handlers:
                hook(rules[position], node)
        if self._function and cls in _WITH and self._ctx.is_objmode(node):  # type: ignore[arg-type]
            self._objmode_blocks.append(node)  # type: ignore[arg-type]
            self._visits, self._leaves = self._hooks.objmode_visits, self._hooks.objmode_leaves
        return True

    def on_visit_attribute(self, node: ast.AST, attribute: str) -> None:
        self._fire(self._visits, f"{type(node).__name__}_{attribute}", node)

    def on_leave_attribute(self, original_node: ast.AST, attribute: str) -> None:
        self._fire(self._leaves, f"{type(original_node).__name__}_{attribute}", original_node)

    def on_leave(self, original_node: ast.AST) -> None:
        cls = type(original_node)
        if cls in _DEFS_AND_WITHS:
            key = id(original_node)
            if key in self._skip and key != self._root:
                return
            if self._objmode_blocks and self._objmode_blocks[-1] is original_node:
                self._objmode_blocks.pop()
                if not self._objmode_blocks:
                    self._visits, self._leaves = self._hooks.visits, self._hooks.leaves
        handlers = self._leaves.get(cls)
        if handlers:
            rules = self._rules
            for position, hook in handlers:
                hook(rules[position], original_node)

    def _fire(self, table: _Table, key: object, node: ast.AST) -> None:
        handlers = table.get(key)
        if handlers:
            rules = self._rules
            for position, hook in handlers:
                hook(rules[position], node)


def build_config(
    selection: Selection,
    numba_version: Version,
    extra_rules: Sequence[RuleClass] = (),
    compilable: Iterable[str] = (),
    plugin_of: Mapping[str, str] | None = None,
    fixable: Selection | None = None,
) -> LintConfig:
    # Tool diagnostics (NB9xx) target no function: the engine emits them itself.
    rules = [r for r in (*RULES_BY_CODE.values(), *extra_rules) if r.targets]
    origins = tuple(sorted((plugin_of or {}).items()))
    return LintConfig(
        selection, numba_version, tuple(rules), frozenset(compilable), origins, fixable
    )
