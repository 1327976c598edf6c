"""The GitLab code quality format: the fields GitLab reads, and fingerprints it can compare."""

from __future__ import annotations

import dataclasses
import json

from output_samples import AWKWARD_MESSAGE, NOTEBOOK, ODD

from numba_check.model import Diagnostic, Location, Severity
from numba_check.output import FormatContext, get_formatter

CTX = FormatContext(tool_version="0.1.0")
SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def render(diagnostics) -> list[dict]:
    return json.loads(get_formatter("gitlab")(diagnostics, CTX))


def diagnostic(**changes) -> Diagnostic:
    fields = dict(
        code="NB101",
        name="exception-class-match",
        message="`except ValueError` does not compile",
        severity=Severity.ERROR,
        filename="src/a.py",
        location=Location(2, 4),
        end_location=Location(3, 9),
    )
    fields.update(changes)
    return Diagnostic(**fields)


def test_every_issue_has_the_fields_gitlab_reads(diagnostics):
    issues = render(diagnostics)
    assert len(issues) == len(diagnostics)
    for issue, diag in zip(issues, diagnostics, strict=True):
        assert set(issue) == {"check_name", "description", "fingerprint", "location", "severity"}
        assert issue["check_name"] == diag.code
        assert issue["description"].startswith(f"{diag.code}: ")
        assert issue["severity"] in SEVERITIES
        assert issue["location"]["path"] == diag.filename
        lines = issue["location"]["lines"]
        assert isinstance(lines["begin"], int) and lines["begin"] >= 1
        assert lines["end"] >= lines["begin"]


def test_lines_are_one_based_and_span_the_diagnostic():
    [issue] = render([diagnostic()])
    assert issue["location"] == {"lines": {"begin": 2, "end": 3}, "path": "src/a.py"}


def test_severity_follows_the_diagnostic():
    issues = render([diagnostic(severity=s) for s in Severity])
    by_level = {s: issue["severity"] for s, issue in zip(Severity, issues, strict=True)}
    assert by_level == {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def test_description_is_one_line():
    [issue] = render([diagnostic(filename=ODD, message=AWKWARD_MESSAGE)])
    assert "\n" not in issue["description"]
    assert issue["description"] == f"NB101: {' '.join(AWKWARD_MESSAGE.splitlines())}"


def test_notebook_issue_points_at_the_file_and_names_the_cell():
    [issue] = render([diagnostic(filename=NOTEBOOK, cell=4)])
    assert issue["location"] == {"lines": {"begin": 1, "end": 1}, "path": NOTEBOOK}
    assert issue["description"].endswith("(cell 4, line 2, column 5)")


def test_windows_separators_become_slashes():
    [issue] = render([diagnostic(filename="src\\pkg\\a.py")])
    assert issue["location"]["path"] == "src/pkg/a.py"


def test_fingerprints_are_unique_even_for_repeated_messages():
    same = [diagnostic(location=Location(n, 0), end_location=Location(n, 1)) for n in (1, 5, 9)]
    others = [diagnostic(code="NB102"), diagnostic(filename="src/b.py")]
    prints = [issue["fingerprint"] for issue in render(same + others)]
    assert len(set(prints)) == len(prints)


def test_fingerprints_survive_moved_lines():
    # GitLab compares the branch's report with the target's by fingerprint: code that merely
    # moves must not show up as a new issue and a fixed one.
    before = [diagnostic(), diagnostic(code="NB102")]
    after = [
        dataclasses.replace(d, location=Location(40, 0), end_location=Location(41, 2))
        for d in before
    ]
    assert [i["fingerprint"] for i in render(before)] == [i["fingerprint"] for i in render(after)]


def test_fingerprints_change_with_what_the_issue_is():
    base = render([diagnostic()])[0]["fingerprint"]
    assert render([diagnostic(message="another message")])[0]["fingerprint"] != base
    assert render([diagnostic(filename="src/other.py")])[0]["fingerprint"] != base
    assert render([diagnostic(code="NB199")])[0]["fingerprint"] != base


def test_undecodable_file_name_does_not_crash():
    # POSIX names with undecodable bytes arrive as surrogate escapes; shown as every format
    # shows them (output.base.display_name), so that the report is valid UTF-8.
    [issue] = render([diagnostic(filename="bad\udcff.py")])
    assert issue["location"]["path"] == "bad\\xff.py"
