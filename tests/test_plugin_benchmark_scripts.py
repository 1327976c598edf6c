"""The plugin's benchmark scripts run end to end on a tiny budget (the figures are theirs to
measure; here only that they run and print their tables)."""

from __future__ import annotations

import pytest

from tests.benchmark_scripts import load_script

pytest.importorskip("fastdist")


def test_plugin_stability_prints_its_table(capsys: pytest.CaptureFixture[str]) -> None:
    script = load_script("plugin_stability")
    args = ["--runs", "2", "--budget", "0.01", "--truth-budget", "0.05", "--neighbours", "1"]
    assert script.main(args) == 0
    out = capsys.readouterr().out
    assert "true speed-up" in out
    assert out.count("| idle |") == 2 and out.count("| 1 CPU-bound neighbours |") == 2


def test_plugin_stability_parallel_case_counts_inconclusive(
    capsys: pytest.CaptureFixture[str],
) -> None:
    script = load_script("plugin_stability")
    args = ["--case", "gini", "--runs", "1", "--budget", "0.01", "--truth-budget", "0.05"]
    assert script.main([*args, "--neighbours", "1"]) == 0
    out = capsys.readouterr().out
    assert "gini_coefficient (parallel=True)" in out and "| inconclusive |" in out
    assert out.count("| idle |") == 2


def test_plugin_nested_prints_before_after_and_true(capsys: pytest.CaptureFixture[str]) -> None:
    script = load_script("plugin_nested")
    assert script.main(["--budget", "0.01", "--repeat", "1", "--only", "seuclidean"]) == 0
    out = capsys.readouterr().out
    assert "fastdist.seuclidean -> euclidean" in out and out.count("x |") == 3


def test_stencil_reference_script_runs_numbas_own_cases(capsys: pytest.CaptureFixture[str]) -> None:
    script = load_script("stencil_reference")
    assert script.main(["--only", "basic00", "-v"]) == 0
    out = capsys.readouterr().out
    assert "TestManyStencils: 1 kernels" in out and "agree: 1" in out
