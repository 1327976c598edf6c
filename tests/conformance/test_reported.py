"""fixtures/reported: compile failures users reported (reduced keeping their code shape), each
beside a look-alike that compiles. The manifest records what Numba does with every case; the
static rules must catch the failures it marks `caught_static` and stay silent on every look-alike."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from numba_check.api import run
from numba_check.settings import Settings
from tests.reported_cases import refused

ROOT = Path(__file__).resolve().parents[2]
SETS = sorted(p.parent for p in (ROOT / "fixtures" / "reported").glob("*/manifest.json"))


def _manifest(folder: Path) -> list[dict[str, object]]:
    return json.loads((folder / "manifest.json").read_text("utf-8"))


@pytest.mark.parametrize("folder", SETS, ids=lambda p: p.name)
def test_manifest_names_every_case_once(folder: Path) -> None:
    cases = _manifest(folder)
    files = [str(c["file"]) for c in cases]
    assert len(set(files)) == len(files)
    assert sorted(files) == sorted(
        str(p.relative_to(folder)) for p in (folder / "cases").glob("*.py")
    )
    for case in cases:
        assert case["kind"] in ("failure", "lookalike"), case
        assert str(case["source"]).startswith("https://"), case
        verdicts = ("refused", "miscomputes") if case["kind"] == "failure" else ("compiles",)
        assert case["verdict"] in verdicts, case
    # Every failure has its look-alike: f01_x.py beside l01_x.py.
    stems = {f.split("/")[-1][1:] for f in files}
    assert len(stems) * 2 == len(files)


@pytest.mark.parametrize("folder", SETS, ids=lambda p: p.name)
def test_static_rules_catch_what_is_recorded(folder: Path) -> None:
    previous = Path.cwd()
    os.chdir(folder / "cases")
    try:
        result = run(["."], Settings(cache=False, project_root=folder / "cases"))
    finally:
        os.chdir(previous)
    errors = {
        f"cases/{outcome.file.path.name}"
        for outcome in result.files
        for d in outcome.diagnostics
        if d.severity.value == "error"
    }
    cases = _manifest(folder)
    lookalikes = {str(c["file"]) for c in cases if c["kind"] == "lookalike"}
    failures = {str(c["file"]) for c in cases if c["kind"] == "failure"}
    assert errors & lookalikes == set()
    assert errors & failures == {str(c["file"]) for c in cases if c.get("caught_static")}


@pytest.mark.compiler
@pytest.mark.parametrize("folder", SETS, ids=lambda p: p.name)
def test_cases_are_what_numba_says(folder: Path) -> None:
    """Run every case in one interpreter (Numba imported once): the refused ones raise, the
    others run (a miscomputed one runs too; its difference is recorded, not re-checked)."""
    cases = _manifest(folder)
    raised = refused(folder, [str(c["file"]) for c in cases])
    verdicts = {name: "refused" if r else "runs" for name, r in raised.items()}
    expected = {str(c["file"]): "refused" if c["verdict"] == "refused" else "runs" for c in cases}
    assert verdicts == expected
