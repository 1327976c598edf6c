"""The recorded messages (`messages-<version>.toml`, written by record.py), loaded once."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from numba_check.explain import ParsedMessage, parse

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

HERE = Path(__file__).parent
VERSIONS = ("0.57", "0.60", "0.63", "0.68")


@dataclass(frozen=True)
class Recorded:
    version: str
    id: str
    origin: str
    codes: tuple[str, ...]
    error: str
    text: str

    @functools.cached_property
    def parsed(self) -> ParsedMessage:
        return parse(self.text)


@functools.cache
def recorded(version: str) -> tuple[Recorded, ...]:
    data = tomllib.loads((HERE / f"messages-{version}.toml").read_text(encoding="utf-8"))
    return tuple(
        Recorded(version, m["id"], m["origin"], tuple(m["codes"]), m["error"], m["text"])
        for m in data["message"]
    )


def all_recorded() -> tuple[Recorded, ...]:
    return tuple(m for version in VERSIONS for m in recorded(version))
