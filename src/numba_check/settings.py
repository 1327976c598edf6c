"""``[tool.numba-check]`` in pyproject.toml merged with command-line flags into one frozen Settings.

Keys are spelled as ruff spells them (kebab-case in TOML, ``--kebab-case`` on the command line).
The command line wins over the file; ``extend-*`` options and ``ignore`` add to the file's value,
and, as in ruff, ``--select`` starts the rule selection afresh. Every bad value is a
:class:`ConfigError` whose message names the option and where it came from.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from numba_check import reading
from numba_check.selection import Selection, validate_selectors
from numba_check.versions import Version, format_version, parse_version

if TYPE_CHECKING:
    from numba_check.plugins import Plugins

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

TOOL_TABLE = "numba-check"
CONFIG_FILE = "pyproject.toml"
# The newest Numba the knowledge base describes; the default target when Numba is not installed.
NEWEST_KNOWN_NUMBA = "0.68.1"
DEFAULT_SELECT = ("NB",)
DEFAULT_OUTPUT_FORMAT = "full"
DEFAULT_CACHE_DIR = ".numba_check_cache"
DEFAULT_VERIFY_TIMEOUT = 60.0
# ruff's defaults, plus the build and cache folders that never hold code worth checking.
DEFAULT_EXCLUDE = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".numba_check_cache",
    ".pants.d",
    ".pyenv",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    ".vscode",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
)


class ConfigError(Exception):
    """A bad option: the message names the option and its source, ready for one stderr line."""


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know besides the paths to check."""

    select: tuple[str, ...] = DEFAULT_SELECT
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Patterns with a `/` are absolute (anchored where they were written); others match a name.
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    force_exclude: bool = False
    target_numba: Version = field(default_factory=lambda: default_target_numba())
    output_format: str = DEFAULT_OUTPUT_FORMAT
    fix: bool = False
    unsafe_fixes: bool = False
    # Which rules' fixes are offered at all (ruff's fixable / extend-fixable / unfixable).
    fixable: tuple[str, ...] = ("ALL",)
    extend_fixable: tuple[str, ...] = ()
    unfixable: tuple[str, ...] = ()
    # Skip what .gitignore, .ignore and git's global excludes list when walking folders.
    respect_gitignore: bool = True
    cache: bool = True
    cache_dir: Path | None = None  # None: DEFAULT_CACHE_DIR under project_root
    # Plugins not to load, by name; NUMBA_CHECK_DISABLE_PLUGINS adds to them (see plugins()).
    disable_plugins: tuple[str, ...] = ()
    # --verify: the installed Numba types each compiled function whose argument types are known.
    verify: bool = False
    verify_timeout: float = DEFAULT_VERIFY_TIMEOUT  # seconds, per compiled function
    # The folder of the pyproject.toml the settings came from, else the working directory.
    project_root: Path = field(default_factory=Path.cwd)
    config_file: Path | None = None

    def plugins(self) -> Plugins:
        """The plugins (loaded once per process), less those disabled here or in the
        environment."""
        from numba_check.plugins import disabled_by_environment, load_plugins

        return load_plugins((*self.disable_plugins, *disabled_by_environment()))

    def selection(self) -> Selection:
        """The engine's view of select/ignore/per-file-ignores."""
        rules = self.plugins().rule_summaries
        default_off = frozenset(c for c, r in rules.items() if not r.enabled_by_default)
        return Selection(
            select=self.select,
            extend_select=self.extend_select,
            ignore=self.ignore,
            # Anchored already when read from a file or the command line; given to the API,
            # a path pattern is anchored at the project root.
            per_file_ignores=tuple(
                (anchor_pattern(pattern, self.project_root), codes)
                for pattern, codes in self.per_file_ignores
            ),
            default_off=default_off,
        )

    def fix_selection(self) -> Selection | None:
        """The codes whose fixes are offered; None when every fix is (the default)."""
        if self.fixable == ("ALL",) and not self.unfixable:
            return None
        return Selection(
            select=self.fixable, extend_select=self.extend_fixable, ignore=self.unfixable
        )

    def all_excludes(self) -> tuple[str, ...]:
        return self.exclude + self.extend_exclude

    def resolved_cache_dir(self) -> Path:
        return (
            self.cache_dir if self.cache_dir is not None else self.project_root / DEFAULT_CACHE_DIR
        )

    def fingerprint(self) -> str:
        """What changes the diagnostics of a file: used to key the cache."""
        parts = [
            ",".join(self.select),
            ",".join(self.extend_select),
            ",".join(self.ignore),
            repr(self.per_file_ignores),
            format_version(self.target_numba),
            ",".join(self.fixable),
            ",".join(self.extend_fixable),
            ",".join(self.unfixable),
        ]
        return "|".join(parts)


# -- defaults -------------------------------------------------------------------------------


_VERSION_PREFIX = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?")


def installed_numba() -> Version | None:
    """The installed Numba's version, read from its metadata (never imported); None when
    there is none."""
    from numba_check import installed as quick

    installed = quick.version("numba")
    if installed is None:  # not found from folder names: ask importlib (slower to import)
        from importlib import metadata

        try:
            installed = metadata.version("numba")
        except metadata.PackageNotFoundError:
            installed = None
    match = _VERSION_PREFIX.match(installed or "")  # "0.61.0rc1", "0.62.0.dev0+12.gabc"
    return tuple(int(p or 0) for p in match.groups()) if match else None


def default_target_numba() -> Version:
    """The installed Numba's version, read from its metadata (never imported), else the newest."""
    return installed_numba() or parse_version(NEWEST_KNOWN_NUMBA)


# -- finding and reading pyproject.toml -----------------------------------------------------


class ConfigWarning(UserWarning):
    """A configuration file was passed over; the command line prints it as a warning."""


def find_config(start: Path) -> Path | None:
    """The first pyproject.toml with a ``[tool.numba-check]`` table, from `start` upwards.

    A pyproject.toml that cannot be read, or is not valid TOML, is only our business if it
    configures us: one that does not mention the table is passed over with a ConfigWarning
    (the folders above a project, a stranger's checkout, are not the project's).
    """
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            try:
                raw = _read_file(candidate)
            except ConfigError as exc:
                _pass_over(exc)
                continue
            try:
                data = _parse_toml(candidate, raw)
            except ConfigError as exc:
                if f"[tool.{TOOL_TABLE}".encode() in raw:
                    raise
                _pass_over(exc)
                continue
            if TOOL_TABLE in data.get("tool", {}):
                return candidate
    return None


def _pass_over(problem: ConfigError) -> None:
    message = f"{problem}; passed over, as it does not configure numba-check"
    warnings.warn(ConfigWarning(message), stacklevel=3)


def _read_file(path: Path) -> bytes:
    try:
        return reading.read_bytes(path)
    except OSError as exc:
        raise ConfigError(f"{_show(path)}: cannot read: {exc.strerror or exc}") from None


def _parse_toml(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{_show(path)}: invalid TOML: not UTF-8 (byte 0x{raw[exc.start]:02x} at offset "
            f"{exc.start})"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{_show(path)}: invalid TOML: {exc}") from None
    except (RecursionError, MemoryError):
        raise ConfigError(f"{_show(path)}: invalid TOML: nested too deeply") from None


def _read_toml(path: Path) -> dict[str, Any]:
    return _parse_toml(path, _read_file(path))


def read_config(path: Path) -> dict[str, Any]:
    """The ``[tool.numba-check]`` table of `path` (empty when it has none)."""
    table = _read_toml(path).get("tool", {}).get(TOOL_TABLE, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{_show(path)} [tool.{TOOL_TABLE}]: expected a table")
    return table


def _show(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


# -- validation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Option:
    kind: str  # "codes", "patterns", "bool", "format", "version", "path", "per-file-ignores",
    # "names", "seconds"
    attr: str
    # The configuration reference (docs/configuration.md) is generated from these two.
    help: str = ""
    # The default as the reference shows it, where the field's own default is computed at run
    # time; None: the Settings field's default, written as TOML.
    default: str | None = None


OPTIONS: Mapping[str, _Option] = {
    "select": _Option(
        "codes",
        "select",
        "Rule codes or prefixes to enable (`NB` for every rule, `NB1` for a family, `NB101` for "
        "one rule, `ALL`). On the command line it replaces the configured selection, as in ruff.",
    ),
    "extend-select": _Option(
        "codes",
        "extend_select",
        "Rule codes or prefixes to enable on top of `select`; the way to turn on a rule that is "
        "off by default, such as `NB904`.",
    ),
    "ignore": _Option(
        "codes",
        "ignore",
        "Rule codes or prefixes to disable. The most specific selector wins: `select = "
        '["NB1"]` with `ignore = ["NB101"]` turns NB101 off; on a tie, `ignore` wins.',
    ),
    "per-file-ignores": _Option(
        "per-file-ignores",
        "per_file_ignores",
        "Codes to disable in the files a glob matches, as a table of `pattern = [codes]` "
        "(command line: `PATTERN:CODES`, repeatable). As in `exclude`, a pattern with a `/` "
        "is anchored at the folder of the pyproject.toml (on the command line: the working "
        'directory): `"tests/*"` is that folder\'s `tests`, at whatever depth numba-check is '
        "run from; a bare name (`test_*.py`) matches at any depth.",
    ),
    "exclude": _Option(
        "patterns",
        "exclude",
        "Files and folders never checked when walking a folder, as globs. A pattern with a `/` "
        "is anchored at the folder of the pyproject.toml (on the command line: the working "
        "directory); a bare name matches at any depth. "
        "Setting it replaces the defaults: prefer `extend-exclude`.",
    ),
    "extend-exclude": _Option(
        "patterns", "extend_exclude", "Globs excluded on top of `exclude`, same syntax."
    ),
    "force-exclude": _Option(
        "bool",
        "force_exclude",
        "Apply the excludes to paths named on the command line too, as pre-commit names every "
        "file it checks.",
    ),
    "target-numba": _Option(
        "version",
        "target_numba",
        "The Numba version whose verdicts to apply, such as `0.60`: rules that only apply to "
        "some versions follow it.",
        default=f"the installed Numba's version (read without importing it), else "
        f'`"{NEWEST_KNOWN_NUMBA}"`',
    ),
    "output-format": _Option(
        "format", "output_format", "How diagnostics are printed: one of the output formats."
    ),
    "fix": _Option("bool", "fix", "Apply the safe fixes, writing the files back."),
    "unsafe-fixes": _Option(
        "bool", "unsafe_fixes", "Also apply (and count as fixable) fixes that may change behaviour."
    ),
    "fixable": _Option(
        "codes",
        "fixable",
        "Rule codes or prefixes whose fixes are offered (`[*]`) and applied by `--fix`.",
        default='`["ALL"]`',
    ),
    "extend-fixable": _Option(
        "codes", "extend_fixable", "Rule codes or prefixes made fixable on top of `fixable`."
    ),
    "unfixable": _Option(
        "codes",
        "unfixable",
        "Rule codes or prefixes whose fixes are never offered nor applied; the diagnostics are "
        "still reported.",
    ),
    "respect-gitignore": _Option(
        "bool",
        "respect_gitignore",
        "Skip the files that `.gitignore`, `.ignore` and git's global excludes file list when "
        "walking folders (command line: `--no-respect-gitignore`).",
    ),
    "cache-dir": _Option(
        "path",
        "cache_dir",
        "Where results are cached; a relative path starts at the folder of the pyproject.toml "
        "(on the command line: the working directory). numba-check writes only into a folder "
        "it made itself (it holds numba-check's `CACHEDIR.TAG`), never through a link that "
        "leads out of the project; otherwise it runs without a cache.",
        default=f'`"{DEFAULT_CACHE_DIR}"`',
    ),
    "verify": _Option(
        "bool",
        "verify",
        "After the static rules, have the installed Numba type every compiled function whose "
        "argument types can be known without running the code (signatures, type hints, calls "
        "in the project, `__main__` blocks, tests); needs Numba installed. See the `--verify` "
        "page.",
    ),
    "verify-timeout": _Option(
        "seconds",
        "verify_timeout",
        "Under `verify`, the seconds one compiled function may take to compile before its "
        "worker is stopped and the function reported as not verified (NB951).",
    ),
    "disable-plugins": _Option(
        "names",
        "disable_plugins",
        "Plugins not to load, by the names `numba-check plugins` lists (their entry-point "
        "names). `--disable-plugins` and the environment variable "
        "`NUMBA_CHECK_DISABLE_PLUGINS=a,b` add to them.",
    ),
}


class _Checker:
    """Turns raw option values into Settings values, raising ConfigError that names the source."""

    def __init__(
        self, known_codes: Iterable[str], known_formats: Iterable[str], base: Path
    ) -> None:
        self.known_codes = tuple(known_codes)
        self.known_formats = tuple(known_formats)
        self.base = base  # relative patterns and paths are anchored here

    def convert(self, key: str, value: Any, where: str) -> Any:
        kind = OPTIONS[key].kind
        return getattr(self, "_" + kind.replace("-", "_"))(value, where)

    def _codes(self, value: Any, where: str) -> tuple[str, ...]:
        codes = _string_list(value, where)
        codes = tuple(c.strip().upper() for c in codes if c.strip())
        unknown = validate_selectors(codes, self.known_codes)
        if unknown:
            hint = ""
            if unknown[0].startswith("NB8"):
                hint = (
                    " (NB800-NB899 are plugins' rules: is the plugin installed and enabled? "
                    "See `numba-check plugins`)"
                )
            raise ConfigError(f"{where}: unknown rule selector {unknown[0]!r}{hint}")
        return codes

    def _patterns(self, value: Any, where: str) -> tuple[str, ...]:
        return tuple(anchor_pattern(p, self.base) for p in _string_list(value, where))

    def _bool(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
        return value

    def _format(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected a string, got {value!r}")
        if value not in self.known_formats:
            choices = ", ".join(sorted(self.known_formats))
            raise ConfigError(f"{where}: unknown output format {value!r} (choose from: {choices})")
        return value

    def _version(self, value: Any, where: str) -> Version:
        if not isinstance(value, str):
            raise ConfigError(f'{where}: expected a version string such as "0.60", got {value!r}')
        try:
            version = parse_version(value)
        except ValueError:
            raise ConfigError(f"{where}: not a Numba version: {value!r}") from None
        if version[0] == 0 and version[1] < 10:
            # Numba 0.1-0.9 date from 2012-2013: "0.6" is "0.60" with a digit left out.
            guess = ".".join(["0", f"{version[1]}0", *value.strip().split(".")[2:]])
            raise ConfigError(
                f'{where}: {value!r} names Numba 0.{version[1]}, from 2013; did you mean "{guess}"?'
            )
        return version

    def _path(self, value: Any, where: str) -> Path:
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{where}: expected a path, got {value!r}")
        return self.base / Path(value).expanduser()

    def _seconds(self, value: Any, where: str) -> float:
        if isinstance(value, str):  # from the command line
            try:
                value = float(value)
            except ValueError:
                raise ConfigError(
                    f"{where}: expected a positive number of seconds, got {value!r}"
                ) from None
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not 0 < value < float("inf")
        ):
            raise ConfigError(f"{where}: expected a positive number of seconds, got {value!r}")
        return float(value)

    def _names(self, value: Any, where: str) -> tuple[str, ...]:
        names = tuple(n.strip() for n in _string_list(value, where) if n.strip())
        bad = [n for n in names if any(c.isspace() or c == "," for c in n)]
        if bad:
            raise ConfigError(f"{where}: not a plugin name: {bad[0]!r}")
        return names

    def _per_file_ignores(self, value: Any, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a table of pattern = [codes]")
        return tuple(
            (anchor_pattern(pattern, self.base), self._codes(codes, f"{where} {pattern!r}"))
            for pattern, codes in value.items()
        )


def _string_list(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
    return value


def anchor_pattern(pattern: str, base: Path) -> str:
    """A pattern naming a path (with a `/`) is made absolute; a bare name matches anywhere."""
    pattern = pattern.replace(os.sep, "/").rstrip("/") or pattern
    if "/" not in pattern:
        return pattern
    if pattern.startswith("./"):
        pattern = pattern[2:]
    anchored = pattern if os.path.isabs(pattern) else f"{base.as_posix().rstrip('/')}/{pattern}"
    return os.path.normpath(anchored).replace(os.sep, "/")


def parse_per_file_ignore(text: str, where: str) -> tuple[str, list[str]]:
    """ruff's command-line form ``PATTERN:CODE1,CODE2``."""
    pattern, sep, codes = text.rpartition(":")
    if not sep or not pattern or not codes.strip():
        raise ConfigError(f"{where}: expected PATTERN:CODE[,CODE...], got {text!r}")
    return pattern, [c.strip() for c in codes.split(",") if c.strip()]


# -- merging --------------------------------------------------------------------------------


# Options where the command line adds to the file instead of replacing it.
_ADDITIVE = frozenset(
    {"extend_select", "extend_exclude", "ignore", "disable_plugins", "extend_fixable", "unfixable"}
)


def load_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    config: Path | None = None,
    cwd: Path | None = None,
    isolated: bool = False,
    known_codes: Iterable[str] | None = None,
    known_formats: Iterable[str] | None = None,
) -> Settings:
    """Settings from `config` (or the pyproject.toml found from `cwd` upwards) and `overrides`.

    `overrides` maps an option's kebab-case name to its raw command-line value (lists of
    strings, bools, strings; None when not given); ``per-file-ignores`` there is a list of
    ``PATTERN:CODES`` and code lists may hold comma-separated items. ``cache`` (from
    ``--no-cache``) is the one option that exists only on the command line.
    """
    overrides = dict(overrides or {})
    cwd = (cwd or Path.cwd()).absolute()
    config = _config_file(config, cwd, isolated)
    table = read_config(config) if config is not None else {}
    if known_codes is None or known_formats is None:
        # First the plugins, whose rule codes and formats are valid values of other options.
        plugins = _plugins(table, config, overrides)
        known_codes = plugins.rule_summaries if known_codes is None else known_codes
        known_formats = plugins.formats if known_formats is None else known_formats
    known_codes, known_formats = tuple(known_codes), tuple(known_formats)

    root = config.parent if config is not None else cwd
    values: dict[str, Any] = {}
    if config is not None:
        values = _from_file(config, table, _Checker(known_codes, known_formats, root))
    cli = _from_cli(overrides, _Checker(known_codes, known_formats, cwd))
    if "select" in cli:
        # As in ruff, a selection on the command line is a new start, not an amendment.
        for attr in ("select", "extend_select", "ignore"):
            values.pop(attr, None)
    for attr, value in cli.items():
        values[attr] = values[attr] + value if attr in _ADDITIVE and attr in values else value
    if overrides.get("cache") is not None:
        values["cache"] = bool(overrides["cache"])
    return Settings(project_root=root, config_file=config, **values)


def load_plugins_for(
    overrides: Mapping[str, Any] | None = None,
    *,
    config: Path | None = None,
    cwd: Path | None = None,
    isolated: bool = False,
) -> Plugins:
    """The plugins, less those that the configuration file, ``overrides["disable-plugins"]``
    and the environment disable, without reading the rest of the configuration."""
    cwd = (cwd or Path.cwd()).absolute()
    config = _config_file(config, cwd, isolated)
    table = read_config(config) if config is not None else {}
    return _plugins(table, config, dict(overrides or {}))


def _config_file(config: Path | None, cwd: Path, isolated: bool) -> Path | None:
    if config is not None:
        config = (cwd / config).absolute()
        if not config.is_file():
            raise ConfigError(f"--config: no such file: {_show(config)}")
        return config
    return None if isolated else find_config(cwd)


def _plugins(
    table: Mapping[str, Any], config: Path | None, overrides: Mapping[str, Any]
) -> Plugins:
    from numba_check.plugins import disabled_by_environment, load_plugins

    checker = _Checker((), (), Path())
    names: list[str] = []
    if "disable-plugins" in table:
        where = f"{_show(config)} [tool.{TOOL_TABLE}] disable-plugins"  # type: ignore[arg-type]
        names += checker.convert("disable-plugins", table["disable-plugins"], where)
    raw = overrides.get("disable-plugins")
    if raw is not None:
        raw = [name for item in raw for name in item.split(",")]
        names += checker.convert("disable-plugins", raw, "--disable-plugins")
    return load_plugins((*names, *disabled_by_environment()))


def _from_file(path: Path, table: Mapping[str, Any], checker: _Checker) -> dict[str, Any]:
    prefix = f"{_show(path)} [tool.{TOOL_TABLE}]"
    values = {}
    for key, raw in table.items():
        if key not in OPTIONS:
            raise ConfigError(f"{prefix}: unknown option {key!r}{_suggest(key)}")
        values[OPTIONS[key].attr] = checker.convert(key, raw, f"{prefix} {key}")
    return values


def _from_cli(overrides: Mapping[str, Any], checker: _Checker) -> dict[str, Any]:
    values = {}
    for key, raw in overrides.items():
        if raw is None or key not in OPTIONS:
            continue
        where = f"--{key}"
        if key == "per-file-ignores":
            raw = dict(parse_per_file_ignore(item, where) for item in raw)
        elif OPTIONS[key].kind in ("codes", "names"):
            raw = [code for item in raw for code in item.split(",")]
        values[OPTIONS[key].attr] = checker.convert(key, raw, where)
    return values


def _suggest(key: str) -> str:
    import difflib

    close = difflib.get_close_matches(key.replace("_", "-"), list(OPTIONS), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
