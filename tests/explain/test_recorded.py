"""The mapping proven against what Numba really says.

record.py compiled every INVALID case of every error rule and every refused snippet of the
conformance corpus under Numba 0.57, 0.60, 0.63 and 0.68 and kept the text of the exception.
Each recorded message must map to a candidate set holding a rule that covers the snippet, each
pattern's example must be one of those messages, and each code a pattern names must be proven by
one of them: no mapping here is folklore.
"""

from __future__ import annotations

import pytest

from numba_check.explain import Confidence, Pattern, explain, parse, patterns
from numba_check.model import Severity
from numba_check.rules import BUILTIN_RULES

from ..each import check_each
from .messages import VERSIONS, Recorded, all_recorded, recorded

# The tool's own diagnostics: no Numba message can lead to them.
TOOL_CODES = {r.code for r in BUILTIN_RULES if r.code.startswith("NB9")}
ERROR_CODES = {r.code for r in BUILTIN_RULES if r.severity is Severity.ERROR} - TOOL_CODES


def _by_code() -> list[object]:
    """The recorded messages grouped by the first code they should map to, one test per code:
    the cases and versions are a loop (tests/each.py)."""
    groups: dict[str, list[Recorded]] = {}
    for message in all_recorded():
        groups.setdefault(message.codes[0], []).append(message)
    return [pytest.param(tuple(ms), id=code) for code, ms in sorted(groups.items())]


@pytest.mark.parametrize("messages", _by_code())
def test_recorded_messages_map_to_their_rule(messages: tuple[Recorded, ...]) -> None:
    check_each(((f"{m.id} on Numba {m.version}", m) for m in messages), _maps_to_its_rule)


def _maps_to_its_rule(message: Recorded) -> None:
    found = explain(message.text, lint=False)
    assert set(found.codes) & set(message.codes), (
        f"{message.error} (expected {list(message.codes)}) maps to "
        f"{list(found.codes) or 'nothing'}:\n{message.parsed.text}"
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_every_message_of_a_version_was_recorded(version: str) -> None:
    messages = recorded(version)
    # The snippets the rules and the corpus say this version refuses; a few CUDA snippets
    # lack a toolkit on 0.57 and some rule cases compile there.
    assert len(messages) > 480, len(messages)
    assert all(m.text.strip() and m.codes for m in messages)


def test_every_error_rule_is_reached() -> None:
    """Each error rule is the answer for at least one real message (coverage of the mapping)."""
    reached: dict[str, set[str]] = {}
    for message in all_recorded():
        for code in set(explain(message.text, lint=False).codes) & set(message.codes):
            reached.setdefault(code, set()).add(message.version)
    missing = sorted(ERROR_CODES - set(reached))
    assert not missing, (
        f"error rules no recorded message maps to: {missing}. Give the rule INVALID cases with a "
        "`call`, re-record (python tests/explain/record.py), and add a pattern for the message "
        "to src/numba_check/knowledge/data/errors.toml"
    )
    # Numba 0.68 alone reaches every error rule but the ones it no longer refuses anything for.
    on_068 = {code for code, versions in reached.items() if "0.68" in versions}
    refused_068 = {code for m in recorded("0.68") for code in m.codes}
    assert refused_068 <= on_068


def test_specific_messages_rank_their_rule_first() -> None:
    """When the message is specific (a high-confidence pattern), the first rule is right."""
    wrong = []
    for message in all_recorded():
        found = explain(message.text, lint=False)
        first = found.candidates[0]
        if first.confidence is Confidence.HIGH and not (
            {c.code for c in found.candidates if c.confidence is Confidence.HIGH}
            & set(message.codes)
        ):
            wrong.append(f"{message.version}:{message.id} -> {first.code} ({first.pattern})")
    assert not wrong, "\n".join(wrong)


def test_pattern_examples_are_recorded_messages() -> None:
    check_each(((p.id, p) for p in patterns()), _example_is_recorded)


def _example_is_recorded(pattern: Pattern) -> None:
    example = parse(pattern.example)
    assert pattern.search(example) is not None, "the pattern does not match its own example"
    assert any(example.text in m.parsed.text for m in all_recorded()), (
        "the example is not (part of) any recorded message: record it, or use a recorded one"
    )


def test_pattern_codes_are_proven() -> None:
    """Each code a pattern names covers a recorded message that the pattern matches."""
    check_each(((p.id, p) for p in patterns()), _codes_are_proven)


def _codes_are_proven(pattern: Pattern) -> None:
    unproven = [
        code
        for code in pattern.codes
        if not any(code in m.codes and pattern.search(m.parsed) for m in all_recorded())
    ]
    assert not unproven, f"no recorded message proves {unproven}"


@pytest.mark.parametrize("version", VERSIONS)
def test_recordings_follow_the_rules_and_the_corpus(version: str) -> None:
    """The recordings name snippets that exist, with the codes they have now; on 0.68, where
    every job is refused, every snippet is recorded."""
    from .record import corpus_jobs, rule_jobs

    jobs = {job.id: job for job in rule_jobs(version) + corpus_jobs(version)}
    seen = {m.id: m for m in recorded(version)}
    rerecord = f"re-record: python tests/explain/record.py (--python with Numba {version})"
    stale = sorted(set(seen) - set(jobs))
    assert not stale, f"recorded snippets that are gone: {stale}; {rerecord}"
    changed = sorted(i for i in seen if seen[i].codes != jobs[i].codes)
    assert not changed, f"recorded with other codes than they have now: {changed}; {rerecord}"
    if version == VERSIONS[-1]:
        missing = sorted(set(jobs) - set(seen))
        assert not missing, f"snippets not recorded: {missing}; {rerecord}"
