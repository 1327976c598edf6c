"""The catalogue's own rules: unique codes, kebab-case names, documented (the generated
reference is checked in tests/docs)."""

from __future__ import annotations

from numba_check.model import Severity
from numba_check.rules import BUILTIN_RULES
from numba_check.rules.base import CODE_RE, DOC_SECTIONS, NAME_RE, ModuleRule, Rule

from ..each import check_each


def test_codes_and_names_are_unique() -> None:
    codes = [r.code for r in BUILTIN_RULES]
    names = [r.name for r in BUILTIN_RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)


def test_rule_metadata() -> None:
    check_each(((r.code, r) for r in BUILTIN_RULES), _metadata)


def _metadata(rule) -> None:
    assert CODE_RE.match(rule.code), rule.code
    assert NAME_RE.match(rule.name), rule.name
    assert isinstance(rule.severity, Severity)
    doc = rule.documentation()
    for section in DOC_SECTIONS:
        assert f"## {section}" in doc, f"{rule.code} docstring lacks '## {section}'"
    if rule.fix_applicability is not None:
        assert "## Fix safety" in doc
        assert rule.fix_message
    assert rule.summary()


def test_own_applies_is_declared() -> None:
    """The engine answers `applies` once per target and mode for a rule that does not declare
    `reads_options`: a rule with its own `applies` must declare it (or read no more)."""
    check_each(((r.code, r) for r in BUILTIN_RULES), _declares_what_applies_reads)


def _declares_what_applies_reads(rule) -> None:
    base = ModuleRule if issubclass(rule, ModuleRule) else Rule
    if rule.applies.__func__ is not base.applies.__func__:
        assert rule.reads_options, f"{rule.code} has its own applies but no reads_options"


def test_every_rule_has_cases() -> None:
    # Not the tool's own diagnostics (NB9xx): they are tested through the engine.
    rules = [r for r in BUILTIN_RULES if not r.code.startswith("NB9")]
    check_each(((r.code, r) for r in rules), _has_cases)


def _has_cases(rule) -> None:
    assert rule.VALID and rule.INVALID


def test_family_matches_severity_where_it_must() -> None:
    for rule in BUILTIN_RULES:
        if rule.code.startswith("NB5"):
            assert rule.severity is Severity.WARNING, rule.code
