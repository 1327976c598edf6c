"""File names that are not valid Unicode in every format: each renders text that UTF-8 can carry.

A POSIX file name is bytes; Python gives the bytes that are not UTF-8 as lone surrogates
(``b"bad\\xff.py"`` is ``"bad\\udcff.py"``). Formats that show a name show such a byte as ``\\xNN``
(``output.base.display_name``); SARIF percent-encodes the original bytes in its URIs.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from numba_check.model import Applicability, Diagnostic, Edit, Fix, Location, Severity
from numba_check.output import FORMATS, FormatContext, get_formatter
from numba_check.output.base import display_name, name_bytes

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text("utf-8"))

# b"pkg/caf\xe9/bad\xff.py" as os.fsdecode() gives it on a UTF-8 system: two escaped bytes.
UNDECODABLE = "pkg/caf\udce9/bad\udcff.py"
SHOWN = "pkg/caf\\xe9/bad\\xff.py"


def diagnostic(filename: str) -> Diagnostic:
    fix = Fix(Applicability.SAFE, "Use a tuple", (Edit(Location(2, 4), Location(2, 9), "(1,)"),))
    return Diagnostic(
        code="NB302",
        name="shape-as-list",
        message="Shape given as a list",
        severity=Severity.ERROR,
        filename=filename,
        location=Location(2, 4),
        end_location=Location(2, 9),
        fix=fix,
    )


def render(fmt: str, filename: str) -> str:
    ctx = FormatContext(tool_version="0.1.0", sources={filename: "import numba\nx = [1]\n"})
    return get_formatter(fmt)([diagnostic(filename)], ctx)


@pytest.mark.skipif(os.name == "nt", reason="Windows names are UTF-16, never bytes")
def test_the_sample_is_what_python_gives_for_such_a_name():
    assert os.fsdecode(b"pkg/caf\xe9/bad\xff.py") == UNDECODABLE
    assert os.fsencode(UNDECODABLE) == name_bytes(UNDECODABLE)


def test_display_name_escapes_only_what_utf8_cannot_carry():
    assert display_name(UNDECODABLE) == SHOWN
    # A lone surrogate that is no escaped byte (Windows names may hold one).
    assert display_name("a\ud800b\udfff.py") == "a\\ud800b\\udfff.py"
    for name in ("café.py", "src/日本/模块.py", "a b,c%:d.py", "emoji \U0001f600.py", ""):
        assert display_name(name) == name


def test_name_bytes_are_the_original_bytes():
    assert name_bytes(UNDECODABLE) == b"pkg/caf\xe9/bad\xff.py"
    assert name_bytes("café.py") == "café.py".encode()
    assert name_bytes("\udcff") == b"\xff"
    assert name_bytes("a\ud800") == b"a\xed\xa0\x80"  # as surrogatepass, which Windows uses


@pytest.mark.parametrize("name", [UNDECODABLE, "a\ud800.py", "café.py"])
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_renders_valid_utf8(fmt, name):
    render(fmt, name).encode("utf-8")  # strict: raises on any lone surrogate


def test_concise_and_full():
    assert (
        render("concise", UNDECODABLE) == f"{SHOWN}:2:5: NB302 [*] error: Shape given as a list\n"
    )
    full = render("full", UNDECODABLE)
    assert full.startswith(f"{SHOWN}:2:5: NB302 [*] error: Shape given as a list\n  |\n")
    # The snippet is still found: sources are keyed by the name as the engine gives it.
    assert "2 | x = [1]\n  |     ^^^\n" in full


def test_json():
    (obj,) = json.loads(render("json", UNDECODABLE))
    assert obj["filename"] == SHOWN


def test_gitlab():
    (issue,) = json.loads(render("gitlab", UNDECODABLE))
    assert issue["location"]["path"] == SHOWN
    (windows,) = json.loads(render("gitlab", "pkg\\bad\udcff.py"))
    assert windows["location"]["path"] == "pkg/bad\\xff.py"


def test_junit():
    root = ET.fromstring(render("junit", UNDECODABLE).encode("utf-8"))
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == SHOWN
    case = suite.find("testcase")
    assert case is not None
    assert case.get("file") == case.get("classname") == SHOWN


def test_github():
    (line,) = render("github", UNDECODABLE).splitlines()
    # `:` and `,` are escaped in properties; a backslash is not special to the runner.
    assert ",file=pkg/caf\\xe9/bad\\xff.py,line=2," in line
    assert line.endswith(f"::{SHOWN}:2:5: NB302 Shape given as a list")


@pytest.mark.parametrize(
    ("name", "uri", "base"),
    [
        (UNDECODABLE, "pkg/caf%E9/bad%FF.py", "%SRCROOT%"),
        ("pkg\\win\udcff.py", "pkg/win%FF.py", "%SRCROOT%"),
        ("/abs/caf\udce9.py", "file:///abs/caf%E9.py", None),
        ("C:\\abs\\caf\udce9.py", "file:///C:/abs/caf%E9.py", None),
        ("\\\\host\\share\\caf\udce9 x.py", "file://host/share/caf%E9%20x.py", None),
        ("a\ud800.py", "a%ED%A0%80.py", "%SRCROOT%"),
    ],
)
def test_sarif_uris_carry_the_original_bytes(name, uri, base):
    log = json.loads(render("sarif", name))
    jsonschema.validate(log, SCHEMA, format_checker=jsonschema.FormatChecker())
    (result,) = log["runs"][0]["results"]
    expected = {"uri": uri} if base is None else {"uri": uri, "uriBaseId": base}
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == expected
    assert result["fixes"][0]["artifactChanges"][0]["artifactLocation"] == expected
