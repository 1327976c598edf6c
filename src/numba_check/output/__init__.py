"""Output formats, registered by name: ``get_formatter("json")(diagnostics, ctx)``.

Each format is a module with a ``NAME`` and a pure ``render(diagnostics, ctx) -> str``. This
module is also the built-in plugin that contributes them (``FORMATS``, the built-in ones only);
plugins add theirs through the same hook, and ``Plugins.formatter(name)`` finds both.

A format's module is imported the first time it renders: a run prints one format, and the
others' imports (xml for junit, hashlib for gitlab) would only add to a one-file run's start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence

from numba_check.model import Diagnostic
from numba_check.output.base import FormatContext, Formatter, RuleInfo
from numba_check.plugins import hookimpl

__all__ = [
    "DEFAULT_FORMAT",
    "FORMATS",
    "FormatContext",
    "Formatter",
    "RuleInfo",
    "UnknownFormatError",
    "get_formatter",
    "numba_check_add_output_formats",
]


def _on_first_use(name: str) -> Formatter:
    """The render function of ``numba_check.output.<name>``, imported when first called."""
    module = f"{__name__}.{name}"

    def render(diagnostics: Sequence[Diagnostic], ctx: FormatContext) -> str:
        renderer: Formatter = importlib.import_module(module).render
        return renderer(diagnostics, ctx)

    render.__module__ = module
    render.__qualname__ = render.__name__ = "render"
    return render


# Each name is its module's NAME (tests/output checks that they agree).
FORMATS: dict[str, Formatter] = {
    name: _on_first_use(name)
    for name in ("concise", "full", "json", "github", "gitlab", "sarif", "junit")
}


@hookimpl
def numba_check_add_output_formats() -> Mapping[str, Formatter]:
    return FORMATS


# As in ruff, where `--output-format` defaults to the full format.
DEFAULT_FORMAT = "full"


class UnknownFormatError(KeyError):
    """Raised for an output format nobody registered."""

    def __init__(self, name: str, available: Iterable[str]) -> None:
        self.name = name
        self.available = tuple(sorted(available))
        super().__init__(name)

    def __str__(self) -> str:
        # KeyError's own __str__ would print the repr of the key only.
        return f"unknown output format {self.name!r}; choose from: {', '.join(self.available)}"


def get_formatter(name: str) -> Formatter:
    """The built-in formatter ``name``; raises UnknownFormatError if there is none. (The
    command line asks the plugins, which know the plugins' formats too.)"""
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormatError(name, FORMATS) from None
