"""The public API (``check_source``, ``check_paths``) and the run behind the command line:
discover files, check each (cached, in parallel when there are many), apply fixes."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from numba_check import reading
from numba_check.cache import Cache, package_stamp
from numba_check.discovery import SourceFile, discover
from numba_check.model import Diagnostic
from numba_check.prefilter import may_use_numba
from numba_check.settings import Settings

# The engine and the rules are imported on first use: a run whose files all come from
# the cache, or have no Numba in them, never needs them (they are half its start-up time).
if TYPE_CHECKING:
    from numba_check.engine import LintConfig

# Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 64

Mode = Literal["check", "fix", "diff"]
# Diagnostics for one file's text: engine.check_text for modules, notebooks.check_notebook.
Checker = Callable[[str, str, "LintConfig"], tuple[Diagnostic, ...]]


def check_source(
    source: str, filename: str = "<string>", *, settings: Settings | None = None
) -> list[Diagnostic]:
    """Diagnostics for one module's source text, sorted by position."""
    from numba_check.engine import check_text

    settings = settings if settings is not None else Settings(cache=False)
    return list(check_text(source, filename, lint_config(settings)))


def check_paths(
    paths: Iterable[str | os.PathLike[str]], *, settings: Settings | None = None
) -> list[Diagnostic]:
    """Diagnostics for the files under `paths` (folders are walked), sorted by file and position."""
    settings = settings if settings is not None else Settings(cache=False)
    return list(run(list(paths), settings).diagnostics)


def lint_config(settings: Settings) -> LintConfig:
    """The engine's configuration: the selection, and what the plugins add (rules, names that
    extensions make compilable)."""
    from numba_check.engine import build_config

    plugins = settings.plugins()
    return build_config(
        settings.selection(),
        settings.target_numba,
        extra_rules=plugins.plugin_rules,
        compilable=plugins.compilable,
        plugin_of={r.code: plugins.origin(r.code).name for r in plugins.plugin_rules},
        fixable=settings.fix_selection(),
    )


@dataclass(frozen=True)
class FileOutcome:
    file: SourceFile
    diagnostics: tuple[Diagnostic, ...]  # what remains after fixing, if fixing
    original: str | None  # the text as read; None when it could not be read
    source: str | None  # the text after fixes (== original when nothing was fixed)
    fixed: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return self.source != self.original

    def diff(self) -> str:
        """What --diff prints for this file: a unified diff, per cell for a notebook."""
        if not self.changed or self.original is None or self.source is None:
            return ""
        from numba_check.output.base import display_name

        name = display_name(self.file.display)  # printable, whatever bytes the name holds
        if self.file.kind == "notebook":
            from numba_check import notebooks

            return notebooks.unified_diff(self.original, self.source, name)
        from numba_check.fixes import unified_diff

        return unified_diff(self.original, self.source, name)


@dataclass(frozen=True)
class RunResult:
    files: tuple[FileOutcome, ...]

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        found = (d for f in self.files for d in f.diagnostics)
        return tuple(sorted(found, key=Diagnostic.sort_key))

    @property
    def fixed(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for outcome in self.files:
            total.update(outcome.fixed)
        return total

    def sources(self) -> dict[str, str]:
        """The text of each file after fixes, by display name; for a notebook with diagnostics,
        also each code cell's text under ``"<name>:cell <n>"`` (what the formatters show)."""
        texts = {f.file.display: f.source for f in self.files if f.source is not None}
        for f in self.files:
            if f.file.kind == "notebook" and f.source is not None and f.diagnostics:
                from numba_check import notebooks

                texts.update(notebooks.sources_for_output(f.file.display, f.source))
        return texts


def run(
    paths: Sequence[str | os.PathLike[str]],
    settings: Settings,
    *,
    mode: Mode = "check",
    cwd: Path | None = None,
    jobs: int | None = None,
) -> RunResult:
    """Check (and in "fix" mode, rewrite) the files under `paths`."""
    files = discover(paths, settings, cwd=cwd)
    return RunResult(tuple(check_files(files, settings, mode=mode, jobs=jobs)))


def check_input(
    text: str,
    filename: str,
    settings: Settings,
    *,
    mode: Mode = "check",
    cwd: Path | None = None,
) -> FileOutcome | None:
    """Check `text` given directly (stdin, an editor's buffer) as if it were the file
    `filename` (``-`` for none): its per-file ignores apply, and a ``.ipynb`` name reads it as a
    notebook. None when the settings exclude that file (with force-exclude). Nothing is
    written: in "fix" mode the outcome's ``source`` is the fixed text."""
    if filename == "-":
        file = SourceFile("-", Path("-"))
    else:
        found = discover([filename], settings, cwd=cwd)
        if not found:
            return None
        file = found[0]
    fixing = mode != "check" and (settings.fix or mode == "diff")
    # No cache: the text is not a file's, and an editor sends a new text at each keystroke.
    return _Job(settings, None, fixing, settings.unsafe_fixes).slow(file, text)


def check_files(
    files: Sequence[SourceFile],
    settings: Settings,
    *,
    mode: Mode = "check",
    jobs: int | None = None,
) -> Iterator[FileOutcome]:
    """One outcome per file, in the order given, whether run serially or in parallel."""
    # The cache and --fix write nowhere a link inside these folders leads out of them.
    roots = (settings.project_root, Path.cwd())
    cache = None
    if settings.cache:
        stamp = package_stamp(settings.plugins().stamp())
        fingerprint = f"{stamp}|{settings.fingerprint()}"
        cache = Cache(settings.resolved_cache_dir(), fingerprint, roots)
    fixing = mode != "check" and (settings.fix or mode == "diff")
    job = _Job(settings, cache, fixing, settings.unsafe_fixes)
    workers = min(jobs or os.cpu_count() or 1, 61)  # 61: the Windows limit on pool size
    if len(files) <= PARALLEL_THRESHOLD or workers < 2:
        outcomes: Iterable[FileOutcome | None] = map(job, files)
    else:
        outcomes = _parallel(job, files, workers)
    for outcome in outcomes:
        assert outcome is not None
        if mode == "fix" and outcome.changed and outcome.source is not None:
            from numba_check.safe_files import write_fixed

            assert outcome.original is not None
            try:
                write_fixed(outcome.file.path, outcome.source, outcome.original, roots)
            except OSError as exc:
                # Read-only, a full disk, edited meanwhile: report it unfixed, say why, and go
                # on with the others. The file is as it was.
                outcome = _unwritten(outcome, job, exc)
        yield outcome


def _unwritten(outcome: FileOutcome, job: _Job, exc: OSError) -> FileOutcome:
    from numba_check import notebooks
    from numba_check.engine import check_text, selected
    from numba_check.rules import tool

    assert outcome.original is not None
    name = outcome.file.display
    check = notebooks.check_notebook if outcome.file.kind == "notebook" else check_text
    found = check(outcome.original, name, job.config)  # what stays unfixed
    from numba_check.safe_files import NotWritten

    if isinstance(exc, NotWritten):
        reason = str(exc)
    else:
        reason = f"Cannot write fixes to file: {exc.strerror or exc}; the file was left as it was"
    problem = tool.diagnostic(tool.UnreadableFile, name, reason)
    diagnostics = (*selected([problem], job.config, name), *found)
    return FileOutcome(outcome.file, diagnostics, outcome.original, outcome.original)


def _parallel(job: _Job, files: Sequence[SourceFile], workers: int) -> list[FileOutcome | None]:
    # What the cache or the prefilter answers is answered here: handing it to a worker would
    # cost more (pickling the text both ways) than answering it.
    outcomes = [job.quick(f) for f in files]
    todo = [i for i, outcome in enumerate(outcomes) if outcome is None]
    # Biggest first, one at a time: a slow file then overlaps with the rest of the run.
    todo.sort(key=lambda i: -_size(files[i]))
    results: Iterable[FileOutcome]
    if len(todo) <= PARALLEL_THRESHOLD:
        results = [job.slow(files[i]) for i in todo]
    else:
        # Imported here: multiprocessing adds about 10 ms to the start of a one-file run.
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        try:
            with ProcessPoolExecutor(workers, initializer=_set_job, initargs=(job,)) as pool:
                results = list(pool.map(_run_job, [files[i] for i in todo], chunksize=1))
        except (BrokenProcessPool, OSError, PermissionError):
            # No processes here (a sandbox, a frozen interpreter): same results, one at a time.
            results = [job.slow(files[i]) for i in todo]
    for i, outcome in zip(todo, results, strict=True):
        outcomes[i] = outcome
    return outcomes


def _size(file: SourceFile) -> int:
    try:
        return file.path.stat().st_size
    except OSError:
        return 0


_WORKER_JOB: _Job | None = None


def _set_job(job: _Job) -> None:
    global _WORKER_JOB
    _WORKER_JOB = job


def _run_job(file: SourceFile) -> FileOutcome:
    assert _WORKER_JOB is not None
    return _WORKER_JOB.slow(file)


@dataclass(frozen=True)
class _Job:
    """Checks one file; picklable, so that worker processes get it once."""

    settings: Settings
    cache: Cache | None
    fixing: bool
    unsafe: bool

    @cached_property
    def config(self) -> LintConfig:
        # Built on the first file the cache does not answer for, in the process linting it.
        return lint_config(self.settings)

    def __call__(self, file: SourceFile) -> FileOutcome:
        text = self._text(file)
        answer = None if text is None else self._answer(file, text)
        return answer or self.slow(file, text)

    def slow(self, file: SourceFile, source: str | None = None) -> FileOutcome:
        """The outcome from the engine (the cache still answers for the text it reads);
        `source` is the file's text when it was read already."""
        from numba_check.engine import check_text, read_source, selected
        from numba_check.fixes import fix_source

        if source is None:
            source, problem = read_source(file.path, file.display)
            if source is None:
                assert problem is not None
                diagnostics = selected([problem], self.config, file.display)
                return FileOutcome(file, diagnostics, None, None)
        if file.kind == "notebook":
            return self._notebook(file, source)
        diagnostics = self._lint(source, file.display)
        if not self.fixing or not any(d.fix for d in diagnostics):
            return FileOutcome(file, diagnostics, source, source)
        result = fix_source(
            source,
            lambda text: check_text(text, file.display, self.config),
            unsafe=self.unsafe,
            diagnostics=diagnostics,
        )
        if self.cache is not None and result.fixed:
            self.cache.put(self.cache.key(file.display, result.source), result.remaining)
        return FileOutcome(file, result.remaining, source, result.source, result.fixed)

    def quick(self, file: SourceFile) -> FileOutcome | None:
        """The outcome without the engine, where it needs none: a module with no Numba in it
        (its answer is "nothing"), or one the cache answers for."""
        text = self._text(file)
        return None if text is None else self._answer(file, text)

    @staticmethod
    def _text(file: SourceFile) -> str | None:
        """A module's text; None for a notebook, or a file the engine must say why it cannot
        read (as a diagnostic)."""
        if file.kind == "notebook":
            return None
        try:
            return reading.read_bytes(file.path).decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None

    def _answer(self, file: SourceFile, text: str) -> FileOutcome | None:
        if text.strip() and not may_use_numba(text):
            return FileOutcome(file, (), text, text)
        if self.cache is None:
            return None
        found = self.cache.get(self.cache.key(file.display, text), file.display)
        if found is None or (self.fixing and any(d.fix for d in found)):
            return None
        return FileOutcome(file, found, text, text)

    def _notebook(self, file: SourceFile, text: str) -> FileOutcome:
        from numba_check import notebooks

        diagnostics = self._lint(text, file.display, notebooks.check_notebook)
        if not self.fixing or not any(d.fix for d in diagnostics):
            return FileOutcome(file, diagnostics, text, text)
        result = notebooks.fix_notebook(
            text, file.display, self.config, unsafe=self.unsafe, diagnostics=diagnostics
        )
        if self.cache is not None and result.fixed:
            self.cache.put(self.cache.key(file.display, result.text), result.remaining)
        return FileOutcome(file, result.remaining, text, result.text, result.fixed)

    def _lint(
        self, source: str, filename: str, check: Checker | None = None
    ) -> tuple[Diagnostic, ...]:
        if check is None:
            from numba_check.engine import check_text as check
        if self.cache is None:
            return check(source, filename, self.config)
        key = self.cache.key(filename, source)
        # A fix is applied only as the rules derive it: an entry could have been forged to
        # insert any code.
        cached = None if self.fixing else self.cache.get(key, filename)
        if cached is not None:
            return cached
        found = check(source, filename, self.config)
        self.cache.put(key, found)
        return found


__all__ = ["FileOutcome", "RunResult", "check_input", "check_paths", "check_source", "run"]
