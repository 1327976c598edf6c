"""fixes.py: offsets, overlapping edits, validation, and the fix guarantees as properties."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from numba_check.api import check_source
from numba_check.fixes import (
    apply_fixes,
    fix_source,
    is_applicable,
    line_offsets,
    parses,
    unified_diff,
)
from numba_check.model import Applicability, Edit, Fix, Location
from numba_check.settings import Settings

SETTINGS = Settings(cache=False)


def fix(*edits: tuple[int, int, int, int, str], unsafe: bool = False) -> Fix:
    kind = Applicability.UNSAFE if unsafe else Applicability.SAFE
    return Fix(kind, "m", tuple(Edit(Location(a, b), Location(c, d), t) for a, b, c, d, t in edits))


def test_line_offsets_use_python_line_ends():
    assert line_offsets("a\nb\r\nc\rd") == [0, 2, 5, 7]
    assert line_offsets("a\x0cb\nc") == [0, 4]  # a form feed does not end a line
    assert line_offsets("") == [0]
    assert line_offsets("x\n") == [0, 2]


def test_apply_single_and_multi_line_edits():
    text = "abc\ndef\nghi\n"
    assert apply_fixes(text, [fix((2, 1, 2, 2, "E"))])[0] == "abc\ndEf\nghi\n"
    assert apply_fixes(text, [fix((1, 2, 3, 1, "-"))])[0] == "ab-hi\n"
    assert apply_fixes(text, [fix((3, 3, 3, 3, "!"))])[0] == "abc\ndef\nghi!\n"


def test_overlapping_fixes_keep_the_first():
    text = "abcdef\n"
    first, second, third = fix((1, 0, 1, 3, "X")), fix((1, 2, 1, 5, "Y")), fix((1, 5, 1, 6, "Z"))
    out, applied = apply_fixes(text, [second, third, first])
    assert out == "XdeZ\n"
    assert applied == [first, third]


def test_fix_edits_go_in_together():
    text = "abcdef\n"
    blocker = fix((1, 0, 1, 1, "A"))
    pair = fix((1, 0, 1, 1, "x"), (1, 4, 1, 5, "y"))
    out, applied = apply_fixes(text, [blocker, pair])
    assert out == "Abcdef\n"
    assert applied == [blocker]


def test_edit_outside_the_source_is_skipped():
    out, applied = apply_fixes("a\n", [fix((9, 0, 9, 1, "x"))])
    assert (out, applied) == ("a\n", [])


def test_is_applicable():
    assert is_applicable(fix((1, 0, 1, 1, "")), unsafe=False)
    assert not is_applicable(fix((1, 0, 1, 1, ""), unsafe=True), unsafe=False)
    assert is_applicable(fix((1, 0, 1, 1, ""), unsafe=True), unsafe=True)
    assert not is_applicable(None, unsafe=True)


def test_fix_that_breaks_the_syntax_is_dropped():
    from numba_check.model import Diagnostic, Severity

    source = "x = [1]\ny = [2]\n"
    good = fix((1, 4, 1, 7, "(1,)"))
    bad = fix((2, 4, 2, 7, "(2"))

    def diag(f: Fix, line: int) -> Diagnostic:
        loc = Location(line, 4)
        return Diagnostic("NB302", "n", "m", Severity.ERROR, "a.py", loc, loc, f)

    pending = [diag(good, 1), diag(bad, 2)]

    def lint(text: str):
        return [d for d in pending if text.splitlines()[d.location.line - 1].endswith("]")]

    result = fix_source(source, lint, diagnostics=pending)
    assert result.source == "x = (1,)\ny = [2]\n"
    assert parses(result.source)
    assert [d.location.line for d in result.remaining] == [2]
    assert result.fixed_count == 1


def test_unified_diff_marks_missing_final_newline():
    out = unified_diff("a\nb", "a\nc", "f.py")
    assert out.startswith("--- f.py\n+++ f.py\n")
    assert "\\ No newline at end of file\n" in out


# -- the guarantees, on generated modules -----------------------------------------------------

SHAPES = st.lists(st.sampled_from(["n", "m", "3", "n + 1", "len(a)"]), min_size=1, max_size=3)
STATEMENT = st.one_of(
    SHAPES.map(lambda s: f"z = np.zeros([{', '.join(s)}])"),
    SHAPES.map(lambda s: f"w = np.ones([{', '.join(s)}], dtype=np.float32)"),
    st.sampled_from(["c = np.concatenate([a, a])", "c = np.vstack([a, a, a])"]),
    st.sampled_from(["out = [0] * n\n    out[0] = 0.5", "acc = [0, 0]\n    acc[1] = 1.5"]),
    st.sampled_from(["t = n + m", "z = np.zeros((n, m))", "q = [a, a]"]),
)
MODULE = st.tuples(
    st.lists(STATEMENT, min_size=1, max_size=6),
    st.sampled_from(["\n", "\r\n"]),
    st.booleans(),
)


def build(parts: tuple[list[str], str, bool]) -> str:
    statements, newline, alias = parts
    head = "import numba as nb\n" if alias else "import numba\n"
    deco = "@nb.njit" if alias else "@numba.njit"
    body = "\n".join(f"    {s}" for s in statements)
    text = f"{head}import numpy as np\n\n\n{deco}\ndef f(n, m, a):\n{body}\n    return n\n"
    return text.replace("\n", newline)


def lint(text: str):
    return check_source(text, "gen.py", settings=SETTINGS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MODULE, st.booleans())
def test_fix_guarantees(parts, unsafe):
    source = build(parts)
    once = fix_source(source, lint, unsafe=unsafe)
    # Fixed code parses, keeps its newline style, and re-linting it finds nothing fixable.
    assert parses(once.source)
    assert ("\r\n" in source) == ("\r\n" in once.source)
    assert once.remaining == tuple(lint(once.source))
    assert not [d for d in once.remaining if is_applicable(d.fix, unsafe=unsafe)]
    fixed_codes = set(once.fixed)
    if not unsafe:
        assert "NB501" not in fixed_codes
    # A second pass changes nothing.
    twice = fix_source(once.source, lint, unsafe=unsafe)
    assert twice.source == once.source
    assert twice.fixed_count == 0
