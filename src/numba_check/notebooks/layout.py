"""Writing new cell sources into a notebook's JSON text, every other byte left as it was.

Rewriting the whole file with a JSON library would re-indent, re-order and re-escape what the
notebook's own writer chose (Jupyter writes nbformat's layout: keys sorted, an indent of one,
sources as lists of lines; other tools differ). Instead each changed cell's ``"source"`` value is
cut out of the text and replaced by the new one, written in the style the old one was: a list of
lines with the same indentation, or a single string. The result is parsed again and must equal
the notebook with the new sources; if it does not, nbformat writes the whole notebook.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from typing import Any

_DECODER = json.JSONDecoder()
_WHITESPACE = re.compile(r"[ \t\n\r]*")
# Between two strings of a list: how this file separates items (`",\n    "` or `", "`).
_ITEM_SEPARATOR = re.compile(r'",(\s*)"')


class LayoutError(ValueError):
    """The text is not the JSON object the parsed notebook came from."""


def replace_sources(text: str, sources: Mapping[int, str]) -> str:
    """`text`, a notebook's JSON, with the source of each cell in `sources` (by 0-based index
    in the ``cells`` list) replaced; raises LayoutError if that cannot be done in place."""
    data = json.loads(text)
    spans = source_spans(text)
    ensure_ascii = text.isascii() and "\\u" in text
    out: list[str] = []
    last = 0
    for index in sorted(sources):
        if index >= len(spans) or spans[index] is None:
            raise LayoutError(f"cell {index + 1} has no source to replace")
        start, end = spans[index]  # type: ignore[misc]
        out += [text[last:start], _render(text, start, end, sources[index], ensure_ascii)]
        last = end
    out.append(text[last:])
    result = "".join(out)
    expected = copy.deepcopy(data)
    for index, source in sources.items():
        expected["cells"][index]["source"] = source
    if _joined(json.loads(result)) != _joined(expected):
        raise LayoutError("the rewritten notebook does not read back as expected")
    return result


def source_spans(text: str) -> list[tuple[int, int] | None]:
    """For each cell, in order, where its ``"source"`` value lies in `text` (None if it has
    none). The last of duplicate keys wins, as in json.loads."""
    spans: list[tuple[int, int] | None] = []
    members, _ = _object(text, _skip(text, 0), walk="cells")
    cells = members.get("cells")
    if not isinstance(cells, list):
        raise LayoutError("no cells list")
    for start in cells:
        cell, _ = _object(text, start)
        span = cell.get("source")
        spans.append(span if isinstance(span, tuple) else None)
    return spans


def _object(text: str, i: int, walk: str | None = None) -> tuple[dict[str, Any], int]:
    """The members of the object at `i`: key -> (start, end) of its value, or for the key
    `walk` (an array) the start of each element; and where the object ends."""
    if text[i : i + 1] != "{":
        raise LayoutError(f"expected an object at offset {i}")
    members: dict[str, Any] = {}
    i = _skip(text, i + 1)
    if text[i : i + 1] == "}":
        return members, i + 1
    while True:
        key, i = _DECODER.raw_decode(text, i)
        i = _skip(text, i)
        if text[i : i + 1] != ":":
            raise LayoutError(f"expected ':' at offset {i}")
        i = _skip(text, i + 1)
        if key == walk and text[i : i + 1] == "[":
            members[key], end = _array(text, i)
        else:
            _, end = _DECODER.raw_decode(text, i)
            members[key] = (i, end)
        i = _skip(text, end)
        if text[i : i + 1] == ",":
            i = _skip(text, i + 1)
        elif text[i : i + 1] == "}":
            return members, i + 1
        else:
            raise LayoutError(f"expected ',' or '}}' at offset {i}")


def _array(text: str, i: int) -> tuple[list[int], int]:
    starts: list[int] = []
    i = _skip(text, i + 1)
    if text[i : i + 1] == "]":
        return starts, i + 1
    while True:
        starts.append(i)
        _, end = _DECODER.raw_decode(text, i)
        i = _skip(text, end)
        if text[i : i + 1] == ",":
            i = _skip(text, i + 1)
        elif text[i : i + 1] == "]":
            return starts, i + 1
        else:
            raise LayoutError(f"expected ',' or ']' at offset {i}")


def _skip(text: str, i: int) -> int:
    match = _WHITESPACE.match(text, i)
    assert match is not None  # matches the empty string at least
    return match.end()


def _render(text: str, start: int, end: int, source: str, ensure_ascii: bool) -> str:
    """`source` as a JSON value in the style of the value it replaces, ``text[start:end]``."""
    old = text[start:end]
    if old.startswith('"'):
        return json.dumps(source, ensure_ascii=ensure_ascii)
    lines = source.splitlines(True)  # as nbformat splits sources when it writes
    if not lines:
        return "[]"
    inner = old[1:-1]
    if inner.strip():
        opening = inner[: len(inner) - len(inner.lstrip())]
        closing = inner[len(inner.rstrip()) :]
    else:
        # An empty list: indent as the lines of a list under this key would be.
        line_start = text.rfind("\n", 0, start) + 1
        key_line = text[line_start:start]
        indent = key_line[: len(key_line) - len(key_line.lstrip(" \t"))]
        opening = f"\n{indent}{_indent_unit(text)}"
        closing = f"\n{indent}"
    if "\n" in opening:
        separator = opening
    else:
        found = _ITEM_SEPARATOR.search(text)
        separator = found.group(1) if found is not None else " "
    items = f",{separator}".join(json.dumps(line, ensure_ascii=ensure_ascii) for line in lines)
    return f"[{opening}{items}{closing}]"


def _indent_unit(text: str) -> str:
    """One level of this file's indentation: what stands before its first key."""
    first = text.find("{")
    lead = text[first + 1 : _skip(text, first + 1)]
    return lead.rsplit("\n", 1)[-1] if "\n" in lead else " "


def _joined(data: Any) -> Any:
    """The notebook with every cell source as one string, as nbformat reads it."""
    for cell in data.get("cells", []) if isinstance(data, dict) else []:
        if isinstance(cell, dict) and isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
    return data
