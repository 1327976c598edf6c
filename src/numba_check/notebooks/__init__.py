"""Jupyter notebooks (``.ipynb``), checked as ruff checks them.

The code cells are joined, in order, into one virtual module (cells separated by a newline), so
that an import in cell 1 counts for an ``@njit`` function in cell 3. IPython syntax is masked
first (see `magics`); a cell whose cell magic makes it non-Python is left out; markdown and raw
cells are left out. Diagnostics are mapped back to (cell, row within the cell, column), cells
numbered from 1 among all the notebook's cells, as Jupyter front ends and ruff count them.

Fixes are applied to each cell's text, in passes with a check of the whole virtual module
between them, and only the ``source`` of the cells that changed is written back (see `layout`):
outputs, metadata, other cells and the file's JSON layout stay as they were. A fix that would
touch a masked IPython line, or reach from one cell into another, is never applied.

Notebooks are read with the standard library's json: the plain install checks them.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from numba_check.engine import LintConfig, check_text, selected
from numba_check.fixes import MAX_PASSES, fix_source, is_applicable
from numba_check.fixes import unified_diff as unified_file_diff
from numba_check.model import Diagnostic, Edit, Fix, Location
from numba_check.notebooks import layout, magics
from numba_check.rules import tool


@dataclass(frozen=True)
class CodeCell:
    number: int  # 1-based, counting every cell of the notebook
    index: int  # 0-based position in the notebook's cells list
    source: str  # as the notebook holds it
    masked: magics.MaskedCell


@dataclass(frozen=True)
class Notebook:
    cells: tuple[CodeCell, ...]  # the code cells that are checked
    is_python: bool


class NotebookError(ValueError):
    """The file is not a notebook this tool can read; the message says why."""

    def __init__(self, message: str, location: Location = tool.FILE_START) -> None:
        super().__init__(message)
        self.location = location


def read(text: str) -> Notebook:
    """The code cells of a notebook's JSON text; raises NotebookError if it is not one.

    Read with the standard library's json: what nbformat 4 requires of the parts used here
    (a version, a list of cells, each with its metadata and a text or list-of-lines source)
    is checked, the rest (outputs, attachments) is not looked at.
    """
    try:
        data = json.loads(text)
    except (RecursionError, MemoryError):
        # `[[[[...` a hundred thousand deep: json gives up on it, and so does this file alone.
        raise NotebookError("Cannot parse notebook: JSON nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise NotebookError(
            f"Cannot parse notebook: not valid JSON: {exc.msg}", Location(exc.lineno, exc.colno - 1)
        ) from None
    if not isinstance(data, dict) or "nbformat" not in data:
        raise NotebookError("Cannot parse notebook: not a Jupyter notebook (no `nbformat` field)")
    major = data["nbformat"]
    if major != 4:
        raise NotebookError(
            f"Cannot check notebook: nbformat {major} notebooks are not supported; convert it "
            "with `jupyter nbconvert --to notebook --nbformat 4 --inplace`"
        )
    if not isinstance(data.get("cells"), list) or not all(
        isinstance(c, dict) for c in data["cells"]
    ):
        raise NotebookError("Cannot parse notebook: `cells` is not a list of cells")
    parts = [data, *data["cells"]]
    if not all(isinstance(part.get("metadata"), dict) for part in parts):
        # As nbformat's reader refuses them: a notebook or a cell without `metadata`.
        raise NotebookError(
            "Cannot parse notebook: not a valid nbformat 4 notebook (missing or malformed: "
            "metadata)"
        )
    cells = []
    for index, cell in enumerate(data["cells"]):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = "".join(source)  # nbformat 4 stores a source as text or as its lines
        if not isinstance(source, str):
            raise NotebookError(
                f"Cannot parse notebook: cell {index + 1} has a `source` that is not text"
            )
        masked = magics.mask(source)
        if masked is not None:
            cells.append(CodeCell(index + 1, index, source, masked))
    return Notebook(tuple(cells), _is_python(data["metadata"]))


def _is_python(metadata: Mapping[str, Any]) -> bool:
    # As ruff: the kernel's language decides; a notebook that does not say is taken as Python.
    for key, field in (("language_info", "name"), ("kernelspec", "language")):
        value = metadata.get(key)
        if isinstance(value, Mapping) and isinstance(value.get(field), str):
            return value[field].lower() == "python"
    return True


@dataclass(frozen=True)
class _Virtual:
    """Masked cells joined into one module, and the way back from its lines to the cells."""

    numbers: tuple[int, ...]  # the cell number of each part
    texts: tuple[str, ...]  # the masked text of each part
    starts: tuple[int, ...]  # the module line each part starts at
    text: str

    @classmethod
    def join(cls, parts: Sequence[tuple[int, str]]) -> _Virtual:
        starts, line = [], 1
        for _, text in parts:
            starts.append(line)
            line += _line_breaks(text) + 1
        text = "\n".join(t for _, t in parts) + "\n" if parts else ""
        return cls(tuple(n for n, _ in parts), tuple(t for _, t in parts), tuple(starts), text)

    def part(self, line: int) -> int:
        return max(bisect.bisect_right(self.starts, line) - 1, 0)

    def lines_in(self, part: int) -> int:
        return _line_breaks(self.texts[part]) + 1

    def local(self, part: int, location: Location) -> Location:
        return Location(location.line - self.starts[part] + 1, location.column)


def _line_breaks(text: str) -> int:
    # Lines end at \r\n, \r or \n, as Python's tokenizer counts them.
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def check_notebook(text: str, filename: str, config: LintConfig) -> tuple[Diagnostic, ...]:
    """Diagnostics for a notebook's JSON text, each naming its cell; sorted."""
    if not text.strip():
        return selected(
            [tool.diagnostic(tool.EmptyFile, filename, "File is empty")], config, filename
        )
    try:
        notebook = read(text)
    except NotebookError as exc:
        problem = tool.diagnostic(tool.SyntaxErrorRule, filename, str(exc), exc.location)
        return selected([problem], config, filename)
    if not notebook.is_python:
        return ()
    virtual = _Virtual.join([(c.number, c.masked.text) for c in notebook.cells])
    return _check(virtual, filename, config)


def _check(virtual: _Virtual, filename: str, config: LintConfig) -> tuple[Diagnostic, ...]:
    if not virtual.text.strip():
        return ()
    found = check_text(virtual.text, filename, config)
    return tuple(sorted((_to_cell(d, virtual) for d in found), key=Diagnostic.sort_key))


def _to_cell(diagnostic: Diagnostic, virtual: _Virtual) -> Diagnostic:
    """`diagnostic` with positions in its cell; a fix only if it stays inside that cell and off
    the masked IPython lines."""
    part = virtual.part(diagnostic.location.line)
    fix = diagnostic.fix
    if fix is not None:
        fix = _fix_in_cell(fix, part, virtual)
    return dataclasses.replace(
        diagnostic,
        message=_PARSER_POSITION.sub(lambda m: _local_position(m, virtual), diagnostic.message),
        location=virtual.local(part, diagnostic.location),
        end_location=virtual.local(part, diagnostic.end_location),
        fix=fix,
        cell=virtual.numbers[part] if virtual.numbers else None,
    )


# Python's syntax errors may name a line of the joined module: "... opening parenthesis '['
# on line 5".
_PARSER_POSITION = re.compile(r"(?<=on line )(\d+)")


def _local_position(match: re.Match[str], virtual: _Virtual) -> str:
    """A line of the joined module as the user sees it: "2 of cell 3"."""
    line = int(match[1])
    part = virtual.part(line)
    local = virtual.local(part, Location(line, 0)).line
    return f"{local} of cell {virtual.numbers[part]}" if virtual.numbers else match[0]


def _fix_in_cell(fix: Fix, part: int, virtual: _Virtual) -> Fix | None:
    count = virtual.lines_in(part)
    masked = magics.placeholder_lines(virtual.texts[part])
    edits = []
    for edit in fix.edits:
        start, end = virtual.local(part, edit.start), virtual.local(part, edit.end)
        if not (1 <= start.line <= end.line <= count):
            return None
        if any(start.line <= line <= end.line for line in masked):
            return None
        edits.append(Edit(start, end, edit.content))
    rewrite = fix.rewrite
    if rewrite is not None:
        # A structural fix: its node must lie in the cell, off the masked lines, like an edit.
        start, end = virtual.local(part, rewrite.start), virtual.local(part, rewrite.end)
        if not (1 <= start.line <= end.line <= count):
            return None
        if any(start.line <= line <= end.line for line in masked):
            return None
        rewrite = dataclasses.replace(rewrite, start=start, end=end)
    return dataclasses.replace(fix, edits=tuple(edits), rewrite=rewrite)


@dataclass(frozen=True)
class NotebookFix:
    text: str  # the notebook's JSON after fixes (the same text when nothing was fixed)
    remaining: tuple[Diagnostic, ...]
    fixed: Counter[str]


def fix_notebook(
    text: str,
    filename: str,
    config: LintConfig,
    *,
    unsafe: bool = False,
    diagnostics: Sequence[Diagnostic] | None = None,
) -> NotebookFix:
    """Apply fixes cell by cell; the notebook's new JSON text, with only the sources of the
    changed cells rewritten. `diagnostics`, when given, are check_notebook(text) already.

    As for a file, fixes go in passes until nothing more is fixable: each pass applies the
    fixes of every cell to that cell's text (fix_source, whose re-check here returns nothing,
    so that it makes exactly one pass, keeping a cell parseable) and then checks the whole
    notebook once.
    """
    found = tuple(check_notebook(text, filename, config) if diagnostics is None else diagnostics)
    if not any(d.fix for d in found):
        return NotebookFix(text, found, Counter())
    notebook = read(text)
    texts = {c.number: c.masked.text for c in notebook.cells}
    fixed: Counter[str] = Counter()
    current = found
    for _ in range(MAX_PASSES):
        by_cell: dict[int, list[Diagnostic]] = {}
        for d in current:
            if d.cell is not None and is_applicable(d.fix, unsafe=unsafe):
                by_cell.setdefault(d.cell, []).append(d)
        applied = False
        for number, fixable in by_cell.items():
            result = fix_source(texts[number], _nothing, unsafe=unsafe, diagnostics=fixable)
            if result.fixed:
                texts[number] = result.source
                fixed.update(result.fixed)
                applied = True
        if not applied:
            break
        current = _check(_Virtual.join(list(texts.items())), filename, config)
    if not fixed:
        return NotebookFix(text, found, fixed)
    new_sources = {}
    for cell in notebook.cells:
        source = magics.unmask(texts[cell.number], cell.masked)
        if source is None:  # cannot happen while fixes keep off masked lines; be safe
            return NotebookFix(text, found, Counter())
        if source != cell.source:
            new_sources[cell.index] = source
    return NotebookFix(_write(text, new_sources), current, fixed)


def _nothing(_text: str) -> tuple[Diagnostic, ...]:
    return ()


def _write(text: str, sources: Mapping[int, str]) -> str:
    try:
        return layout.replace_sources(text, sources)
    except ValueError:
        # Written whole, in the layout Jupyter (nbformat) writes: keys sorted, an indent of
        # one, sources as lists of lines, non-ASCII as is.
        data = json.loads(text)
        for index, source in sources.items():
            data["cells"][index]["source"] = source.splitlines(True)
        ending = "\n" if text.endswith("\n") else ""
        return json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + ending


def cell_sources(text: str) -> dict[int, str]:
    """Each checked code cell's source by cell number; empty if `text` is not a notebook."""
    try:
        return {c.number: c.source for c in read(text).cells}
    except NotebookError:
        return {}


def unified_diff(before: str, after: str, filename: str) -> str:
    """What --diff prints for a notebook: a diff per changed cell, named `file:cell N`."""
    try:
        old, new = read(before), read(after)
    except NotebookError:
        return unified_file_diff(before, after, filename)
    new_by_index = {c.index: c.source for c in new.cells}
    out = []
    for cell in old.cells:
        changed = new_by_index.get(cell.index, cell.source)
        if changed != cell.source:
            # Each cell ends with a newline in the virtual module, so diffs show no
            # "No newline at end of file" for every cell.
            out.append(
                unified_file_diff(
                    _with_newline(cell.source),
                    _with_newline(changed),
                    f"{filename}:cell {cell.number}",
                )
            )
    return "".join(out)


def _with_newline(text: str) -> str:
    return text if text.endswith(("\n", "\r")) or not text else text + "\n"


def sources_for_output(filename: str, text: str) -> Iterable[tuple[str, str]]:
    """The ``"<filename>:cell <n>"`` keys and cell texts the formatters show snippets from."""
    for number, source in cell_sources(text).items():
        yield f"{filename}:cell {number}", source


__all__ = [
    "NotebookError",
    "NotebookFix",
    "cell_sources",
    "check_notebook",
    "fix_notebook",
    "read",
    "sources_for_output",
    "unified_diff",
]
