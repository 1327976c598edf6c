"""SARIF 2.1.0, as GitHub code scanning reads it: one run, its rules, one result per diagnostic."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from numba_check.model import Diagnostic, Edit, Fix, Location, Severity
from numba_check.output.base import FormatContext, RuleInfo, json_text, name_bytes, row_col

NAME = "sarif"

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/numba-check/"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(diagnostics: Sequence[Diagnostic], ctx: FormatContext) -> str:
    """A SARIF log with the rules in ``ctx.rules`` plus any other code the diagnostics carry."""
    rules = _rules(diagnostics, ctx)
    index = {rule.code: i for i, rule in enumerate(rules)}
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "numba-check",
                        "informationUri": INFORMATION_URI,
                        "version": ctx.tool_version,
                        "rules": [_rule(rule) for rule in rules],
                    }
                },
                "results": [_result(d, index[d.code]) for d in diagnostics],
            }
        ],
    }
    return json_text(json.dumps(log, indent=2, ensure_ascii=False)) + "\n"


def _rules(diagnostics: Sequence[Diagnostic], ctx: FormatContext) -> list[RuleInfo]:
    rules = dict(ctx.rules)
    for d in diagnostics:
        if d.code not in rules:
            rules[d.code] = RuleInfo(d.code, d.name, d.severity, d.name, d.url)
    return [rules[code] for code in sorted(rules)]


def _rule(rule: RuleInfo) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary or rule.name},
    }
    if rule.url:
        descriptor["helpUri"] = rule.url
    descriptor["defaultConfiguration"] = {"level": _LEVEL[rule.severity]}
    return descriptor


def _result(diagnostic: Diagnostic, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": diagnostic.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[diagnostic.severity],
        "message": {"text": diagnostic.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(diagnostic.filename),
                    "region": _region(diagnostic.location, diagnostic.end_location),
                }
            }
        ],
    }
    if diagnostic.fix is not None and diagnostic.fix.edits:
        result["fixes"] = [_fix(diagnostic.fix, diagnostic.filename)]
    if diagnostic.cell is not None:
        # Rows count from the top of the notebook cell, not of the file.
        result["properties"] = {"cell": diagnostic.cell}
    return result


def artifact_location(filename: str) -> dict[str, str]:
    """A relative path becomes a URI under ``%SRCROOT%``; an absolute one a ``file:`` URI.

    A URI carries the name's bytes percent-encoded, so a byte that is not UTF-8 (``bad\\xff.py``)
    stays exactly what it is (``bad%FF.py``): percent-encoding carries any octet (RFC 3986).
    """
    if PurePosixPath(filename).is_absolute():
        return {"uri": "file://" + quote(name_bytes(filename))}
    windows = PureWindowsPath(filename)
    if windows.is_absolute():
        # As pathlib's as_uri() builds them, which cannot take lone surrogates.
        path = windows.as_posix()
        if len(windows.drive) == 2 and windows.drive[1] == ":":  # C:/a.py -> file:///C:/a.py
            return {"uri": f"file:///{windows.drive}" + quote(name_bytes(path[2:]))}
        return {"uri": "file:" + quote(name_bytes(path))}  # //host/share/c.py
    return {"uri": quote(name_bytes(filename.replace("\\", "/"))), "uriBaseId": "%SRCROOT%"}


def _region(start: Location, end: Location) -> dict[str, int]:
    start_line, start_column = row_col(start)
    end_line, end_column = row_col(end)
    return {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    }


def _fix(fix: Fix, filename: str) -> dict[str, Any]:
    return {
        "description": {"text": fix.message},
        "artifactChanges": [
            {
                "artifactLocation": artifact_location(filename),
                "replacements": [_replacement(edit) for edit in fix.edits],
            }
        ],
        "properties": {"applicability": fix.applicability.value},
    }


def _replacement(edit: Edit) -> dict[str, Any]:
    replacement: dict[str, Any] = {"deletedRegion": _region(edit.start, edit.end)}
    if edit.content:
        replacement["insertedContent"] = {"text": edit.content}
    return replacement
