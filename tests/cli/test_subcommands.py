"""`numba-check rule CODE` and `numba-check rules`."""

from __future__ import annotations

import json

import pytest

from numba_check.rules import RULES_BY_CODE


def test_rule_prints_documentation_and_metadata(run):
    result = run("rule", "NB101")
    assert result.code == 0
    rule = RULES_BY_CODE["NB101"]
    assert result.out.startswith(f"# {rule.name} (NB101)\n")
    assert "Severity: error" in result.out
    assert f"Numba versions: {rule.numba_versions.describe()}" in result.out
    assert "Targets: " in result.out and "cpu" in result.out
    assert "## What it does" in result.out
    assert rule.documentation() in result.out


def test_rule_is_case_insensitive(run):
    assert run("rule", "nb302").out == run("rule", "NB302").out


def test_rule_shows_fix_safety(run):
    assert "Fix: safe" in run("rule", "NB302").out
    assert "Fix: unsafe" in run("rule", "NB501").out
    assert "Enabled by default: no" in run("rule", "NB904").out


def test_rule_json(run):
    result = run("rule", "NB501", "--output-format", "json")
    data = json.loads(result.out)
    assert data["code"] == "NB501"
    assert data["fix"] == "unsafe"
    assert data["severity"] == "warning"


@pytest.mark.parametrize("code", ["NB999", "E501", ""])
def test_unknown_rule_exits_2(run, code):
    result = run("rule", code)
    assert result.code == 2
    assert "unknown rule code" in result.err


def test_rule_without_code_is_a_usage_error(run):
    assert run("rule").code == 2


def test_rules_table(run):
    result = run("rules")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split()[:4] == ["Code", "Name", "Severity", "Default"]
    assert len(lines) == len(RULES_BY_CODE) + 1
    for code, rule in RULES_BY_CODE.items():
        row = next(line for line in lines if line.startswith(code))
        assert rule.name in row
        assert rule.severity.value in row
        assert (" on " if rule.enabled_by_default else " off ") in row
    assert [line.split()[0] for line in lines[1:]] == sorted(RULES_BY_CODE)


def test_rules_json(run):
    data = json.loads(run("rules", "--output-format", "json").out)
    assert [r["code"] for r in data] == sorted(RULES_BY_CODE)
    nb904 = next(r for r in data if r["code"] == "NB904")
    assert nb904["enabled_by_default"] is False
    assert set(data[0]) >= {"code", "name", "severity", "numba_versions", "targets", "summary"}
