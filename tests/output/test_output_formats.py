"""Properties of each format beyond its golden file: validity, escaping, edge cases."""

from __future__ import annotations

import importlib
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from output_samples import AWKWARD_MESSAGE, KERNELS, NOTEBOOK, ODD

from numba_check.model import Applicability, Diagnostic, Edit, Fix, Location, Severity
from numba_check.output import (
    FORMATS,
    FormatContext,
    UnknownFormatError,
    get_formatter,
)
from numba_check.output.github import escape_data, escape_property

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text("utf-8"))
EMPTY_CTX = FormatContext(tool_version="0.1.0")


def render(fmt: str, diagnostics, ctx: FormatContext = EMPTY_CTX) -> str:
    return get_formatter(fmt)(diagnostics, ctx)


def diagnostic(**changes) -> Diagnostic:
    fields = dict(
        code="NB101",
        name="try-finally",
        message="`finally` is not supported",
        severity=Severity.ERROR,
        filename="a.py",
        location=Location(2, 4),
        end_location=Location(2, 9),
    )
    fields.update(changes)
    return Diagnostic(**fields)


# -- registry


def test_registry_names():
    assert set(FORMATS) == {"concise", "full", "json", "github", "gitlab", "sarif", "junit"}


def test_unknown_format_names_the_choices():
    with pytest.raises(UnknownFormatError) as info:
        get_formatter("xml")
    assert isinstance(info.value, KeyError)
    assert info.value.name == "xml"
    assert str(info.value) == (
        "unknown output format 'xml'; choose from: concise, full, github, gitlab, json, junit,"
        " sarif"
    )


# -- empty input


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_empty(fmt: str):
    text = render(fmt, [])
    if fmt in ("concise", "full", "github"):
        assert text == ""
    elif fmt in ("json", "gitlab"):
        assert text == "[]\n"
    elif fmt == "sarif":
        log = json.loads(text)
        jsonschema.validate(log, SCHEMA)
        assert log["runs"][0]["results"] == []
        assert log["runs"][0]["tool"]["driver"]["rules"] == []
    else:
        root = ET.fromstring(text)
        assert root.get("failures") == "0"


# -- concise and full


def test_concise_marks_only_safe_fixes(diagnostics, context):
    lines = render("concise", diagnostics, context).splitlines()
    assert len(lines) == len(diagnostics)
    assert lines[0].startswith(f"{NOTEBOOK}:cell 3:3:12: NB502 warning: Integer")
    assert lines[1] == (
        f"{KERNELS}:13:16: NB201 [*] error: `helper` is called from compiled function `total`"
        " but is not compiled itself"
    )
    assert lines[2].startswith(f"{KERNELS}:19:11: NB510 warning: `np.empty_like`")


def test_full_without_source_is_the_header_alone():
    text = render("full", [diagnostic()])
    assert text == "a.py:2:5: NB101 error: `finally` is not supported\n"


def test_full_underlines_after_tabs():
    source = "def f():\n\tx = 1\n"
    ctx = FormatContext(tool_version="0", sources={"a.py": source})
    text = render("full", [diagnostic(location=Location(2, 1), end_location=Location(2, 2))], ctx)
    assert "2 |     x = 1\n  |     ^\n" in text


def test_full_with_position_past_the_end_falls_back():
    ctx = FormatContext(tool_version="0", sources={"a.py": "x = 1\n"})
    text = render("full", [diagnostic(location=Location(9, 0), end_location=Location(9, 0))], ctx)
    assert text == "a.py:9:1: NB101 error: `finally` is not supported\n"


def test_full_shows_the_fix_only_when_asked(diagnostics, context):
    assert "+ " not in render("full", diagnostics, context)


# -- json


def test_json_round_trips_with_ruffs_keys(diagnostics, context):
    objects = json.loads(render("json", diagnostics, context))
    assert len(objects) == len(diagnostics)
    keys = {
        "cell",
        "code",
        "end_location",
        "filename",
        "fix",
        "location",
        "message",
        "name",
        "noqa_row",
        "severity",
        "url",
    }
    for obj, diag in zip(objects, diagnostics, strict=True):
        assert set(obj) == keys
        assert set(obj["location"]) == set(obj["end_location"]) == {"row", "column"}
        assert obj["location"] == {
            "row": diag.location.line,
            "column": diag.location.column + 1,
        }
        assert obj["message"] == diag.message
        assert obj["severity"] == diag.severity.value
        if obj["fix"] is not None:
            assert set(obj["fix"]) == {"applicability", "message", "edits"}
            for edit in obj["fix"]["edits"]:
                assert set(edit) == {"content", "location", "end_location"}
    assert objects[0]["cell"] == 3
    assert objects[1]["fix"]["edits"][0]["location"] == {"row": 5, "column": 1}
    assert objects[2]["fix"]["applicability"] == "unsafe"


# -- github


_COMMAND = re.compile(r"^::(error|warning|notice) (?P<props>[^:]*)::(?P<data>.*)$")


def _unescape(text: str) -> str:
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: chr(int(m.group(1), 16)), text)


def test_github_escaping_round_trips(diagnostics, context):
    lines = render("github", diagnostics, context).splitlines()
    assert len(lines) == len(diagnostics)
    levels = [_COMMAND.match(line).group(1) for line in lines]
    assert levels == ["warning", "error", "warning", "notice", "error"]
    match = _COMMAND.match(lines[-1])
    props = dict(item.split("=", 1) for item in match.group("props").split(","))
    assert _unescape(props["file"]) == ODD
    assert _unescape(props["title"]) == "numba-check (NB204)"
    assert props["line"] == "3" and props["col"] == "5"
    assert props["endLine"] == "4" and props["endColumn"] == "9"
    assert _unescape(match.group("data")) == f"{ODD}:3:5: NB204 {AWKWARD_MESSAGE}"


def test_github_escape_functions():
    assert escape_data("50%\r\n: ,") == "50%25%0D%0A: ,"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    # Escaping % first keeps an already escaped-looking text literal.
    assert escape_data("%0A") == "%250A"


# -- sarif


def test_sarif_is_valid_and_complete(diagnostics, context):
    log = json.loads(render("sarif", diagnostics, context))
    jsonschema.validate(log, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "numba-check"
    assert driver["version"] == "0.1.0"
    ids = [rule["id"] for rule in driver["rules"]]
    # Rules given in the context, plus those only the diagnostics know about.
    assert ids == ["NB101", "NB201", "NB204", "NB502", "NB510", "NB701"]
    for result, diag in zip(run["results"], diagnostics, strict=True):
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"] == diag.code
    levels = [result["level"] for result in run["results"]]
    assert levels == ["warning", "error", "warning", "note", "error"]
    location = run["results"][-1]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "src/pkg/odd%20name%2C%20v2.py",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"] == {"startLine": 3, "startColumn": 5, "endLine": 4, "endColumn": 9}
    assert "fixes" in run["results"][1] and "fixes" not in run["results"][3]


def test_sarif_paths():
    diags = [
        diagnostic(filename="src\\win\\a.py"),
        diagnostic(filename="/abs/b.py"),
        diagnostic(filename="C:\\abs\\c.py"),
    ]
    log = json.loads(render("sarif", diags))
    jsonschema.validate(log, SCHEMA)
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]
    ]
    assert uris == [
        {"uri": "src/win/a.py", "uriBaseId": "%SRCROOT%"},
        {"uri": "file:///abs/b.py"},
        {"uri": "file:///C:/abs/c.py"},
    ]


def test_sarif_skips_a_fix_without_edits():
    fix = Fix(Applicability.SAFE, "nothing to do", ())
    log = json.loads(render("sarif", [diagnostic(fix=fix)]))
    jsonschema.validate(log, SCHEMA)
    assert "fixes" not in log["runs"][0]["results"][0]


# -- junit


def test_junit_parses_and_counts(diagnostics, context):
    root = ET.fromstring(render("junit", diagnostics, context))
    assert root.tag == "testsuites" and root.get("name") == "numba-check"
    assert root.get("failures") == root.get("tests") == "5"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [NOTEBOOK, KERNELS, ODD]
    assert [s.get("failures") for s in suites] == ["1", "3", "1"]
    failure = suites[-1].find("testcase/failure")
    assert failure.get("message") == f"NB204: {AWKWARD_MESSAGE}"
    assert failure.text == f"line 3, col 5, {AWKWARD_MESSAGE}"


def test_junit_replaces_characters_xml_cannot_hold():
    root = ET.fromstring(render("junit", [diagnostic(message="bad \x00\x1b byte")]))
    assert root.find("testsuite/testcase/failure").get("message") == "NB101: bad \ufffd\ufffd byte"


def test_full_multi_line_range_and_deletion_with_crlf():
    source = "a = 1\r\nif x:\r\n    y = [\r\n        1,\r\n    ]\r\nz = 2\r\n"
    fix = Fix(Applicability.SAFE, "drop", (Edit(Location(3, 0), Location(6, 0), ""),))
    diag = diagnostic(location=Location(3, 8), end_location=Location(6, 0), fix=fix)
    ctx = FormatContext(tool_version="0", sources={"a.py": source}, show_fixes=True)
    assert render("full", [diag], ctx) == (
        "a.py:3:9: NB101 [*] error: `finally` is not supported\n"
        "  |\n"
        "1 | a = 1\n"
        "2 | if x:\n"
        "3 |     y = [\n"
        "  |         ^\n"
        "4 |         1,\n"
        "  |         ^^\n"
        "5 |     ]\n"
        "  |     ^\n"
        "6 | z = 2\n"
        "  |\n"
        "  = help: drop\n"
        "  |\n"
        "3 -     y = [\n"
        "4 -         1,\n"
        "5 -     ]\n"
        "  |\n"
    )


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_format_is_registered_under_its_modules_name(name):
    """FORMATS imports a format's module on first use, under the name its module declares."""
    module = importlib.import_module(FORMATS[name].__module__)
    assert name == module.NAME
    assert render(name, []) == module.render([], EMPTY_CTX)
