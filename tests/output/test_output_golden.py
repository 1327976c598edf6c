"""Every format, rendered from the fixed diagnostics in conftest, against its golden file.

Set NUMBA_CHECK_UPDATE_GOLDEN=1 to rewrite the golden files, then review the diff.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from numba_check.output import FORMATS, FormatContext, get_formatter

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("NUMBA_CHECK_UPDATE_GOLDEN") == "1"
EXTENSIONS = {"json": ".json", "gitlab": ".json", "sarif": ".json", "junit": ".xml"}

CASES = [(name, name, False) for name in FORMATS] + [("full", "full-show-fixes", True)]


@pytest.mark.parametrize(("fmt", "golden", "show_fixes"), CASES, ids=[c[1] for c in CASES])
def test_golden(diagnostics, context: FormatContext, fmt: str, golden: str, show_fixes: bool):
    ctx = dataclasses.replace(context, show_fixes=show_fixes)
    text = get_formatter(fmt)(diagnostics, ctx)
    path = GOLDEN / f"{golden}{EXTENSIONS.get(fmt, '.txt')}"
    if UPDATE:
        path.write_bytes(text.encode("utf-8"))
    assert text == path.read_bytes().decode("utf-8")


def test_every_format_has_a_golden_file():
    names = {path.name.split(".")[0] for path in GOLDEN.iterdir()}
    assert set(FORMATS) <= names
