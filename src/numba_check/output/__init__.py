"""Output formats, registered by name: ``get_formatter("json")(diagnostics, ctx)``.

Each format is a module with a ``NAME`` and a pure ``render(diagnostics, ctx) -> str``. This
module is also the built-in plugin that contributes them (``FORMATS``, the built-in ones only);
plugins add theirs through the same hook, and ``Plugins.formatter(name)`` finds both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from numba_check.output import concise, full, github, gitlab, json, junit, sarif
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

FORMATS: dict[str, Formatter] = {
    module.NAME: module.render for module in (concise, full, json, github, gitlab, sarif, junit)
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
