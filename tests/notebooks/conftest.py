"""Notebook tests run the command line as the CLI tests do, with the same fixtures."""

from __future__ import annotations

from tests.cli.conftest import project, run  # noqa: F401 - shared fixtures
