"""``numba-check check --verify``: the installed Numba's verdict for every compiled function
whose argument types can be known statically, without importing or running the user's code.

`plan` (this process, no Numba) writes a recipe per compiled function; `pool` hands recipes to
worker processes that run `worker` (Numba imported there, and only there); this module turns
their results into diagnostics (NB950 refused, NB951 could not verify), caches them, and
counts what happened. See docs/verify.md.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from numba_check.model import Diagnostic, Location, Severity
from numba_check.settings import ConfigError, Settings
from numba_check.verify.recipe import Outcome, Recipe, Result
from numba_check.versions import Version

if TYPE_CHECKING:
    from numba_check.api import RunResult
    from numba_check.verify.plan import ModuleInfo

CACHE_FORMAT = 1
# Statuses of a compiled function, as counted and documented.
VERIFIED, REFUSED, COULD_NOT, UNTYPED, UNSUPPORTED = (
    "verified",
    "refused",
    "could-not-verify",
    "not-verified",
    "unsupported",
)


def installed_numba() -> Version | None:
    """The installed Numba's version, from its metadata (never imported here), or None; None
    too where metadata remains but the package itself is gone."""
    import importlib.util

    from numba_check.settings import installed_numba as from_metadata

    if importlib.util.find_spec("numba") is None:
        return None
    return from_metadata()


def require_numba() -> Version:
    """The installed Numba's version; ConfigError (one line, exit 2) when there is none."""
    version = installed_numba()
    if version is None:
        raise ConfigError(
            "--verify needs Numba installed in the Python that runs numba-check "
            f"({sys.executable}): pip install numba"
        )
    return version


@dataclass(frozen=True)
class FunctionReport:
    """What --verify found for one compiled function."""

    filename: str
    name: str
    line: int
    status: str
    detail: str = ""  # the types, or why not verified
    seconds: float = 0.0


@dataclass
class Verification:
    """The verdicts of one --verify run."""

    functions: list[FunctionReport] = field(default_factory=list)
    # NB950 and NB951 diagnostics by file, before selection and noqa.
    diagnostics: dict[str, list[Diagnostic]] = field(default_factory=dict)
    could_not_verify: list[Diagnostic] = field(default_factory=list)
    compiled_recipes: int = 0  # recipes sent to workers (not answered by the cache)
    wall_seconds: float = 0.0

    def counts(self) -> Counter[str]:
        counts = Counter(f.status for f in self.functions)
        counts["found"] = len(self.functions)
        counts["types-known"] = sum(counts[s] for s in (VERIFIED, REFUSED, COULD_NOT))
        return counts

    def summary(self) -> str:
        c = self.counts()
        functions = "function" if c["found"] == 1 else "functions"
        return (
            f"--verify: {c['found']} compiled {functions}, {c['types-known']} with argument "
            f"types known: {c[VERIFIED]} verified, {c[REFUSED]} refused, {c[COULD_NOT]} could "
            f"not be verified; {c[UNTYPED] + c[UNSUPPORTED]} not verified; "
            f"{self.compiled_recipes} compiled in {self.wall_seconds:.1f} s."
        )

    def functions_without_times(self) -> list[FunctionReport]:
        """The reports with their compile times left out: what two runs must agree on."""
        return [replace(f, seconds=0.0) for f in self.functions]

    def to_json(self) -> dict[str, Any]:
        return {
            "counts": dict(self.counts()),
            "functions": [vars(f) for f in self.functions],
        }


def verify_result(result: RunResult, settings: Settings) -> tuple[RunResult, Verification]:
    """`result` with the verification's diagnostics added to each file (selected, noqa
    applied, one diagnostic where a static rule reports the same cause), and the
    verification itself."""
    from numba_check.api import FileOutcome, RunResult, lint_config
    from numba_check.engine import selected

    files = [
        (f.file.display, f.file.path, f.source)
        for f in result.files
        if f.file.kind == "python" and f.source is not None
    ]
    verification = verify_sources(files, settings)
    config = lint_config(settings)
    outcomes = []
    for outcome in result.files:
        found = verification.diagnostics.get(outcome.file.display, [])
        if not found or outcome.source is None:
            outcomes.append(outcome)
            continue
        found = _at_code(_not_repeated(found, outcome.diagnostics), outcome.source)
        found = list(selected(found, config, outcome.file.display))
        found = _unsuppressed(found, outcome.source)
        if found:
            merged = tuple(sorted((*outcome.diagnostics, *found), key=Diagnostic.sort_key))
            outcome = FileOutcome(
                outcome.file, merged, outcome.original, outcome.source, outcome.fixed
            )
        outcomes.append(outcome)
    return RunResult(tuple(outcomes)), verification


def _not_repeated(found: list[Diagnostic], static: Sequence[Diagnostic]) -> list[Diagnostic]:
    """Drops a refusal where a static rule already reports an error on the same line with
    a rule the refusal's message maps to (or any error there, when it maps to none)."""
    errors: dict[int, set[str]] = {}
    for d in static:
        if d.severity is Severity.ERROR:
            errors.setdefault(d.location.line, set()).add(d.code)
    kept = []
    in_file = set().union(*errors.values()) if errors else set()
    for d in found:
        # The jitclass decorator's refusal names no line: a static rule's error on the spec
        # (wherever the spec is written) is the same cause.
        if (
            d.code == "NB950"
            and "Numba refuses the jitclass" in d.message
            and _mapped_codes(d.message) & in_file
        ):
            continue
        there = errors.get(d.location.line)
        if d.code == "NB950" and there:
            mapped = _mapped_codes(d.message)
            if not mapped or mapped & there:
                continue
        kept.append(d)
    return kept


def _at_code(found: list[Diagnostic], source: str) -> list[Diagnostic]:
    """Each diagnostic at the first character of code on its line (Numba names lines)."""
    lines = source.splitlines()
    placed = []
    for d in found:
        line = d.location.line
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        column = len(text) - len(text.lstrip())
        start, end = Location(line, column), Location(line, len(text.rstrip()))
        placed.append(replace(d, location=start, end_location=end))
    return placed


def _mapped_codes(message: str) -> set[str]:
    marker = "explain: "
    if marker not in message:
        return set()
    tail = message.rsplit(marker, 1)[1]
    return {part.split()[0] for part in tail.rstrip(")").split(", ") if part}


def _unsuppressed(found: list[Diagnostic], source: str) -> list[Diagnostic]:
    from numba_check import noqa

    kept, _ = noqa.parse(source).apply(found)
    return kept


def verify_sources(
    files: Iterable[tuple[str, Path, str]],
    settings: Settings,
    *,
    jobs: int | None = None,
    progress: Callable[[Recipe, Result], None] | None = None,
) -> Verification:
    """Verifies the compiled functions of the modules (display name, path, text);
    `progress` is told of each function compiled as it finishes."""
    from numba_check.verify.plan import Project, module_infos

    start = time.perf_counter()
    plugins = settings.plugins()
    allowed = _plugin_modules(plugins.compilable)
    infos = [m for m in module_infos(files) if _parses(m)]
    project = Project(infos, allowed)
    work = list(project.recipes())
    versions = _versions(plugins.stamp())
    roots = (settings.project_root, Path.cwd())
    store = _Store(settings.resolved_cache_dir() / "verify", roots) if settings.cache else None
    results: list[Result | None] = [None] * len(work)
    todo: list[int] = []
    for index, (_, _, recipe) in enumerate(work):
        if recipe.unsupported or not recipe.sources:
            results[index] = Result(untyped=recipe.unsupported or "no argument types are known")
            continue
        cached = store.get(recipe.key(versions)) if store is not None else None
        if cached is not None:
            results[index] = cached
        else:
            todo.append(index)
    if todo:
        from numba_check.verify.pool import PoolError, run_all

        def done(position: int, result: Result) -> None:
            index = todo[position]
            results[index] = result
            if store is not None and not result.failure:
                store.put(work[index][2].key(versions), result)
            if progress is not None:
                progress(work[index][2], result)

        try:
            run_all(
                [work[i][2] for i in todo],
                workers=jobs or os.cpu_count() or 1,
                timeout=settings.verify_timeout,
                done=done,
            )
        except PoolError as exc:
            raise ConfigError(f"--verify: {exc}") from None
    verification = _report(project, work, results, extends=project.extended_names)
    verification.compiled_recipes = len(todo)
    verification.wall_seconds = time.perf_counter() - start
    return verification


def _parses(module: ModuleInfo) -> bool:
    try:
        module.tree  # noqa: B018 - parsed once, here
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _plugin_modules(patterns: Iterable[str]) -> tuple[str, ...]:
    """The modules whose names plugins' knowledge makes compilable: ``scipy.special.*`` ->
    scipy.special."""
    modules = []
    for pattern in patterns:
        parts = []
        for part in pattern.split("."):
            if any(c in part for c in "*?["):
                break
            parts.append(part)
        if len(parts) > (0 if "*" in pattern else 1):
            modules.append(".".join(parts if "*" in pattern else parts[:-1]))
    return tuple(dict.fromkeys(m for m in modules if m))


def _versions(plugins: Iterable[str]) -> str:
    from numba_check.cache import package_stamp

    numba = installed_numba() or ()
    python = ".".join(map(str, sys.version_info[:3]))
    return f"format {CACHE_FORMAT}|numba {numba}|python {python}|{package_stamp(plugins)}"


def _report(
    project: Any,
    work: Sequence[tuple[Any, Any, Recipe]],
    results: Sequence[Result | None],
    *,
    extends: frozenset[str],
) -> Verification:
    verification = Verification()
    typed_by_callers: dict[tuple[str, int], str] = {}
    for result in results:
        for module, _name, line, shown in result.typed_helpers if result else ():
            typed_by_callers.setdefault((module, line), shown)
    seen: set[tuple[str, int, str]] = set()
    for (_module, _compiled, recipe), result in zip(work, results, strict=True):
        assert result is not None
        status, detail = _status(recipe, result, typed_by_callers, extends)
        verification.functions.append(
            FunctionReport(
                recipe.filename, recipe.name, recipe.line, status, detail, result.seconds
            )
        )
        for diag in _diagnostics(recipe, result, extends):
            key = (diag.filename, diag.location.line, diag.message)
            if key in seen:
                continue
            seen.add(key)
            if diag.code == "NB951":
                verification.could_not_verify.append(diag)
            verification.diagnostics.setdefault(diag.filename, []).append(diag)
    return verification


def _downgraded(outcome: Outcome, extends: frozenset[str]) -> bool:
    """A refusal that the project's own Numba extensions (never run here) may explain: one
    that names what they teach Numba, or any when what they teach cannot be read."""
    if not extends or outcome.status != "refused":
        return False
    if "*" in extends:
        return True
    return any(re.search(rf"\b{re.escape(name)}\b", outcome.message) for name in extends)


def _status(
    recipe: Recipe,
    result: Result,
    typed_by_callers: dict[tuple[str, int], str],
    extends: frozenset[str],
) -> tuple[str, str]:
    if result.failure:
        return COULD_NOT, result.failure
    statuses = [
        COULD_NOT if o.status == "refused" and _downgraded(o, extends) else o.status
        for o in result.outcomes
    ]
    if REFUSED in statuses:
        return REFUSED, "; ".join(o.types for o in result.outcomes if o.status == "refused")
    if VERIFIED in statuses:
        return VERIFIED, ", ".join(o.types for o in result.outcomes if o.status == VERIFIED)
    if COULD_NOT in statuses:
        return COULD_NOT, "; ".join(o.standin or "compiler error" for o in result.outcomes)
    shown = typed_by_callers.get((recipe.module, recipe.line))
    if shown:
        return VERIFIED, f"{shown} (through its callers)"
    if recipe.unsupported:
        return UNSUPPORTED, recipe.unsupported
    return UNTYPED, result.untyped or "no argument types are known"


def _diagnostics(recipe: Recipe, result: Result, extends: frozenset[str]) -> Iterable[Diagnostic]:
    from numba_check.rules import tool

    def_line = Location(recipe.line, 0)
    if result.failure:
        yield _diagnostic(
            tool.CouldNotVerify,
            recipe.filename,
            def_line,
            f"Could not verify `{recipe.name}`: the compiler {result.failure}",
        )
        return
    for outcome in result.outcomes:
        if outcome.status == "verified":
            continue
        if outcome.status == "refused" and not _downgraded(outcome, extends):
            yield _refusal(recipe, outcome)
            continue
        if outcome.standin:
            why = f"it uses {outcome.standin}, which numba-check does not rebuild"
        elif outcome.status == "refused":
            why = "the project extends Numba (@overload, @intrinsic, ...) and that code is not run"
        else:
            why = f"Numba stumbled: {_summary(outcome.message)}"
        yield _diagnostic(
            tool.CouldNotVerify,
            recipe.filename,
            def_line,
            f"Could not verify `{recipe.name}{outcome.types}` (types from {outcome.label}): {why}",
        )


def _refusal(recipe: Recipe, outcome: Outcome) -> Diagnostic:
    from numba_check.explain import Confidence, explain
    from numba_check.rules import tool

    filename, line = recipe.filename, recipe.line
    if outcome.filename and outcome.line:
        filename, line = outcome.filename, outcome.line
    candidates = [
        c
        for c in explain(outcome.message, lint=False).candidates
        if c.confidence is not Confidence.LOW  # a guess is no help next to Numba's words
    ]
    mapped = ""
    if candidates:
        mapped = "; explain: " + ", ".join(f"{c.code} {c.name}" for c in candidates[:2])
    if recipe.method and not outcome.types:  # the jitclass decorator itself
        message = (
            f"Numba refuses the jitclass `{recipe.root}`: {_summary(outcome.message)} "
            f"(at its decorator{mapped})"
        )
    else:
        message = (
            f"Numba refuses `{recipe.name}{outcome.types}`: {_summary(outcome.message)} "
            f"(types from {outcome.label}{mapped})"
        )
    return _diagnostic(tool.NumbaRefused, filename, Location(line, 0), message)


def _summary(message: str) -> str:
    """Numba's message on one line: the exception's name and the lines that say what is
    wrong, without the pipeline's "Failed in nopython mode" header."""
    from numba_check.explain.trim import summary

    name, sep, rest = message.partition(": ")
    if sep and name.isidentifier():
        return f"{name}: {summary(rest)}"
    return summary(message)


def _diagnostic(rule: Any, filename: str, location: Location, message: str) -> Diagnostic:
    return Diagnostic(
        code=rule.code,
        name=rule.name,
        message=message,
        severity=rule.severity,
        filename=filename,
        location=location,
        end_location=location,
    )


class _Store:
    """Results by recipe key, in a cache folder of their own (same conventions and safety)."""

    def __init__(self, directory: Path, roots: tuple[Path, ...]) -> None:
        from numba_check.cache import Cache

        self._cache = Cache(directory, "", roots)

    def get(self, key: str) -> Result | None:
        data = self._cache.read(key)  # the key covers CACHE_FORMAT
        try:
            outcomes = tuple(Outcome(**o) for o in data["outcomes"])
            helpers = tuple(tuple(h) for h in data["typed_helpers"])
            return Result(outcomes, helpers, data["untyped"], 0.0, "")  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - a corrupt entry is a miss
            return None

    def put(self, key: str, result: Result) -> None:
        data = {
            "outcomes": [vars(o) for o in result.outcomes],
            "typed_helpers": [list(h) for h in result.typed_helpers],
            "untyped": result.untyped,
        }
        self._cache.write(key, data)


__all__ = [
    "FunctionReport",
    "Verification",
    "installed_numba",
    "require_numba",
    "verify_result",
    "verify_sources",
]
