"""The plugin manager: built-ins through the hooks, what plugins add, and loud failures."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from numba_check import Severity, hookimpl
from numba_check.output import FORMATS
from numba_check.plugins import (
    BUILTIN_PLUGINS,
    HOOKS,
    Knowledge,
    PluginError,
    Plugins,
    load_plugins,
)
from numba_check.rules import BUILTIN_RULES, RULES_BY_CODE
from numba_check.rules.base import Rule
from numba_check.settings import ConfigError, Settings, load_settings


def make_rule(code: str = "NB850", name: str = "house-rule", **attrs: Any) -> type[Rule]:
    def visit_Call(self: Rule, node: ast.Call) -> None:
        self.report(node)

    namespace = {
        "__doc__": "## What it does\nFlags every call.\n",
        "code": code,
        "name": name,
        "severity": Severity.INFO,
        "message": "a call",
        "visit_Call": visit_Call,
        **attrs,
    }
    return type("HouseRule", (Rule,), namespace)


class RulesPlugin:
    """An in-process plugin adding the given rules."""

    def __init__(self, *rules: Any) -> None:
        self.rules = rules

    @hookimpl
    def numba_check_add_rules(self) -> Any:
        return self.rules


class FormatPlugin:
    def __init__(self, formats: Any) -> None:
        self.formats = formats

    @hookimpl
    def numba_check_add_output_formats(self) -> Any:
        return self.formats


class KnowledgePlugin:
    def __init__(self, *patterns: str, label: str = "numba-scipy") -> None:
        self.knowledge = Knowledge(patterns, label=label)

    @hookimpl
    def numba_check_add_knowledge(self) -> Knowledge:
        return self.knowledge


def test_builtins_register_through_the_hooks() -> None:
    plugins = Plugins()
    assert plugins.rules == BUILTIN_RULES
    assert dict(plugins.rules_by_code) == dict(RULES_BY_CODE)
    assert dict(plugins.formats) == FORMATS
    assert plugins.plugin_rules == ()
    assert plugins.compilable == frozenset()
    assert plugins.stamp() == ()
    infos = plugins.infos()
    assert [i.name for i in infos] == list(BUILTIN_PLUGINS)
    assert [i.hooks for i in infos] == [
        ("numba_check_add_rules",),
        ("numba_check_add_output_formats",),
    ]
    assert all(i.builtin and i.distribution == "numba-check" for i in infos)
    assert plugins.origin("NB101").name == "numba_check.rules"


def test_hook_names_share_the_prefix() -> None:
    assert all(hook.startswith("numba_check_") for hook in HOOKS)


def test_plugin_rules_come_after_the_builtins() -> None:
    rule = make_rule()
    plugins = Plugins(extra=[RulesPlugin(rule)])
    assert plugins.rules == (*BUILTIN_RULES, rule)
    assert plugins.plugin_rules == (rule,)
    assert plugins.rules_by_code["NB850"] is rule
    assert plugins.origin("NB850").rules == ("NB850",)
    assert not plugins.origin("NB850").builtin


def test_loading_is_cached_per_block_list() -> None:
    assert load_plugins(["a", "b"]) is load_plugins(["b", "a", "a"])
    assert load_plugins(["a"]) is not load_plugins(["b"])
    assert load_plugins(["a"]).blocked == ("a",)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            make_rule("NB150"),
            "rule tests.plugins.test_manager.HouseRule has code NB150; plugin rules must use "
            "NB800-NB899",
        ),
        (make_rule("X801"), "has code 'X801'; expected NB and three digits"),
        (make_rule(name="House_Rule"), "has name 'House_Rule'; expected kebab-case"),
        (make_rule(severity="error"), "has no severity"),
        (object, "which is not a subclass of numba_check.rules.base.Rule"),
    ],
)
def test_bad_rules_are_refused(rule: Any, message: str) -> None:
    with pytest.raises(PluginError, match="^plugin 'house'") as error:
        Plugins(extra=[_named(RulesPlugin(rule), "house")])
    assert message in str(error.value)


def test_rule_code_clash_names_both_plugins() -> None:
    first, second = make_rule(name="first-rule"), make_rule(name="second-rule")
    with pytest.raises(PluginError) as error:
        Plugins(extra=[_named(RulesPlugin(first), "one"), _named(RulesPlugin(second), "two")])
    assert str(error.value) == (
        "rule code NB850 is added twice: as tests.plugins.test_manager.HouseRule by plugin "
        "'one' and as tests.plugins.test_manager.HouseRule by plugin 'two'"
    )


def test_rule_name_clash() -> None:
    with pytest.raises(PluginError, match="rule name 'house-rule' is used twice: by NB850"):
        Plugins(extra=[RulesPlugin(make_rule("NB850"), make_rule("NB851"))])


def test_a_sequence_is_required() -> None:
    with pytest.raises(PluginError, match="must return a sequence of rule classes, got type"):
        Plugins(extra=[_named(RulesPlugin(), "bare", rules=make_rule())])


def test_formats() -> None:
    def render(diagnostics: Any, ctx: Any) -> str:
        return f"{len(diagnostics)}\n"

    plugins = Plugins(extra=[FormatPlugin({"count": render})])
    assert plugins.formats["count"] is render
    # Handed out wrapped, so that a failure names the plugin; otherwise the same.
    assert plugins.formatter("count")([1, 2], None) == "2\n"
    assert plugins.formatter("json") is FORMATS["json"]
    with pytest.raises(KeyError, match="unknown output format 'nope'; choose from: .*count"):
        plugins.formatter("nope")


@pytest.mark.parametrize(
    ("formats", "message"),
    [
        ({"json": print}, "output format 'json' is added twice: by plugin 'numba_check.output'"),
        ({"two words": print}, "output format name 'two words' is not a plain name"),
        ({"x": "not callable"}, "output format 'x' is not callable"),
        (["x"], "must return a mapping of format names to formatters, got list"),
    ],
)
def test_bad_formats_are_refused(formats: Any, message: str) -> None:
    with pytest.raises(PluginError, match=message):
        Plugins(extra=[FormatPlugin(formats)])


def test_knowledge() -> None:
    plugins = Plugins(
        extra=[KnowledgePlugin("scipy.special.*"), KnowledgePlugin("mypkg.geometry.distance")]
    )
    assert plugins.compilable == {"scipy.special.*", "mypkg.geometry.distance"}
    assert [k.label for k in plugins.knowledge] == ["numba-scipy", "numba-scipy"]


def test_knowledge_is_validated() -> None:
    with pytest.raises(TypeError, match="expected a sequence of names, got a string"):
        Knowledge("scipy.special.*")
    with pytest.raises(ValueError, match="not a qualified name: ''"):
        Knowledge(["scipy.special.*", ""])

    class Wrong:
        @hookimpl
        def numba_check_add_knowledge(self) -> Any:
            return ["scipy.special.*"]

    with pytest.raises(PluginError, match="must return numba_check.plugins.Knowledge, got str"):
        Plugins(extra=[Wrong()])


def test_stamp_follows_what_plugins_add() -> None:
    one = Plugins(extra=[_named(KnowledgePlugin("scipy.special.*"), "scipy")]).stamp()
    other = Plugins(extra=[_named(KnowledgePlugin("scipy.special.gamma"), "scipy")]).stamp()
    assert len(one) == 1 and one != other
    assert "scipy.special.*" in one[0]
    # The plugin's code is part of it: editing a plugin in place never serves stale results.
    assert __file__ in one[0]


def test_misspelt_hook_is_named() -> None:
    class Typo:
        @hookimpl
        def numba_check_add_output_format(self) -> Any:
            return {}

    with pytest.raises(PluginError) as error:
        Plugins(extra=[_named(Typo(), "typo")])
    assert str(error.value).startswith(
        "plugin 'typo' implements unknown hook 'numba_check_add_output_format'; did you mean "
        "'numba_check_add_output_formats'?"
    )


def test_hook_with_unknown_argument() -> None:
    class Greedy:
        @hookimpl
        def numba_check_add_rules(self, settings: Any) -> Any:
            return []

    with pytest.raises(PluginError, match="^plugin 'greedy' cannot be registered: .*'settings'"):
        Plugins(extra=[_named(Greedy(), "greedy")])


def test_failing_hook_names_plugin_and_hook() -> None:
    class Failing:
        @hookimpl
        def numba_check_add_rules(self) -> Any:
            raise RuntimeError("no config")

    with pytest.raises(PluginError) as error:
        Plugins(extra=[_named(Failing(), "failing")])
    assert str(error.value).startswith(
        "plugin 'failing' failed in numba_check_add_rules: RuntimeError: no config"
    )


def test_wrappers_are_refused() -> None:
    class Wrapper:
        @hookimpl(wrapper=True)
        def numba_check_add_rules(self) -> Any:
            return (yield)

    with pytest.raises(PluginError, match="cannot be a wrapper"):
        Plugins(extra=[Wrapper()])


def test_builtins_cannot_be_disabled() -> None:
    with pytest.raises(PluginError, match="the built-in plugin 'numba_check.rules' cannot"):
        Plugins(blocked=["numba_check.rules"])


def test_settings_disable_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NUMBA_CHECK_DISABLE_PLUGINS", " env-one ,env-two,")
    (tmp_path / "pyproject.toml").write_text('[tool.numba-check]\ndisable-plugins = ["file"]\n')
    settings = load_settings({"disable-plugins": ["cli-a,cli-b", "cli-c"]}, cwd=tmp_path)
    assert settings.disable_plugins == ("file", "cli-a", "cli-b", "cli-c")
    # The environment adds to them whenever plugins are loaded.
    assert set(settings.plugins().blocked) == {"file", "cli-a", "cli-b", "cli-c"} | {
        "env-one",
        "env-two",
    }
    monkeypatch.delenv("NUMBA_CHECK_DISABLE_PLUGINS")
    assert Settings().plugins().blocked == ()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('disable-plugins = "demo"', r"disable-plugins: expected a list of strings, got 'demo'"),
        ('disable-plugins = ["a b"]', r"disable-plugins: not a plugin name: 'a b'"),
        ('disable-plugins = ["numba_check.output"]', r"built-in plugin 'numba_check.output'"),
    ],
)
def test_bad_disable_plugins(tmp_path: Path, body: str, message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool.numba-check]\n{body}\n")
    with pytest.raises((ConfigError, PluginError), match=message):
        load_settings(cwd=tmp_path)


def _named(plugin: Any, name: str, **attrs: Any) -> Any:
    """`plugin`, registered under `name` (pluggy takes a plugin's ``__name__`` for it)."""
    plugin.__name__ = name
    for key, value in attrs.items():
        setattr(plugin, key, value)
    return plugin
