"""docs/plugins.md shows the plugin the tests install, and the output it really gives."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.plugins.conftest import PACKAGES, Result
from tests.plugins.test_third_party import TAP_REPORT, TYPO_ERROR

PAGE = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"
DEMO = PACKAGES / "numba-check-demo"


@pytest.fixture(scope="module")
def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def block_after(page: str, caption: str) -> str:
    """The fenced block that follows the line `caption`."""
    match = re.search(
        rf"^{re.escape(caption)}\n\n```\w*\n(.*?)^```$", page, re.MULTILINE | re.DOTALL
    )
    assert match, f"no code block after {caption!r} in {PAGE.name}"
    return match.group(1)


def test_example_is_the_tested_package(page: str) -> None:
    assert block_after(page, "`pyproject.toml`:") == (DEMO / "pyproject.toml").read_text()
    assert block_after(page, "`numba_check_demo.py`:") == (DEMO / "numba_check_demo.py").read_text()


def test_shown_output_is_real(page: str) -> None:
    report = block_after(page, "Installed (`pip install .`), it works like this:")
    assert "$ numba-check --output-format tap kernels.py\n" + TAP_REPORT in report
    assert TYPO_ERROR in page


def test_plugins_listing_is_real(
    page: str, numba_check_cli: Callable[..., Result], demo_site: Path
) -> None:
    shown = block_after(page, "numba-check finds it through its entry point. See what is loaded:")
    real = numba_check_cli("plugins", sites=[demo_site]).out
    # The number of built-in rules and formats changes as numba-check grows.
    count = re.compile(r"\b\d+ (rules|formats)$", re.MULTILINE)
    assert count.sub(r"N \1", shown) == count.sub(r"N \1", "$ numba-check plugins\n" + real)
