"""The hand-written pages show what the tool really does: the quick start's output, and CI
recipes whose YAML parses and whose numba-check commands the real parser accepts."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from numba_check import cli
from numba_check.output import FORMATS

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FENCE = re.compile(r"^( *)```(\w*)\n(.*?)^\1```$", re.M | re.S)


def blocks(page: str, language: str) -> list[str]:
    """The fenced code blocks of `page` in `language`, unindented."""
    text = (DOCS / page).read_text(encoding="utf-8")
    found = []
    for indent, lang, body in FENCE.findall(text):
        if lang == language:
            found.append(re.sub(rf"(?m)^{indent}", "", body))
    return found


# -- index.md


def test_quick_start_shows_the_example_file() -> None:
    example = (ROOT / "examples" / "lint" / "readme_kernels.py").read_text(encoding="utf-8")
    assert example in blocks("index.md", "python")


def test_quick_start_output_is_what_the_linter_prints(tmp_path, monkeypatch, capsys) -> None:
    [session] = [b for b in blocks("index.md", "text") if b.startswith("$ numba-check ")]
    command, expected = session.split("\n", 1)
    source = ROOT / "examples" / "lint" / "readme_kernels.py"
    (tmp_path / "kernels.py").write_bytes(source.read_bytes())
    monkeypatch.chdir(tmp_path)
    args = shlex.split(command.removeprefix("$ numba-check "))
    assert cli.main(["--no-cache", "--isolated", *args]) == 1
    captured = capsys.readouterr()
    # The diagnostics and the summary, both on stdout, as ruff prints them.
    assert captured.out == expected


# -- ci.md


def _numba_check_commands() -> list[str]:
    commands = []
    for language in ("yaml", "sh"):
        for block in blocks("ci.md", language):
            commands += re.findall(r"(?:- |run: |^)(numba-check [^\n#]*)", block, re.M)
    return [c.strip() for c in commands]


def test_ci_recipes_parse_as_yaml() -> None:
    recipes = blocks("ci.md", "yaml")
    assert len(recipes) >= 3
    for recipe in recipes:
        assert isinstance(yaml.safe_load(recipe), dict)


def test_ci_recipes_use_real_flags_and_formats() -> None:
    commands = _numba_check_commands()
    used = set()
    for command in commands:
        argv = shlex.split(command)[1:]
        if argv[0] not in cli.SUBCOMMANDS:
            argv = ["check", *argv]
        args = cli.build_parser().parse_args(argv)  # a wrong flag exits here
        assert args.output_format in FORMATS, command
        used.add(args.output_format)
    # The recipes the docs promise: code scanning, annotations, GitLab code quality.
    assert {"sarif", "github", "gitlab"} <= used


def test_github_recipe_uploads_the_sarif_file_it_writes() -> None:
    [workflow] = [yaml.safe_load(b) for b in blocks("ci.md", "yaml") if "jobs:" in b]
    steps = workflow["jobs"]["numba-check"]["steps"]
    lint = next(s for s in steps if "--output-format sarif" in s.get("run", ""))
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/"))
    sarif = shlex.split(lint["run"])
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == sarif[sarif.index("-o") + 1]
    assert upload["if"] == "always()"
    assert workflow["jobs"]["numba-check"]["permissions"]["security-events"] == "write"


def test_gitlab_recipe_reports_the_file_it_writes() -> None:
    [pipeline] = [yaml.safe_load(b) for b in blocks("ci.md", "yaml") if "codequality" in b]
    job = pipeline["numba-check"]
    report = next(shlex.split(line) for line in job["script"] if "gitlab" in line)
    assert job["artifacts"]["reports"]["codequality"] == report[report.index("-o") + 1]
    assert job["artifacts"]["when"] == "always"


def test_precommit_recipe_names_the_hook_this_repository_defines() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [config] = [yaml.safe_load(b) for b in blocks("ci.md", "yaml") if "repos:" in b]
    ids = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert ids <= {hook["id"] for hook in hooks}
    page = (DOCS / "ci.md").read_text(encoding="utf-8")
    [hook] = hooks
    assert f"`{hook['entry']}`" in page, "ci.md describes the hook's entry: keep it in step"
