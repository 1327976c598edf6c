"""The documentation site builds with ``mkdocs build --strict``, and strict means strict: a broken
link, a link to a missing heading, or a page left out of the nav fails the build.

The project's site is built by ``python -m mkdocs`` in a process of its own, as a user or CI
builds it. The small sites that are broken on purpose are built by the same ``mkdocs build``
command in this process (click's test runner), which spares an interpreter and the theme's imports
per build; what they prove is what strict mode refuses, not how mkdocs is started.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pathspec
import pytest
import yaml

pytest.importorskip("mkdocs", reason="the docs site needs the docs extra: pip install -e .[docs]")
pytest.importorskip("material", reason="the docs site needs the docs extra: pip install -e .[docs]")

ROOT = Path(__file__).resolve().parents[2]


def mkdocs_build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"]
        + ["--config-file", str(config), "--site-dir", str(site)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@dataclass(frozen=True)
class Built:
    returncode: int
    output: str  # what mkdocs printed: its log and, when it aborts, why


Build = Callable[[Path, Path], Built]  # (mkdocs.yml, site folder) -> what the build did


@pytest.fixture
def mkdocs_in_process(monkeypatch: pytest.MonkeyPatch) -> Build:
    """``mkdocs build --strict`` run by mkdocs' own command line, in this process."""
    from click.testing import CliRunner
    from mkdocs.__main__ import cli
    from mkdocs.commands import build

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")

    def run(config: Path, site: Path) -> Built:
        # The command sets process-wide state for a process that ends with it: it replaces
        # warnings.showwarning, sets up the mkdocs logger, and adds to the build module's logger
        # a filter that drops any message it has passed before, so that a warning of that
        # module repeated by a later build would not count towards its strict abort. All of it
        # is put back after each build.
        logger = logging.getLogger("mkdocs")
        monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)
        monkeypatch.setattr(build.log, "filters", [])
        monkeypatch.setattr(logger, "handlers", list(logger.handlers))
        monkeypatch.setattr(logger, "propagate", logger.propagate)
        level = logger.level
        args = ["build", "--strict", "--config-file", str(config), "--site-dir", str(site)]
        try:
            result = CliRunner().invoke(cli, args, catch_exceptions=False)
        finally:
            logger.setLevel(level)
        return Built(result.exit_code, result.output)

    return run


def nav_pages(nav: list) -> list[str]:
    pages = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        pages += nav_pages(value) if isinstance(value, list) else [value]
    return pages


def load_config(path: Path) -> dict:
    # mkdocs.yml may hold !!python tags in other projects; ours is plain YAML.
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_site_builds_strictly(tmp_path: Path) -> None:
    done = mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "site")
    assert done.returncode == 0, done.stdout + done.stderr
    config = load_config(ROOT / "mkdocs.yml")
    assert config["theme"]["name"] == "material"
    for page in nav_pages(config["nav"]):
        built = "index.html" if page == "index.md" else page.removesuffix(".md") + "/index.html"
        assert (tmp_path / "site" / built).is_file(), page
    # Numba's messages quoted in rule docs survive as text, not as tags or links.
    rules = (tmp_path / "site" / "rules" / "index.html").read_text(encoding="utf-8")
    assert "limited to &lt;class 'Exception'&gt;" in rules
    assert "Literal[str](%d)" in rules


def test_nav_lists_every_page() -> None:
    # Except the rules' own pages, reached from the rule reference and from the diagnostics.
    config = load_config(ROOT / "mkdocs.yml")
    pages = sorted(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md"))
    rule_pages = [p for p in pages if p.startswith("rules/")]
    not_in_nav = pathspec.GitIgnoreSpec.from_lines(config["not_in_nav"].splitlines())
    assert rule_pages and all(not_in_nav.match_file(p) for p in rule_pages)
    assert sorted(nav_pages(config["nav"])) == [p for p in pages if p not in rule_pages]


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A two-page site under the project's mkdocs.yml (its theme, validation and strictness),
    in a scratch folder, to break on purpose. Two pages build in a fraction of the time of the
    whole site (a page per rule), and what fails the build is the configuration, not the pages.
    """
    config = load_config(ROOT / "mkdocs.yml")
    config["nav"] = [{"Home": "index.md"}, {"Rules": "rules.md"}]
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# numba-check\n\nSee [the rules](rules.md).\n", "utf-8")
    (docs / "rules.md").write_text("# Rules\n\n## NB101 no-object-mode\n", "utf-8")
    return tmp_path


def test_small_site_builds_unbroken(site_copy: Path, mkdocs_in_process: Build) -> None:
    # What the breakages below start from: their failures are theirs.
    done = mkdocs_in_process(site_copy / "mkdocs.yml", site_copy / "site")
    assert done.returncode == 0, done.output


BREAKAGES = {
    "a link to a missing page": ("index.md", "[gone](no-such-page.md)", "no-such-page.md"),
    "a link to a missing heading": ("index.md", "[gone](rules.md#nb000-nothing)", "nb000-nothing"),
    "a page missing from the nav": ("orphan.md", "# Orphan\n", "orphan.md"),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_strict_build_fails_on(breakage: str, site_copy: Path, mkdocs_in_process: Build) -> None:
    page, text, named = BREAKAGES[breakage]
    path = site_copy / "docs" / page
    before = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(before + "\n" + text + "\n", encoding="utf-8")
    done = mkdocs_in_process(site_copy / "mkdocs.yml", site_copy / "site")
    assert done.returncode != 0
    output = done.output
    assert re.search(r"Aborted with \d+ warnings? in strict mode", output), output
    assert named in output
