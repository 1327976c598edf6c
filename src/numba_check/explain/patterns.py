"""The patterns of Numba messages (``knowledge/data/errors.toml``) and their loader."""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from numba_check.explain.message import ParsedMessage

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

DATA = "errors.toml"
_KEYS = {"id", "title", "regex", "codes", "confidence", "example", "context", "unless", "note"}
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class Confidence(str, enum.Enum):
    """How surely a message comes from the construct its rules describe."""

    # Only that construct gives this message.
    HIGH = "high"
    # Usually that construct; other code can give the same message.
    MEDIUM = "medium"
    # A message several constructs give: the rules are places to look, in order.
    LOW = "low"

    @property
    def rank(self) -> int:
        return {"high": 3, "medium": 2, "low": 1}[self.value]


class PatternError(ValueError):
    """The pattern data is malformed; the message names the pattern and the key."""


@dataclass(frozen=True)
class Pattern:
    """A kind of Numba message and the rules that cover it."""

    id: str
    title: str
    regex: re.Pattern[str]
    codes: tuple[str, ...]
    confidence: Confidence
    example: str
    # Regexes that must (context) or must not (unless) occur anywhere in the message.
    context: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    note: str = ""

    def search(self, message: ParsedMessage) -> str | None:
        """The whole lines of `message` this pattern matches, or None."""
        text = message.text
        if self.context is not None and not self.context.search(text):
            return None
        if self.unless is not None and self.unless.search(text):
            return None
        found = self.regex.search(text)
        if found is None:
            return None
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", max(found.end() - 1, found.start()))
        return text[start : end if end != -1 else len(text)]


@functools.lru_cache(maxsize=1)
def patterns() -> tuple[Pattern, ...]:
    """The built-in patterns, in the order of the data file."""
    data = resources.files("numba_check.knowledge").joinpath("data", DATA)
    return load_patterns(data.read_text(encoding="utf-8"))


def load_patterns(text: str, known_codes: Iterable[str] | None = None) -> tuple[Pattern, ...]:
    """Patterns from the TOML `text`; raises PatternError naming the bad entry and key.

    `known_codes` (default: the built-in rules) are the codes a pattern may name.
    """
    if known_codes is None:
        from numba_check.rules import RULES_BY_CODE

        known_codes = RULES_BY_CODE
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PatternError(f"{DATA}: {exc}") from None
    known = set(known_codes)
    ids: set[str] = set()
    return tuple(
        _pattern(raw, index, known, ids) for index, raw in enumerate(data.get("pattern", []))
    )


def _pattern(raw: dict[str, Any], index: int, known: set[str], ids: set[str]) -> Pattern:
    where = f"{DATA}: pattern {raw.get('id', f'#{index + 1}')!r}"
    unknown = set(raw) - _KEYS
    if unknown:
        raise PatternError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("id", "title", "regex", "example", "confidence"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise PatternError(f"{where}: `{key}` is required and must be a non-empty string")
    if not _ID.match(raw["id"]):
        raise PatternError(f"{where}: `id` must be kebab-case")
    if raw["id"] in ids:
        raise PatternError(f"{where}: the id is used twice")
    ids.add(raw["id"])
    codes = raw.get("codes")
    if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
        raise PatternError(f"{where}: `codes` must be a non-empty list of rule codes")
    missing = [c for c in codes if c not in known]
    if missing:
        raise PatternError(f"{where}: unknown rule codes {missing}")
    try:
        confidence = Confidence(raw["confidence"])
    except ValueError:
        choices = ", ".join(c.value for c in Confidence)
        raise PatternError(f"{where}: `confidence` must be one of {choices}") from None
    if not isinstance(raw.get("note", ""), str):
        raise PatternError(f"{where}: `note` must be a string")
    regex = _regex(raw, "regex", where)
    assert regex is not None  # required above
    return Pattern(
        id=raw["id"],
        title=raw["title"],
        regex=regex,
        codes=tuple(codes),
        confidence=confidence,
        example=raw["example"].strip("\n"),
        context=_regex(raw, "context", where),
        unless=_regex(raw, "unless", where),
        note=raw.get("note", "").strip(),
    )


def _regex(raw: dict[str, Any], key: str, where: str) -> re.Pattern[str] | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise PatternError(f"{where}: `{key}` must be a string")
    try:
        compiled = re.compile(value, re.MULTILINE)
    except re.error as exc:
        raise PatternError(f"{where}: `{key}` is not a valid regex: {exc}") from None
    if compiled.search(""):
        raise PatternError(f"{where}: `{key}` matches the empty string, so it matches anything")
    return compiled
