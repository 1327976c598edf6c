"""The command-line fixtures of tests/cli, reused: a throw-away project folder and `run`."""

from __future__ import annotations

from tests.cli.conftest import project, run  # noqa: F401 - fixtures, found by name
