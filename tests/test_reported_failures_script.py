"""benchmarks/reported_failures.py on a tiny set: a refused case caught on Numba's line, a
miss, a look-alike with a false error, scored per category."""

from __future__ import annotations

import json

from tests.benchmark_scripts import load_script
from tests.cli.snippets import CLEAN, NB101

reported = load_script("reported_failures")

MISSED = """\
import numba


@numba.njit
def f(d):
    return d["a"]
"""


def test_scores_a_tiny_set(tmp_path, capsys):
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "001_caught.py").write_text(NB101)
    (cases / "002_missed.py").write_text(MISSED)
    (cases / "003_clean.py").write_text(CLEAN)
    (cases / "004_alarm.py").write_text(NB101)
    manifest = [
        {
            "file": "cases/001_caught.py",
            "kind": "failure",
            "verdict": "refused",
            "line": 8,
            "category": "syntax",
        },
        {
            "file": "cases/002_missed.py",
            "kind": "failure",
            "verdict": "refused",
            "line": 6,
            "category": "types",
        },
        {
            "file": "cases/003_clean.py",
            "kind": "lookalike",
            "verdict": "compiles",
            "category": "types",
        },
        {
            "file": "cases/004_alarm.py",
            "kind": "lookalike",
            "verdict": "compiles",
            "category": "syntax",
        },
    ]
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    out = tmp_path / "scores.json"
    assert reported.main([str(tmp_path), "--no-verify", "--json", str(out)]) == 0
    result = json.loads(out.read_text())["static rules"]
    assert result["totals"] == {
        "failures": 2,
        "caught": 1,
        "caught on the line": 1,
        "look-alikes": 2,
        "false errors": 1,
    }
    assert result["missed"] == ["002_missed.py"]
    assert [name for name, _ in result["false_alarms"]] == ["004_alarm.py"]
    assert result["by_category"]["syntax"] == {
        "failures": 1,
        "caught": 1,
        "look-alikes": 1,
        "false errors": 1,
    }
    assert "failures caught: 1/2 (50 %), on Numba's line: 1" in capsys.readouterr().out
