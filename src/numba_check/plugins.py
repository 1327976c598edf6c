"""Plugins through pluggy: the hook specifications, the ``hookimpl`` marker and the manager.

A plugin is any module (or object) with functions marked ``@numba_check.hookimpl`` whose names
are hook names below. Third parties declare it as an entry point of the ``numba_check`` group::

    [project.entry-points.numba_check]
    scipy = "numba_check_scipy.plugin"

The built-in rules and output formats register through the same hooks (``numba_check.rules``,
``numba_check.output``). Callers never touch ``pm.hook``: they use :class:`Plugins`, loaded once
per block list with :func:`load_plugins`. Rule codes ``NB800`` to ``NB899`` are reserved for
plugins, so that a rule numba-check adds later never takes a plugin's code.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from numba_check.catalogue import RuleSummary
    from numba_check.output.base import Formatter
    from numba_check.rules.base import RuleClass

NAME = "numba_check"  # the pluggy project name, the entry-point group and the hook prefix
ENTRY_POINT_GROUP = NAME
DISABLE_ENV = "NUMBA_CHECK_DISABLE_PLUGINS"
# The built-in plugins, registered before the entry points, in this order.
BUILTIN_RULES = "numba_check.rules"
BUILTIN_PLUGINS = (BUILTIN_RULES, "numba_check.output")
PLUGIN_CODE = re.compile(r"^NB8\d\d$")
PLUGIN_CODES = "NB800-NB899"
FORMAT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

hookspec = pluggy.HookspecMarker(NAME)
hookimpl = pluggy.HookimplMarker(NAME)


class PluginError(Exception):
    """A plugin that cannot be used: the message names the plugin and the hook."""


@dataclass(frozen=True)
class Knowledge:
    """Names that a Numba extension makes compilable, so that no rule refuses them.

    ``compilable`` holds qualified names or fnmatch patterns of them (``scipy.special.*``,
    ``mypackage.geometry.distance``); ``label`` says who provides them (``numba-scipy``).
    """

    compilable: tuple[str, ...]
    label: str = ""

    def __post_init__(self) -> None:
        # A list is the natural thing to write; keep the frozen value hashable.
        if isinstance(self.compilable, str):
            raise TypeError("Knowledge.compilable: expected a sequence of names, got a string")
        object.__setattr__(self, "compilable", tuple(self.compilable))
        for pattern in self.compilable:
            if not isinstance(pattern, str) or not pattern or pattern != pattern.strip():
                raise ValueError(f"Knowledge.compilable: not a qualified name: {pattern!r}")


# -- hook specifications --------------------------------------------------------------------


@hookspec
def numba_check_add_rules() -> Sequence[type[Any]]:
    """Rule classes (subclasses of ``numba_check.rules.base.Rule``) to run with the built-in ones.

    A plugin's codes must lie in NB800-NB899 and may not clash with another plugin's. The rules
    are then selected, ignored, suppressed with ``# noqa`` and documented like built-in ones.
    """


@hookspec
def numba_check_add_output_formats() -> Mapping[str, Formatter]:
    """Output formats by name: pure functions ``render(diagnostics, ctx) -> str`` (see
    ``numba_check.output.base``), usable with ``--output-format NAME``."""


@hookspec
def numba_check_add_knowledge() -> Knowledge | Sequence[Knowledge]:
    """Names a Numba extension makes compilable (numba-scipy makes ``scipy.special.*`` legal;
    a project's own ``@overload`` does the same for the function it overloads). Rules that
    would refuse such a name stay silent."""


HOOKS = ("numba_check_add_rules", "numba_check_add_output_formats", "numba_check_add_knowledge")


# -- the manager ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PluginInfo:
    """One loaded plugin, as ``numba-check plugins`` lists it."""

    name: str
    distribution: str
    version: str
    builtin: bool
    hooks: tuple[str, ...]
    rules: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    knowledge: tuple[Knowledge, ...] = ()
    # Where its code lives, so that the cache notices a plugin being edited in place.
    files: tuple[str, ...] = field(default=(), repr=False)


class _BuiltinRules:
    """The built-in rules as a plugin. Its hook imports them only when called,
    which the manager does only when rules are to run."""

    @hookimpl
    def numba_check_add_rules(self) -> Sequence[RuleClass]:
        from numba_check.rules import BUILTIN_RULES as rules

        return rules


class Plugins:
    """The loaded plugins and what they add; the one way callers reach the hooks.

    Loading registers the built-in plugins, then every entry point of the ``numba_check``
    group not in `blocked`, then `extra` (plugin objects given in-process, as pytest's
    ``plugins=`` argument), and verifies every hook name; then it calls the hooks once and
    checks what they return. Every problem is a :class:`PluginError` naming the plugin.
    """

    def __init__(self, blocked: Iterable[str] = (), extra: Iterable[object] = ()) -> None:
        self.blocked = tuple(dict.fromkeys(blocked))
        builtins = [b for b in self.blocked if b in BUILTIN_PLUGINS]
        if builtins:
            raise PluginError(
                f"the built-in plugin {builtins[0]!r} cannot be disabled "
                "(to turn rules off, use --ignore)"
            )
        self._pm = pluggy.PluginManager(NAME)
        self._pm.add_hookspecs(sys.modules[__name__])
        for name in self.blocked:
            self._pm.set_blocked(name)
        import importlib

        for module in BUILTIN_PLUGINS:
            builtin = (
                _BuiltinRules() if module == BUILTIN_RULES else importlib.import_module(module)
            )
            self._register(builtin, module)
        self._load_entry_points()
        for plugin in extra:
            self._register(plugin, None)
        self._check_pending()
        self._collect()

    # -- what callers use

    @cached_property
    def rules(self) -> tuple[RuleClass, ...]:
        """Every rule: the built-in ones first, then the plugins' in loading order.

        The built-in ones are imported here, on first use, not when the plugins are loaded:
        settings and formatters need only their summaries (`rule_summaries`).
        """
        builtin = [
            r for p, result in self._call("numba_check_add_rules", BUILTIN_RULES) for r in result
        ]
        return (*builtin, *self.plugin_rules)

    @cached_property
    def rules_by_code(self) -> Mapping[str, RuleClass]:
        return {r.code: r for r in self.rules}

    @property
    def plugin_rules(self) -> tuple[RuleClass, ...]:
        """The rules that third-party plugins add."""
        return self._plugin_rules

    @property
    def rule_summaries(self) -> Mapping[str, RuleSummary]:
        """What every rule is (code, name, severity, summary, on by default), by code, without
        importing the built-in rules."""
        return self._summaries

    @property
    def formats(self) -> Mapping[str, Formatter]:
        return self._formats

    def formatter(self, name: str) -> Formatter:
        """The output format registered as `name`; raises UnknownFormatError if there is none."""
        from numba_check.output import UnknownFormatError

        try:
            render = self._formats[name]
        except KeyError:
            raise UnknownFormatError(name, self._formats) from None
        plugin = self._format_origin[name]
        if plugin in BUILTIN_PLUGINS:
            return render

        def guarded(diagnostics: Sequence[Any], ctx: Any) -> str:
            # A third party's bug is theirs to fix: named, in one line, not as numba-check's.
            try:
                text = render(diagnostics, ctx)
            except Exception as exc:
                raise PluginError(
                    f"plugin {plugin!r}: output format {name!r} failed: "
                    f"{type(exc).__name__}: {exc}{disable_hint(plugin)}"
                ) from exc
            if not isinstance(text, str):
                raise PluginError(
                    f"plugin {plugin!r}: output format {name!r} returned "
                    f"{type(text).__name__}, not text{disable_hint(plugin)}"
                )
            return text

        return guarded

    @property
    def knowledge(self) -> tuple[Knowledge, ...]:
        return tuple(k for info in self._infos for k in info.knowledge)

    @cached_property
    def compilable(self) -> frozenset[str]:
        """The qualified-name patterns that the plugins declare compilable."""
        return frozenset(p for k in self.knowledge for p in k.compilable)

    def origin(self, code: str) -> PluginInfo:
        """The plugin that added the rule `code`."""
        name = self._origin[code]
        return next(info for info in self._infos if info.name == name)

    def infos(self) -> tuple[PluginInfo, ...]:
        """The loaded plugins, built-in ones first."""
        return self._infos

    def stamp(self) -> tuple[str, ...]:
        """What identifies the third-party plugins' code and knowledge, to key the cache."""
        parts = []
        for info in self._infos:
            if info.builtin:
                continue  # numba-check's own files are stamped by the cache itself
            files = []
            for name in info.files:
                try:
                    stat = os.stat(name)
                except OSError:
                    continue
                files.append(f"{name}:{stat.st_mtime_ns}:{stat.st_size}")
            knowledge = sorted(p for k in info.knowledge for p in k.compilable)
            parts.append("|".join((info.name, info.distribution, info.version, *files, *knowledge)))
        return tuple(parts)

    # -- loading

    def _register(self, plugin: object, name: str | None) -> None:
        try:
            self._pm.register(plugin, name=name)
        except pluggy.PluginValidationError as exc:
            label = name or self._pm.get_canonical_name(plugin)
            raise PluginError(f"plugin {label!r} cannot be registered: {_one_line(exc)}") from None

    def _load_entry_points(self) -> None:
        from numba_check.installed import may_have_entry_points

        if not may_have_entry_points(ENTRY_POINT_GROUP):
            return  # no plugin installed: spare the import of importlib.metadata
        try:
            self._pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        except pluggy.PluginValidationError as exc:
            name = self._pm.get_name(exc.plugin) if self._pm.is_registered(exc.plugin) else None
            name = name or self._failing_entry_point() or repr(exc.plugin)
            raise PluginError(
                f"plugin {name!r} cannot be registered: {_one_line(exc)}{self._hint(name)}"
            ) from None
        except Exception as exc:
            name = self._failing_entry_point()
            what = f"plugin {name!r}" if name else f"an entry point of group {ENTRY_POINT_GROUP!r}"
            raise PluginError(
                f"{what} cannot be loaded: {type(exc).__name__}: {exc}{self._hint(name)}"
            ) from exc

    def _failing_entry_point(self) -> str | None:
        """The entry point loading stopped at: pluggy loads them in this order."""
        from importlib import metadata

        for dist in metadata.distributions():
            for ep in dist.entry_points:
                if ep.group != ENTRY_POINT_GROUP:
                    continue
                if not self._pm.has_plugin(ep.name) and not self._pm.is_blocked(ep.name):
                    return ep.name
        return None

    @staticmethod
    def _hint(name: str | None) -> str:
        return disable_hint(name)

    def _check_pending(self) -> None:
        # pluggy's check_pending() names the plugin by its repr and suggests nothing: say which
        # plugin, which hook, and what it probably meant.
        try:
            self._pm.check_pending()
        except pluggy.PluginValidationError as exc:
            name = self._pm.get_name(exc.plugin) or repr(exc.plugin)
            hooks = [
                hook
                for hook, caller in vars(self._pm.hook).items()
                if not hook.startswith("_")
                and not caller.has_spec()
                and any(impl.plugin is exc.plugin for impl in caller.get_hookimpls())
            ]
            hook = hooks[0] if hooks else "?"
            close = difflib.get_close_matches(hook, HOOKS, n=1)
            suggestion = f"; did you mean {close[0]!r}?" if close else ""
            raise PluginError(
                f"plugin {name!r}{self._from(exc.plugin)} implements unknown hook {hook!r}"
                f"{suggestion} (the hooks are: {', '.join(HOOKS)}){self._hint(name)}"
            ) from None

    def _from(self, plugin: object) -> str:
        dist = self._distributions().get(id(plugin))
        return f" (from {dist[0]} {dist[1]})" if dist else ""

    def _distributions(self) -> dict[int, tuple[str, str]]:
        return {
            id(plugin): (dist.project_name, dist.version)
            for plugin, dist in self._pm.list_plugin_distinfo()
        }

    # -- calling the hooks

    def _call(self, hook: str, only: str | None = None) -> Iterator[tuple[str, Any]]:
        """(plugin name, result) for each implementation (of plugin `only`, if given), in
        registration order; the built-in rules' only when asked for by name.

        Each implementation is called on its own, so that a failure or a bad result can name
        the plugin it came from; pluggy would hand back the results alone.
        """
        for impl in getattr(self._pm.hook, hook).get_hookimpls():
            if impl.plugin_name != only and (only is not None or impl.plugin_name == BUILTIN_RULES):
                continue
            if impl.hookwrapper or impl.wrapper:
                raise PluginError(
                    f"plugin {impl.plugin_name!r}: {hook} collects results; it cannot be a wrapper"
                )
            try:
                result = impl.function()
            except Exception as exc:
                raise PluginError(
                    f"plugin {impl.plugin_name!r} failed in {hook}: {type(exc).__name__}: {exc}"
                    f"{self._hint(impl.plugin_name)}"
                ) from exc
            if result is not None:
                yield impl.plugin_name, result

    def _collect(self) -> None:
        from numba_check import __version__
        from numba_check.catalogue import RuleSummary, builtin_rules

        summaries: dict[str, RuleSummary] = dict(builtin_rules())
        rules: dict[str, RuleClass] = {}
        origin: dict[str, str] = dict.fromkeys(summaries, BUILTIN_RULES)
        formats: dict[str, Formatter] = {}
        format_origin: dict[str, str] = {}
        added: dict[str, dict[str, Any]] = {}

        for plugin, result in self._call("numba_check_add_rules"):
            for rule in _sequence(result, plugin, "numba_check_add_rules", "rule classes"):
                self._check_rule(rule, plugin)
                if rule.code in summaries:
                    first = _describe(rules[rule.code]) if rule.code in rules else "a built-in rule"
                    raise PluginError(
                        f"rule code {rule.code} is added twice: as {first} "
                        f"by plugin {origin[rule.code]!r} and as {_describe(rule)} by plugin "
                        f"{plugin!r}"
                    )
                clash = next((r for r in summaries.values() if r.name == rule.name), None)
                if clash is not None:
                    raise PluginError(
                        f"rule name {rule.name!r} is used twice: by {clash.code} "
                        f"(plugin {origin[clash.code]!r}) and by {rule.code} (plugin {plugin!r})"
                    )
                rules[rule.code] = rule
                summaries[rule.code] = RuleSummary.of(rule)
                origin[rule.code] = plugin
                added.setdefault(plugin, {}).setdefault("rules", []).append(rule)

        for plugin, result in self._call("numba_check_add_output_formats"):
            if not isinstance(result, Mapping):
                raise PluginError(
                    f"plugin {plugin!r}: numba_check_add_output_formats must return a mapping "
                    f"of format names to formatters, got {type(result).__name__}"
                )
            for name, render in result.items():
                if not isinstance(name, str) or not FORMAT_NAME.match(name):
                    raise PluginError(
                        f"plugin {plugin!r}: output format name {name!r} is not a plain name"
                    )
                if not callable(render):
                    raise PluginError(
                        f"plugin {plugin!r}: output format {name!r} is not callable: {render!r}"
                    )
                if name in formats:
                    raise PluginError(
                        f"output format {name!r} is added twice: by plugin "
                        f"{format_origin[name]!r} and by plugin {plugin!r}"
                    )
                formats[name] = render
                format_origin[name] = plugin
                added.setdefault(plugin, {}).setdefault("formats", {})[name] = render

        for plugin, result in self._call("numba_check_add_knowledge"):
            items = [result] if isinstance(result, Knowledge) else result
            for item in _sequence(items, plugin, "numba_check_add_knowledge", "Knowledge"):
                if not isinstance(item, Knowledge):
                    raise PluginError(
                        f"plugin {plugin!r}: numba_check_add_knowledge must return "
                        f"numba_check.plugins.Knowledge, got {type(item).__name__}"
                    )
                added.setdefault(plugin, {}).setdefault("knowledge", []).append(item)

        dists = self._distributions()
        infos = []
        for name, plugin in self._pm.list_name_plugin():
            builtin = name in BUILTIN_PLUGINS
            dist = ("numba-check", __version__) if builtin else dists.get(id(plugin), ("", ""))
            hooks = tuple(
                hook
                for hook in HOOKS
                if any(i.plugin is plugin for i in getattr(self._pm.hook, hook).get_hookimpls())
            )
            mine = added.get(name, {})
            files = () if builtin else _code_files(plugin, mine)
            infos.append(
                PluginInfo(
                    name=name,
                    distribution=dist[0],
                    version=dist[1],
                    builtin=builtin,
                    hooks=hooks,
                    rules=tuple(c for c, o in origin.items() if o == BUILTIN_RULES)
                    if name == BUILTIN_RULES
                    else tuple(r.code for r in mine.get("rules", ())),
                    formats=tuple(mine.get("formats", {})),
                    knowledge=tuple(mine.get("knowledge", ())),
                    files=files,
                )
            )
        self._infos = tuple(infos)
        self._plugin_rules = tuple(rules.values())
        self._summaries: Mapping[str, RuleSummary] = summaries
        self._origin = origin
        self._formats: Mapping[str, Formatter] = dict(formats)
        self._format_origin = format_origin

    @staticmethod
    def _check_rule(rule: Any, plugin: str) -> None:
        from numba_check.model import Severity
        from numba_check.rules.base import CODE_RE, NAME_RE, Rule

        if not (isinstance(rule, type) and issubclass(rule, Rule)):
            raise PluginError(
                f"plugin {plugin!r}: numba_check_add_rules returned {rule!r}, which is not a "
                "subclass of numba_check.rules.base.Rule"
            )
        code = getattr(rule, "code", None)
        what = f"plugin {plugin!r}: rule {_describe(rule)}"
        if not isinstance(code, str) or not CODE_RE.match(code):
            raise PluginError(f"{what} has code {code!r}; expected NB and three digits")
        if plugin not in BUILTIN_PLUGINS and not PLUGIN_CODE.match(code):
            raise PluginError(
                f"{what} has code {code}; plugin rules must use {PLUGIN_CODES}, the codes "
                "numba-check reserves for plugins"
            )
        name = getattr(rule, "name", None)
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise PluginError(f"{what} has name {name!r}; expected kebab-case, like 'bad-thing'")
        if not isinstance(getattr(rule, "severity", None), Severity):
            raise PluginError(f"{what} has no severity (a numba_check.Severity)")


def disable_hint(name: str | None) -> str:
    """How to run without the plugin `name`, to end a message about it."""
    if name is None:
        return ""
    return f" (disable it with --disable-plugins {name} or {DISABLE_ENV}={name})"


def _sequence(value: Any, plugin: str, hook: str, what: str) -> Sequence[Any]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise PluginError(
            f"plugin {plugin!r}: {hook} must return a sequence of {what}, "
            f"got {type(value).__name__}"
        )
    return list(value)


def _one_line(exc: Exception) -> str:
    # pluggy's validation messages span lines; an error here is one stderr line.
    return "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())


def _describe(rule: type) -> str:
    return f"{rule.__module__}.{rule.__qualname__}"


def _code_files(plugin: object, added: Mapping[str, Any]) -> tuple[str, ...]:
    """The source files of a plugin and of the rules and formats it added."""
    owners = [plugin, *added.get("rules", ()), *added.get("formats", {}).values()]
    names = {
        o.__name__ if isinstance(o, ModuleType) else getattr(o, "__module__", None) for o in owners
    }
    files = set()
    for name in names:
        path = getattr(sys.modules.get(name or ""), "__file__", None)
        if path:
            files.add(path)
    return tuple(sorted(files))


def disabled_by_environment() -> tuple[str, ...]:
    """The plugin names in ``NUMBA_CHECK_DISABLE_PLUGINS`` (comma-separated)."""
    raw = os.environ.get(DISABLE_ENV, "")
    return tuple(name.strip() for name in raw.split(",") if name.strip())


@lru_cache(maxsize=8)
def _load(blocked: frozenset[str]) -> Plugins:
    return Plugins(sorted(blocked))


def load_plugins(blocked: Iterable[str] = ()) -> Plugins:
    """The plugins, loaded once per process for each set of blocked names."""
    return _load(frozenset(blocked))


__all__ = [
    "DISABLE_ENV",
    "ENTRY_POINT_GROUP",
    "NAME",
    "Knowledge",
    "PluginError",
    "PluginInfo",
    "Plugins",
    "disabled_by_environment",
    "hookimpl",
    "hookspec",
    "load_plugins",
]
