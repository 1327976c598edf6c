"""A sample of the conformance corpus under --verify (the whole corpus: benchmarks/verify.py
--corpus): clean snippets stay clean, refused snippets whose types are known are caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from numba_check.settings import Settings
from numba_check.verify import verify_sources
from tests.conformance.corpus import load_corpus

pytest.importorskip("numba")

CLEAN = (
    "types-arg-list-variable-fixed-clean",  # a list whose items are replaced before the call
    "calls-any-star-import-clean",  # `any` from `from numpy import *`
    "global-declared-in-inner-read",  # `global G` in an inner function
    "types-arg-dict-register-jitable-clean",  # Python calls run the plain function
)
REFUSED = (
    "calls-fstring-spec-int",  # UnsupportedBytecodeError, positioned by "Raised from"
    "existing-calls-plain-class",  # a plain class, defined as written
    "types-empty-list-len-refused",
)


def test_corpus_sample(tmp_path: Path) -> None:
    wanted = {*CLEAN, *REFUSED}
    snippets = {s.id: s for s in load_corpus() if s.id in wanted}
    assert set(snippets) == wanted
    files = []
    for snippet in snippets.values():
        path = tmp_path / f"{snippet.id.replace('-', '_')}.py"
        text = f"{snippet.source}\n\nif __name__ == '__main__':\n    {snippet.call}\n"
        path.write_text(text, encoding="utf-8")
        files.append((path.name, path, text))
    found = verify_sources(files, Settings(cache=False, project_root=tmp_path), jobs=2)
    for snippet_id, snippet in snippets.items():
        name = f"{snippet_id.replace('-', '_')}.py"
        errors = [d for d in found.diagnostics.get(name, []) if d.code == "NB950"]
        if snippet_id in CLEAN:
            assert errors == [], snippet_id
        else:
            assert len(errors) == 1, snippet_id
            assert errors[0].location.line == snippet.line, (snippet_id, errors)
