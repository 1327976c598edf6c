"""The conformance corpus (fixtures/corpus): the compiler's verdicts, and the linter's.

`test_compiler_verdict` runs every snippet under the installed Numba and under pure Python and
checks the verdict recorded for this Numba version. `test_linter_verdict` lints every snippet
for each recorded version and checks numba-check agrees with that version's compiler.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from numba_check.api import check_source
from numba_check.engine import build_config, check_text
from numba_check.fixes import fix_source
from numba_check.model import Severity
from numba_check.rules.base import parse_version
from numba_check.selection import Selection
from numba_check.settings import Settings

from ..each import check_each
from .corpus import VERSIONS, Snippet, installed_version_key, load_corpus, run_corpus

SNIPPETS = load_corpus()


def _param(snippet: Snippet, *extra: object) -> object:
    return pytest.param(snippet, *extra, id="-".join([snippet.id, *map(str, extra)]))


@pytest.fixture(scope="session")
def installed_key() -> str:
    pytest.importorskip("numba")
    return installed_version_key()


@pytest.fixture(scope="session")
def observed(installed_key: str, request: pytest.FixtureRequest) -> dict:
    if installed_key not in VERSIONS:
        pytest.skip(f"no verdicts recorded for Numba {installed_key} (recorded: {VERSIONS})")
    # Compile only the snippets whose verdict tests were selected (-k, node ids).
    wanted = {
        item.callspec.params["snippet"].id
        for item in request.session.items
        if item.originalname == "test_compiler_verdict"
    }
    return run_corpus(s for s in SNIPPETS if s.id in wanted)


@pytest.mark.compiler
@pytest.mark.parametrize("snippet", [_param(s) for s in SNIPPETS])
def test_compiler_verdict(snippet: Snippet, observed: dict, installed_key: str) -> None:
    seen = observed[snippet.id]
    if seen.verdict == "unavailable":
        pytest.skip(seen.detail)
    assert seen.verdict != "invalid", seen.detail
    recorded = snippet.verdict_for(installed_key)
    if seen.verdict == "compiled":  # a race: only whether it compiles is deterministic
        assert recorded in ("ok", "differs"), (
            f"{snippet.file}: recorded {recorded!r}: {seen.detail}"
        )
        return
    assert seen.verdict == recorded, (
        f"{snippet.file}: recorded {recorded!r} for Numba {installed_key}, the compiler says "
        f"{seen.verdict!r}: {seen.detail}"
    )


def _by_file() -> list:
    files: dict[str, list[Snippet]] = {}
    for snippet in SNIPPETS:
        files.setdefault(snippet.file, []).append(snippet)
    return [pytest.param(snippets, id=name) for name, snippets in files.items()]


@pytest.mark.parametrize("snippets", _by_file())
def test_linter_verdict(snippets: list[Snippet]) -> None:
    # One test per corpus file, its snippets and every recorded version a loop: the per-test
    # cost of pytest (and of xdist) exceeds a lint's (tests/each.py).
    check_each(((s.id, s) for s in snippets), _linter_agrees)


def _linter_agrees(snippet: Snippet) -> None:
    failures = {v: why for v in VERSIONS if (why := _linter_disagrees(snippet, v)) is not None}
    assert not failures, "\n".join(f"Numba {v}: {why}" for v, why in failures.items())


def _linter_disagrees(snippet: Snippet, version: str) -> str | None:
    """Why numba-check's verdict for `version` is not the compiler's, or None if it is."""
    settings = Settings(cache=False, target_numba=parse_version(version))
    found = check_source(snippet.source, "snippet.py", settings=settings)
    errors = [d for d in found if d.severity is Severity.ERROR]
    warnings = [d for d in found if d.severity is Severity.WARNING]
    expected = set(snippet.codes_for(version))
    verdict = snippet.verdict_for(version)
    shown = [f"{d.code}@{d.location.line}" for d in found]
    if verdict == "ok":
        return f"false alarm on clean code: {shown}" if errors or warnings else None
    reported = errors if verdict == "refuses" else warnings
    if not reported:
        return f"the compiler {verdict} it; numba-check reports {shown or 'nothing'}"
    if not {d.code for d in errors + warnings} <= expected:
        return f"expected {sorted(expected)}: {shown}"
    if verdict == "differs" and errors:
        return f"it compiles on {version}, yet errors are reported: {shown}"
    if snippet.line is not None and reported[0].location.line != snippet.line:
        return f"reported on line {reported[0].location.line}, not {snippet.line}: {shown}"
    return None


def test_corpus_size_and_balance() -> None:
    clean = [s for s in SNIPPETS if s.verdict_for(VERSIONS[-1]) == "ok"]
    failing = [s for s in SNIPPETS if s.verdict_for(VERSIONS[-1]) != "ok"]
    assert len(SNIPPETS) >= 200
    assert len(clean) >= len(failing) * 0.8, (len(clean), len(failing))


# Rules the corpus cannot prove by compiling, and why (each is proven some other way).
NOT_PROVABLE_BY_CORPUS = {
    "NB608": "an unguarded CUDA index corrupts memory on a GPU; the corpus only compiles CUDA "
    "code to PTX (the simulator's IndexError is shown in tests/rules)",
}


def test_every_rule_is_proven_by_a_failing_snippet() -> None:
    from numba_check.rules import BUILTIN_RULES

    flagged = {
        code
        for s in SNIPPETS
        for v in VERSIONS
        if s.verdict_for(v) != "ok"
        for code in s.codes_for(v)
    }
    missing = [
        r.code
        for r in BUILTIN_RULES
        if r.targets and r.code not in flagged and r.code not in NOT_PROVABLE_BY_CORPUS
    ]
    assert not missing, f"rules with no failing corpus snippet: {missing}"


def test_results_are_compared_as_the_plugin_compares_them() -> None:
    np = pytest.importorskip("numpy")
    from .corpus import same
    from .worker import normal

    values = [
        None,
        True,
        3,
        2**70,
        1.5,
        float("nan"),
        1 + 2j,
        "ab",
        b"\x00\xff",
        (1, [2.0, 3.0]),
        {"k": (1, 2)},
        {1, 2},
        np.arange(6, dtype=np.int64).reshape(2, 3),
        np.array([1.0, np.nan]),
        np.array([True, False]),
        np.zeros((2, 0)),
        np.uint64(7),
        iter([1, 2]),
    ]
    for value in values:
        # As the worker sends it: once, through JSON.
        sent = normal(value)
        assert same(json.loads(json.dumps(sent)), sent), value
    # The differences the corpus records: values, numeric kinds, shapes, lengths.
    for got, expected in [
        (1, 2),
        (1, 1.0),
        (True, 1),
        (2**63 - 1, 2**63),
        (1.0, 1.0 + 1e-6),
        (np.arange(3), np.arange(3.0)),
        (np.zeros(2), np.zeros(3)),
        ([1, 2], [1, 2, 3]),
        ("a", "b"),
        (None, 0),
    ]:
        assert not same(normal(got), normal(expected)), (got, expected)


# The fixes libcst makes (numba_check.rewrites).
STRUCTURAL = {"NB101", "NB102", "NB110", "NB111", "NB202", "NB307", "NB308"}


@pytest.mark.compiler
def test_structural_fixes_of_the_corpus_compile_and_agree(installed_key: str) -> None:
    """Every CPU snippet (with a call) that a structural fix applies to, fixed as `numba-check
    --fix --unsafe-fixes` fixes it, every rule on: clean afterwards, a second fix changes
    nothing, and the installed Numba compiles it and gives Python's result (the plugin's
    comparator, as for the verdicts)."""
    config = build_config(Selection(select=("NB",)), parse_version(installed_key))

    def lint(text: str):
        return check_text(text, "snippet.py", config)

    fixed = []
    for snippet in SNIPPETS:
        if snippet.is_cuda or snippet.call is None:
            continue
        found = lint(snippet.source)
        if not {d.code for d in found} & STRUCTURAL:
            continue
        once = fix_source(snippet.source, lint, unsafe=True, diagnostics=found)
        if not set(once.fixed) & STRUCTURAL:
            continue  # not offered: any(genexp), a class, a helper compiled under another name
        assert once.remaining == (), (snippet.id, once.remaining)
        assert fix_source(once.source, lint, unsafe=True).source == once.source, snippet.id
        fixed.append(dataclasses.replace(snippet, source=once.source, verdict="ok"))
    assert len(fixed) >= 20  # 21 on Numba 0.68
    observed = run_corpus(fixed)
    wrong = {k: v.detail for k, v in observed.items() if v.verdict not in ("ok", "compiled")}
    assert not wrong
