"""``numba-check server``: the linter as a language server (LSP over stdio), built on pygls.

Diagnostics are published when a document is opened or saved, and after a pause in typing
(`DEBOUNCE_S`); Jupyter notebooks are synchronised as notebook documents and get diagnostics
per cell. Each lint runs in a worker thread, never on the message loop, and its result is
dropped if the document changed meanwhile (a newer lint is on its way). Quick fixes come as
code actions (an unsafe fix says so in its title and is never the preferred one), with one
more per diagnostic that adds ``# noqa: CODE`` to its line.

The settings are those the command line would use for the file: the ``[tool.numba-check]``
table of the nearest pyproject.toml. They are read again when a pyproject.toml changes (the
server watches them where the client can), or when one above the file is created, deleted or
given a new modification time.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace.position_codec import ServerTextPosition, ServerTextRange

from numba_check import __version__
from numba_check.model import Applicability, Diagnostic, Edit, Fix, Severity
from numba_check.settings import ConfigError, Settings, find_config, load_settings

# How long typing must pause before a changed document is linted again.
DEBOUNCE_S = 0.25
SOURCE = "numba-check"
CONFIG_FILE = "pyproject.toml"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


class NumbaCheckServer(LanguageServer):
    """The server's state: the last diagnostics of each document, the pending lints, the
    settings of each project."""

    def __init__(self) -> None:
        notebooks = types.NotebookDocumentSyncOptions(
            notebook_selector=[
                types.NotebookDocumentFilterWithCells(
                    notebook="jupyter-notebook",
                    cells=[types.NotebookCellLanguage(language="python")],
                )
            ],
            save=True,
        )
        super().__init__(
            SOURCE,
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            notebook_document_sync=notebooks,
        )
        # Keyed by the URI of a text document or of a notebook cell.
        self.found: dict[str, tuple[Diagnostic, ...]] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}
        # One worker: lints run one after the other, off the message loop.
        self.worker = ThreadPoolExecutor(1, thread_name_prefix="numba-check-lint")
        # folder -> the pyproject.toml files above it, as stamped, and its settings
        self._settings: dict[Path, tuple[tuple[int | None, ...], Settings]] = {}

    # -- settings

    def settings_for(self, path: Path) -> Settings:
        folder = path.parent
        # Looked at on every lint, so that a pyproject.toml edited, created or deleted outside
        # the editor counts even where the client watches no files: a stat per folder above.
        stamp = _stamps(folder)
        cached = self._settings.get(folder)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        config = _quiet_find_config(folder)
        try:
            settings = load_settings({"cache": False}, config=config, cwd=folder, isolated=True)
        except ConfigError as exc:
            self.window_show_message(
                types.ShowMessageParams(types.MessageType.Error, f"{SOURCE}: {exc}")
            )
            settings = Settings(cache=False, project_root=folder)
        self._settings[folder] = (stamp, settings)
        return settings

    def forget_settings(self) -> None:
        self._settings.clear()

    # -- linting

    def cancel(self, uri: str) -> None:
        """Drop the pending lint of the document (or notebook) `uri`, if any."""
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()

    def schedule(self, uri: str, delay: float = 0.0) -> None:
        """Lint the document (or notebook) `uri` after `delay`, replacing a pending lint."""
        self.cancel(uri)
        self.pending[uri] = asyncio.get_running_loop().create_task(self._lint(uri, delay))

    def relint_all(self) -> None:
        for uri in list(self.workspace.notebook_documents):
            self.schedule(uri)
        for uri, doc in list(self.workspace.text_documents.items()):
            if self.workspace.get_notebook_document(cell_uri=uri) is None and _is_python(doc.uri):
                self.schedule(uri)

    async def _lint(self, uri: str, delay: float) -> None:
        try:
            if delay:
                await asyncio.sleep(delay)
            notebook = self.workspace.get_notebook_document(notebook_uri=uri)
            if notebook is not None:
                await self._lint_notebook(notebook)
            else:
                await self._lint_text(uri)
        finally:
            if self.pending.get(uri) is asyncio.current_task():
                del self.pending[uri]

    async def _lint_text(self, uri: str) -> None:
        doc = self.workspace.get_text_document(uri)
        version, text = doc.version, doc.source
        found = await self._check(text, _path(uri))
        if found is None or self.workspace.get_text_document(uri).version != version:
            return  # stale: the document changed while it was linted
        self.found[uri] = found
        self._publish(uri, found, version)

    async def _lint_notebook(self, notebook: types.NotebookDocument) -> None:
        version = notebook.version
        cells = [
            (cell, self.workspace.get_text_document(cell.document).source)
            for cell in notebook.cells
        ]
        found = await self._check(_notebook_json(notebook, cells), _path(notebook.uri))
        current = self.workspace.get_notebook_document(notebook_uri=notebook.uri)
        if found is None or current is None or current.version != version:
            return
        by_cell: dict[int, list[Diagnostic]] = {}
        for d in found:
            by_cell.setdefault(d.cell or 1, []).append(d)
        for number, (cell, _text) in enumerate(cells, 1):
            mine = tuple(by_cell.get(number, ()))
            self.found[cell.document] = mine
            self._publish(cell.document, mine, None)

    async def _check(self, text: str, path: Path) -> tuple[Diagnostic, ...] | None:
        settings = self.settings_for(path)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.worker, _check_text, text, path, settings)

    def _publish(self, uri: str, found: Sequence[Diagnostic], version: int | None) -> None:
        doc = self.workspace.get_text_document(uri)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, diagnostics=[to_lsp(d, doc) for d in found], version=version
            )
        )


def _check_text(text: str, path: Path, settings: Settings) -> tuple[Diagnostic, ...] | None:
    from numba_check.api import check_input

    outcome = check_input(text, str(path), settings)
    return None if outcome is None else outcome.diagnostics


def _quiet_find_config(folder: Path) -> Path | None:
    try:
        return find_config(folder)
    except ConfigError:
        return None  # a broken pyproject.toml: reported when it is loaded, if it is ours


def _stamps(folder: Path) -> tuple[int | None, ...]:
    """The modification time of the pyproject.toml in `folder` and in each folder above it
    (None where there is none): what the settings of a file in `folder` are read from."""
    stamps = []
    for parent in (folder, *folder.parents):
        try:
            stamps.append((parent / CONFIG_FILE).stat().st_mtime_ns)
        except OSError:
            stamps.append(None)
    return tuple(stamps)


def _path(uri: str) -> Path:
    return Path(to_fs_path(uri) or uri)


def _is_python(uri: str) -> bool:
    return uri.endswith((".py", ".pyi"))


def _notebook_json(
    notebook: types.NotebookDocument, cells: Sequence[tuple[types.NotebookCell, str]]
) -> str:
    """The notebook as the .ipynb JSON the linter reads: the cells as the editor holds them."""
    data: dict[str, Any] = {
        "cells": [
            {
                "cell_type": "code" if cell.kind == types.NotebookCellKind.Code else "markdown",
                "metadata": {},
                "source": text,
                **(
                    {"outputs": [], "execution_count": None}
                    if cell.kind == types.NotebookCellKind.Code
                    else {}
                ),
            }
            for cell, text in cells
        ],
        "metadata": notebook.metadata or {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(data)


# -- conversions ----------------------------------------------------------------------------


def _range(doc: Any, start: Any, end: Any) -> types.Range:
    """A range in the client's units (UTF-16 by default) from 1-based rows and code points."""
    lines = max(len(doc.lines), 1)
    first = ServerTextPosition(min(start.line, lines) - 1, start.column)
    last = ServerTextPosition(min(end.line, lines + 1) - 1, end.column)
    try:
        return doc.range_to_client_units(ServerTextRange(first, last))
    except (IndexError, ValueError):
        return types.Range(
            types.Position(first.line, first.character), types.Position(last.line, last.character)
        )


def to_lsp(d: Diagnostic, doc: Any) -> types.Diagnostic:
    from numba_check.catalogue import rule_url

    url = d.url or rule_url(d.code)
    return types.Diagnostic(
        range=_range(doc, d.location, d.end_location),
        message=d.message,
        severity=_SEVERITY[d.severity],
        code=d.code,
        code_description=types.CodeDescription(href=url) if url else None,
        source=SOURCE,
        data={"name": d.name},
    )


def _text_edit(doc: Any, edit: Edit) -> types.TextEdit:
    return types.TextEdit(range=_range(doc, edit.start, edit.end), new_text=edit.content)


async def code_actions(
    server: NumbaCheckServer, params: types.CodeActionParams
) -> list[types.CodeAction]:
    """The quick fixes for the diagnostics on the requested lines, then a `# noqa` action for
    each."""
    from numba_check.add_noqa import add_noqa
    from numba_check.fixes import resolve

    uri = params.text_document.uri
    doc = server.workspace.get_text_document(uri)
    version, source = doc.version, doc.source
    first, last = params.range.start.line + 1, params.range.end.line + 1
    here = [d for d in server.found.get(uri, ()) if first <= d.location.line <= last]
    fixes, noqas = [], []
    # A structural fix gets its edits from libcst now, for the lines asked about only (the
    # lint that published the diagnostics never parses with libcst), in the worker: parsing
    # a long file takes a moment, which the message loop does not wait for.
    wanted = [d.fix for d in here if d.fix is not None]
    resolved: list[Fix | None] = wanted  # type: ignore[assignment]
    if any(fix.rewrite is not None for fix in wanted):
        loop = asyncio.get_running_loop()
        resolved = await loop.run_in_executor(server.worker, resolve, source, wanted)
        if server.workspace.get_text_document(uri).version != version:
            return []  # edited meanwhile: the client asks again for the new text
    edits_of = dict(zip([id(fix) for fix in wanted], resolved, strict=True))
    for d in here:
        lsp = to_lsp(d, doc)
        fix = edits_of.get(id(d.fix))
        if fix is not None and fix.edits:
            unsafe = fix.applicability is Applicability.UNSAFE
            title = f"{fix.message} ({d.code})"
            if unsafe:
                title += " - unsafe fix: may change behaviour"
            fixes.append(
                types.CodeAction(
                    title=title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[lsp],
                    is_preferred=not unsafe,
                    edit=types.WorkspaceEdit(
                        changes={uri: [_text_edit(doc, e) for e in fix.edits]}
                    ),
                )
            )
        changed, count = add_noqa(source, [d])
        if count:
            row = d.location.line - 1
            new_line = changed.splitlines(keepends=True)[row].rstrip("\r\n")
            old_line = doc.lines[row].rstrip("\r\n")
            edit = types.TextEdit(
                range=doc.range_to_client_units(
                    ServerTextRange(
                        ServerTextPosition(row, 0), ServerTextPosition(row, len(old_line))
                    )
                ),
                new_text=new_line,
            )
            noqas.append(
                types.CodeAction(
                    title=f"Disable {d.code} for this line",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[lsp],
                    edit=types.WorkspaceEdit(changes={uri: [edit]}),
                )
            )
    return fixes + noqas


# -- the server and its handlers ------------------------------------------------------------


def make_server() -> NumbaCheckServer:
    server = NumbaCheckServer()

    @server.feature(types.INITIALIZED)
    async def initialized(ls: NumbaCheckServer, params: types.InitializedParams) -> None:
        dynamic = ls.client_capabilities.workspace
        watch = dynamic is not None and dynamic.did_change_watched_files is not None
        if watch and dynamic.did_change_watched_files.dynamic_registration:  # type: ignore[union-attr]
            options = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=f"**/{CONFIG_FILE}")]
            )
            registration = types.Registration(
                id="numba-check-pyproject",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=options,
            )
            try:
                await ls.client_register_capability_async(
                    types.RegistrationParams(registrations=[registration])
                )
            except Exception as exc:  # noqa: BLE001 - a client that says it can but cannot
                # The modification time of pyproject.toml is still checked at each lint.
                ls.window_log_message(
                    types.LogMessageParams(
                        types.MessageType.Warning, f"{SOURCE}: cannot watch {CONFIG_FILE}: {exc}"
                    )
                )

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: NumbaCheckServer, params: types.DidOpenTextDocumentParams) -> None:
        if _is_python(params.text_document.uri) or params.text_document.language_id == "python":
            ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: NumbaCheckServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri.endswith(CONFIG_FILE):
            return
        if _is_python(uri) or uri in ls.found:
            ls.schedule(uri, DEBOUNCE_S)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: NumbaCheckServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri.endswith(CONFIG_FILE):
            ls.forget_settings()
            ls.relint_all()
        elif _is_python(uri) or uri in ls.found:
            ls.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: NumbaCheckServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.cancel(uri)
        if ls.found.pop(uri, None) is not None:
            ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
            )

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    async def notebook_open(
        ls: NumbaCheckServer, params: types.DidOpenNotebookDocumentParams
    ) -> None:
        ls.schedule(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    async def notebook_change(
        ls: NumbaCheckServer, params: types.DidChangeNotebookDocumentParams
    ) -> None:
        ls.schedule(params.notebook_document.uri, DEBOUNCE_S)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    async def notebook_save(
        ls: NumbaCheckServer, params: types.DidSaveNotebookDocumentParams
    ) -> None:
        ls.schedule(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_close(ls: NumbaCheckServer, params: types.DidCloseNotebookDocumentParams) -> None:
        ls.cancel(params.notebook_document.uri)
        for cell in params.cell_text_documents:
            ls.found.pop(cell.uri, None)
            ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=cell.uri, diagnostics=[])
            )

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched(ls: NumbaCheckServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(change.uri.endswith(CONFIG_FILE) for change in params.changes):
            ls.forget_settings()
            ls.relint_all()

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    async def on_code_action(
        ls: NumbaCheckServer, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        return await code_actions(ls, params)

    return server


def serve() -> None:
    """Run the server over stdin and stdout until the client asks it to exit."""
    make_server().start_io()
