"""The generated pages: up to date, complete, and rendered from what the code really does."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from numba_check import docs
from numba_check.docs import COMMAND, PAGES, configuration
from numba_check.docs import __main__ as docs_main
from numba_check.docs.rules import anchor, demote_headings, escape_prose
from numba_check.output import FORMATS
from numba_check.rules import BUILTIN_RULES
from numba_check.settings import OPTIONS, Settings, load_settings

from ..each import check_each

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def test_generated_pages_are_up_to_date() -> None:
    check_each(((f"docs/{name}", name) for name in sorted(PAGES)), _page_is_up_to_date)


def _page_is_up_to_date(name: str) -> None:
    path = DOCS / name
    text = path.read_bytes().decode("utf-8") if path.exists() else None
    assert text == PAGES[name](), f"stale: run `{COMMAND}`"


# -- the configuration reference


@pytest.fixture(scope="module")
def configuration_page() -> str:
    return configuration.page()


@pytest.mark.parametrize("key", list(OPTIONS))
def test_every_option_has_a_documented_section(key: str, configuration_page: str) -> None:
    assert OPTIONS[key].help, f"settings.OPTIONS[{key!r}] needs help=... for the docs"
    assert f"\n### `{key}`\n\n{OPTIONS[key].help}\n" in configuration_page
    assert f"| [`{key}`](#{key}) |" in configuration_page


@pytest.mark.parametrize("key", list(configuration.EXAMPLES))
def test_every_example_is_accepted_by_the_loader(key: str, tmp_path: Path) -> None:
    assert key in OPTIONS, f"configuration.EXAMPLES has {key!r}, which is no option"
    value = configuration.EXAMPLES[key]
    config = tmp_path / "pyproject.toml"
    config.write_text(
        f"[tool.numba-check]\n{key} = {configuration.toml_value(value)}\n", encoding="utf-8"
    )
    settings = load_settings(config=config, cwd=tmp_path)
    default = load_settings(isolated=True, cwd=tmp_path)
    attr = OPTIONS[key].attr
    # The example is read as the value it shows, which differs from the default.
    assert getattr(settings, attr) != getattr(default, attr)


def test_defaults_are_the_settings_defaults(configuration_page: str) -> None:
    defaults = Settings()
    assert f"- **Default:** `{configuration.toml_value(defaults.select)}`" in configuration_page
    assert f'`"{defaults.output_format}"`' in configuration_page
    assert f"{len(defaults.exclude)} names:" in configuration_page
    for name in defaults.exclude:
        assert f'        "{name}",\n' in configuration_page


def test_every_flag_of_check_is_documented(configuration_page: str) -> None:
    parser = configuration.check_parser()
    flags = [
        flag
        for action in parser._actions
        if not isinstance(action, (argparse._VersionAction, argparse._HelpAction))
        for flag in action.option_strings
    ]
    assert "--select" in flags and "--statistics" in flags
    for flag in flags:
        assert f"`{flag}" in configuration_page, flag


def test_every_output_format_is_documented(configuration_page: str) -> None:
    for name in FORMATS:
        assert f"| `{name}` | " in configuration_page


def test_the_error_example_is_the_loaders_message(configuration_page: str) -> None:
    assert (
        "numba-check: error: pyproject.toml [tool.numba-check] select: "
        "unknown rule selector 'NB999'\n" in configuration_page
    )


@pytest.mark.parametrize(
    ("value", "toml"),
    [
        (True, "true"),
        ('a"b\\c', '"a\\"b\\\\c"'),
        (("NB1", "NB2"), '["NB1", "NB2"]'),
        ({}, "{}"),
        ({"tests/*": ["NB7"]}, '{ "tests/*" = ["NB7"] }'),
        (Path("a/b"), '"a/b"'),
    ],
)
def test_toml_value(value, toml: str) -> None:
    assert configuration.toml_value(value) == toml


# -- the rule reference


@pytest.fixture(scope="module")
def rules_page() -> str:
    return PAGES["rules.md"]()


def test_every_rule_has_a_section_with_its_metadata(rules_page: str) -> None:
    for rule in BUILTIN_RULES:
        heading = f"\n### {rule.code} `{rule.name}`\n"
        assert heading in rules_page, rule.code
        section = rules_page.split(heading, 1)[1].split("\n### ", 1)[0]
        for field in ("Severity", "Numba versions", "Targets", "Fix", "Enabled by default"):
            assert f"- **{field}:** " in section, (rule.code, field)
        assert f"- **Severity:** {rule.severity.value}\n" in section
        assert "#### What it does" in section
        assert f"| [{rule.code}](#{anchor(rule)}) |" in rules_page


def test_rules_are_grouped_by_family(rules_page: str) -> None:
    families = [line for line in rules_page.splitlines() if line.startswith("## ")]
    assert families[0] == "## NB1xx: Statements and syntax"
    assert families == sorted(families)
    assert len(families) == len({r.code[:3] for r in BUILTIN_RULES})


def test_demote_headings_leaves_code_alone() -> None:
    text = "## Example\n```python\n## a comment\nx = 1\n```\n## Use instead"
    assert demote_headings(text, 2) == (
        "#### Example\n```python\n## a comment\nx = 1\n```\n#### Use instead"
    )


def test_escape_prose_keeps_quoted_numba_messages_literal() -> None:
    text = (
        'fails with "limited to <class \'Exception\'>" and "mod(Literal[str](%d), int64)";\n'
        "`<b>` and `a[0](1)` stay code, [the manual](https://numba.readthedocs.io) a link\n"
        "```python\nx = a[i](j) < b\n```\n"
        "``code with ` inside <x>`` too"
    )
    assert escape_prose(text) == (
        'fails with "limited to &lt;class \'Exception\'>" and "mod(Literal\\[str](%d), int64)";\n'
        "`<b>` and `a[0](1)` stay code, [the manual](https://numba.readthedocs.io) a link\n"
        "```python\nx = a[i](j) < b\n```\n"
        "``code with ` inside <x>`` too"
    )


def test_reference_is_still_exported() -> None:
    # tests/rules/test_catalogue.py and older scripts import it from the package.
    assert docs.reference(BUILTIN_RULES) == PAGES["rules.md"]()


# -- the command


def test_command_writes_the_pages_then_finds_nothing_stale(tmp_path: Path, capsys) -> None:
    assert docs_main.main(["--docs-dir", str(tmp_path), "--check"]) == 1
    err = capsys.readouterr().err
    for name in PAGES:
        assert f"{tmp_path / name} is stale: run `{COMMAND}`" in err
    assert docs_main.main(["--docs-dir", str(tmp_path)]) == 0
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.md"))
    assert written == sorted(PAGES)
    assert docs_main.main(["--docs-dir", str(tmp_path), "--check"]) == 0
    # A second run has nothing to write.
    capsys.readouterr()
    assert docs_main.main(["--docs-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().err == ""


def test_command_names_a_missing_docs_folder(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        docs_main.main(["--docs-dir", str(tmp_path / "nope")])
    assert stop.value.code == 2
    assert "--docs-dir: no such folder" in capsys.readouterr().err


def test_every_diagnostic_links_to_its_rule_page() -> None:
    import yaml

    from numba_check.catalogue import DOCS_URL, rule_url

    site = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8").split("\nnav:")[0])
    assert site["site_url"] == DOCS_URL
    for rule in BUILTIN_RULES:
        assert rule_url(rule.code) == f"{DOCS_URL}rules/{rule.code}/"
        assert f"rules/{rule.code}.md" in PAGES
    assert rule_url("NB899") is None  # a plugin's rule has no page on our site
