"""`numba-check server`, driven end to end by a real LSP client (pytest-lsp) over stdio."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402
from pygls.protocol import default_converter  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features  # noqa: E402

from tests.cli.snippets import NB101, NB302, NB501  # noqa: E402

# NB302 in `count` compiled functions: a text whose diagnostics say which one was linted.
FUNCTION = "\n\n@numba.njit\ndef f{i}(n, m):\n    return np.zeros([n, m])\n"


def shapes(count: int) -> str:
    return "import numba\nimport numpy as np\n" + "".join(
        FUNCTION.format(i=i) for i in range(count)
    )


SERVER = [sys.executable, "-m", "numba_check", "server"]
# A lint is published within this time, or the test fails (the server debounces changes by
# a quarter of a second; the rest is start-up and the lint itself on a slow machine).
WAIT_S = 30.0


def _recording_client() -> LanguageClient:
    """pytest-lsp's client, which keeps every publishDiagnostics in `published` as well (its
    own keeps only the last one of each document)."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []

    def publish(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        client.published.append(params)
        client.diagnostics[params.uri] = params.diagnostics

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    register_lsp_features(client, features)
    return client


# One server for the module: starting one costs seconds; each test works in its own folder.
@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=SERVER, client_factory=_recording_client),
    scope="module",
)
async def client(lsp_client: LanguageClient, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("workspace")
    lsp_client.registrations = []  # what the server registers (a watch on pyproject.toml)

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        lsp_client.registrations.extend(params.registrations)

    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="project")],
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


async def published(client: LanguageClient, uri: str, count: int | None = None):
    """Wait until diagnostics for `uri` are published (`count` of them, if given)."""

    async def wait() -> list[types.Diagnostic]:
        while True:
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            found = client.diagnostics.get(uri)
            if found is not None and (count is None or len(found) == count):
                return list(found)

    found = client.diagnostics.get(uri)
    if found is not None and (count is None or len(found) == count):
        return list(found)
    return await asyncio.wait_for(wait(), WAIT_S)


def open_file(
    client: LanguageClient, path: Path, text: str, version: int = 1, language: str = "python"
) -> str:
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id=language, version=version, text=text
            )
        )
    )
    return uri


def change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


@pytest.mark.asyncio(loop_scope="module")
async def test_diagnostics_on_open_with_code_severity_range_and_link(
    client: LanguageClient, tmp_path: Path
):
    uri = open_file(client, tmp_path / "kernels.py", NB302 + NB501.replace("def f(", "def g("))
    found = await published(client, uri, 2)
    by_code = {d.code: d for d in found}
    shape = by_code["NB302"]
    assert shape.severity == types.DiagnosticSeverity.Error
    assert shape.source == "numba-check"
    assert shape.range == types.Range(types.Position(6, 20), types.Position(6, 26))
    assert shape.code_description is not None
    assert shape.code_description.href == "https://numba-check.github.io/numba-check/rules/NB302/"
    assert by_code["NB501"].severity == types.DiagnosticSeverity.Warning


@pytest.mark.asyncio(loop_scope="module")
async def test_diagnostics_follow_changes_and_saves(client: LanguageClient, tmp_path: Path):
    uri = open_file(client, tmp_path / "a.py", NB302)
    assert len(await published(client, uri, 1)) == 1
    # Typing: a burst of changes, linted once they pause; the last text wins.
    for version in range(2, 6):
        change(client, uri, version, NB302 + "\n" * version)
    change(client, uri, 6, NB302.replace("[n, m]", "(n, m)"))
    assert await published(client, uri, 0) == []
    change(client, uri, 7, NB101)
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    (found,) = await published(client, uri, 1)
    assert found.code == "NB101"


@pytest.mark.asyncio(loop_scope="module")
async def test_code_actions_fix_safe_and_unsafe_and_noqa(client: LanguageClient, tmp_path: Path):
    text = NB302 + NB501.replace("def f(", "def g(")
    uri = open_file(client, tmp_path / "kernels.py", text)
    found = await published(client, uri, 2)
    whole = types.Range(types.Position(0, 0), types.Position(len(text.splitlines()), 0))
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=whole,
            context=types.CodeActionContext(diagnostics=found),
        )
    )
    titles = [a.title for a in actions]
    assert titles == [
        "Give the shape as a tuple (NB302)",
        "Initialise the list with float literals (NB501) - unsafe fix: may change behaviour",
        "Disable NB302 for this line",
        "Disable NB501 for this line",
    ]
    safe, unsafe, noqa = actions[0], actions[1], actions[2]
    assert safe.kind == types.CodeActionKind.QuickFix and safe.is_preferred
    assert not unsafe.is_preferred
    (edit,) = safe.edit.changes[uri]
    assert edit.new_text == "(n, m)"
    assert edit.range == types.Range(types.Position(6, 20), types.Position(6, 26))
    (line,) = noqa.edit.changes[uri]
    assert line.new_text == "    return np.zeros([n, m])  # noqa: NB302"


@pytest.mark.asyncio(loop_scope="module")
async def test_configuration_is_read_and_reloaded(client: LanguageClient, tmp_path: Path):
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.numba-check]\nignore = ["NB302"]\n', encoding="utf-8")
    uri = open_file(client, tmp_path / "a.py", NB302 + NB101.replace("def f(", "def g("))
    (found,) = await published(client, uri, 1)
    assert found.code == "NB101"
    (watch,) = client.registrations  # made when the session started
    assert watch.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    config.write_text('[tool.numba-check]\nignore = ["NB101"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    client.diagnostics.pop(uri)
    (found,) = await published(client, uri, 1)
    assert found.code == "NB302"


@pytest.mark.asyncio(loop_scope="module")
async def test_notebook_cells_get_their_diagnostics(client: LanguageClient, tmp_path: Path):
    notebook_uri = (tmp_path / "analysis.ipynb").as_uri()
    sources = [
        "import numba\nimport numpy as np\n",
        "# Kernels",
        "@numba.njit\ndef grid(n, m):\n    return np.zeros([n, m])\n",
    ]
    kinds = [
        types.NotebookCellKind.Code,
        types.NotebookCellKind.Markup,
        types.NotebookCellKind.Code,
    ]
    cell_uris = [f"{notebook_uri}#cell{i}" for i in range(3)]
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=notebook_uri,
                notebook_type="jupyter-notebook",
                version=1,
                cells=[
                    types.NotebookCell(kind=kind, document=cell)
                    for kind, cell in zip(kinds, cell_uris, strict=True)
                ],
            ),
            cell_text_documents=[
                types.TextDocumentItem(
                    uri=cell,
                    language_id="python" if kind == types.NotebookCellKind.Code else "markdown",
                    version=1,
                    text=text,
                )
                for cell, kind, text in zip(cell_uris, kinds, sources, strict=True)
            ],
        )
    )
    (found,) = await published(client, cell_uris[2], 1)
    assert found.code == "NB302"
    assert found.range == types.Range(types.Position(2, 20), types.Position(2, 26))
    assert await published(client, cell_uris[0]) == []
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=cell_uris[2]),
            range=found.range,
            context=types.CodeActionContext(diagnostics=[found]),
        )
    )
    assert actions[0].title == "Give the shape as a tuple (NB302)"
    assert actions[0].edit.changes[cell_uris[2]][0].new_text == "(n, m)"


@pytest.mark.asyncio(loop_scope="module")
async def test_a_slow_lint_blocks_no_request_and_a_stale_result_is_dropped(
    client: LanguageClient, tmp_path: Path
):
    # Long enough to lint (about a second) that the request below is answered meanwhile.
    uri = open_file(client, tmp_path / "big.py", shapes(400))
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(types.Position(0, 0), types.Position(1, 0)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert not actions
    # Answered while version 1 is still being linted: the lint runs off the message loop.
    assert uri not in client.diagnostics
    # Typing while it runs: versions 2 to 5, each with as many diagnostics as its number.
    for version in range(2, 6):
        change(client, uri, version, shapes(version))
    assert len(await published(client, uri, 5)) == 5
    # Give a stale result time to arrive, were it sent: a save lints the same text again.
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    await published_again(client, uri)
    mine = [p for p in client.published if p.uri == uri]
    # Version 1's result (400) and those of the versions typed over (2-4) were never sent.
    assert [(p.version, len(p.diagnostics)) for p in mine] == [(5, 5), (5, 5)]


async def published_again(client: LanguageClient, uri: str) -> None:
    """Wait for one more publishDiagnostics for `uri`."""
    before = sum(p.uri == uri for p in client.published)

    async def wait() -> None:
        while sum(p.uri == uri for p in client.published) == before:
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    await asyncio.wait_for(wait(), WAIT_S)


@pytest.mark.asyncio(loop_scope="module")
async def test_configuration_follows_the_modification_time_without_a_notification(
    client: LanguageClient, tmp_path: Path
):
    # As with a client that watches no files (Helix): pyproject.toml is looked for and read
    # again at each lint where it appeared or its time changed.
    uri = open_file(client, tmp_path / "a.py", NB302 + NB101.replace("def f(", "def g("))
    assert len(await published(client, uri, 2)) == 2
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.numba-check]\nignore = ["NB302"]\n', encoding="utf-8")
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    await published_again(client, uri)
    (found,) = client.diagnostics[uri]
    assert found.code == "NB101"
    config.write_text('[tool.numba-check]\nignore = ["NB101"]\n', encoding="utf-8")
    stamp = config.stat().st_mtime + 5  # a new time even where the clock is coarse
    os.utime(config, (stamp, stamp))
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    await published_again(client, uri)
    (found,) = client.diagnostics[uri]
    assert found.code == "NB302"


@pytest.mark.asyncio(loop_scope="module")
async def test_saving_pyproject_in_the_editor_relints_open_files(
    client: LanguageClient, tmp_path: Path
):
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.numba-check]\n", encoding="utf-8")
    uri = open_file(client, tmp_path / "a.py", NB302 + NB101.replace("def f(", "def g("))
    assert len(await published(client, uri, 2)) == 2
    text = '[tool.numba-check]\nselect = ["NB101"]\n'
    config_uri = open_file(client, config, "[tool.numba-check]\n", language="toml")
    change(client, config_uri, 2, text)
    config.write_text(text, encoding="utf-8")  # what the editor writes on saving
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=config_uri))
    )
    (found,) = await published(client, uri, 1)
    assert found.code == "NB101"
    assert config_uri not in client.diagnostics  # a pyproject.toml is not linted


@pytest.mark.asyncio(loop_scope="module")
async def test_a_structural_fix_comes_as_a_code_action(client: LanguageClient, tmp_path: Path):
    # NB111's fix is a libcst transformation, made when the action is asked for.
    text = "import numba\n\n\n@numba.njit\ndef f(a):\n    return sum(x * 2 for x in a)  # total\n"
    uri = open_file(client, tmp_path / "gen.py", text)
    (found,) = await published(client, uri, 1)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=found.range,
            context=types.CodeActionContext(diagnostics=[found]),
        )
    )
    assert [a.title for a in actions] == [
        "Use a list comprehension (NB111)",
        "Disable NB111 for this line",
    ]
    (edit,) = actions[0].edit.changes[uri]
    assert edit.range == types.Range(types.Position(5, 15), types.Position(5, 31))
    assert edit.new_text == "[x * 2 for x in a]"


@pytest.mark.asyncio(loop_scope="module")
async def test_a_structural_fix_in_a_notebook_cell(client: LanguageClient, tmp_path: Path):
    # The rewrite's position is the cell's, and libcst parses the cell's text.
    notebook_uri = (tmp_path / "sums.ipynb").as_uri()
    sources = ["import numba\n", "@numba.njit\ndef total(a):\n    return sum(x for x in a)\n"]
    cell_uris = [f"{notebook_uri}#cell{i}" for i in range(2)]
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=notebook_uri,
                notebook_type="jupyter-notebook",
                version=1,
                cells=[
                    types.NotebookCell(kind=types.NotebookCellKind.Code, document=cell)
                    for cell in cell_uris
                ],
            ),
            cell_text_documents=[
                types.TextDocumentItem(uri=cell, language_id="python", version=1, text=text)
                for cell, text in zip(cell_uris, sources, strict=True)
            ],
        )
    )
    (found,) = await published(client, cell_uris[1], 1)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=cell_uris[1]),
            range=found.range,
            context=types.CodeActionContext(diagnostics=[found]),
        )
    )
    assert actions[0].title == "Use a list comprehension (NB111)"
    (edit,) = actions[0].edit.changes[cell_uris[1]]
    assert edit.range == types.Range(types.Position(2, 15), types.Position(2, 27))
    assert edit.new_text == "[x for x in a]"
