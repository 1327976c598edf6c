"""Fixtures over the sample diagnostics in output_samples."""

from __future__ import annotations

import pytest
from output_samples import CELL_SOURCE, DIAGNOSTICS, KERNELS, KERNELS_SOURCE, NOTEBOOK, RULES

from numba_check.model import Diagnostic
from numba_check.output import FormatContext


@pytest.fixture
def diagnostics() -> list[Diagnostic]:
    return list(DIAGNOSTICS)


@pytest.fixture
def context() -> FormatContext:
    return FormatContext(
        tool_version="0.1.0",
        sources={KERNELS: KERNELS_SOURCE, f"{NOTEBOOK}:cell 3": CELL_SOURCE},
        rules=RULES,
    )
