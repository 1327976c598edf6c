"""The command line: argument parsing, printing and exit codes only.

``numba-check [check] PATHS``, ``numba-check rule CODE``, ``numba-check rules``,
``numba-check plugins``, ``numba-check explain [FILE]``, ``numba-check server``. Exit codes: 0
clean (or everything fixed), 1 diagnostics remain, 2 usage, configuration or internal error.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import os
import sys
import traceback
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from numba_check import __version__
from numba_check.model import Applicability, Diagnostic, RuleFailed, Severity
from numba_check.output.base import printable
from numba_check.plugins import PluginError, disable_hint
from numba_check.settings import ConfigError, Settings

if TYPE_CHECKING:
    from numba_check.plugins import Plugins

PROG = "numba-check"
SUBCOMMANDS = ("check", "rule", "rules", "plugins", "explain", "server")
EXIT_CLEAN, EXIT_FOUND, EXIT_ERROR = 0, 1, 2
SUMMARY_FORMATS = frozenset({"concise", "full"})
DEBUG_ENV = "NUMBA_CHECK_DEBUG"
# As ruff reads RUFF_OUTPUT_FORMAT: below --output-format, above the configuration file.
OUTPUT_FORMAT_ENV = "NUMBA_CHECK_OUTPUT_FORMAT"


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so that main() returns the exit code."""

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        if message:
            sys.stderr.write(message)
        raise _Exit(status)


class _Exit(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with `argv` (default: sys.argv[1:]); returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    _escape_unprintable()
    try:
        return _dispatch(args_list)
    except _Exit as stop:
        return stop.code
    except (ConfigError, PluginError) as exc:
        return _error(str(exc))
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        # `numba-check src | head`: the reader left; say nothing more.
        _silence_stdout()
        return EXIT_FOUND
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if isinstance(exc, RuleFailed) and exc.plugin is not None:
            # A third party's rule: their bug, named in one line (a built-in one is ours).
            return _error(f"{exc}{disable_hint(exc.plugin)}")
        if os.environ.get(DEBUG_ENV):
            traceback.print_exc()
        else:
            sys.stderr.write(
                f"{PROG}: error: internal error: {type(exc).__name__}: {printable(str(exc))}\n"
                "This is a bug in numba-check; please report it to its maintainers, with the "
                f"output of the same command run with {DEBUG_ENV}=1.\n"
            )
        return EXIT_ERROR


def _escape_unprintable() -> None:
    """Let a console that cannot show a character (a file named `café.py` on a cp1252 or ASCII
    console) print it escaped, instead of failing the run with UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) != "strict":
            continue
        # Not a text stream that may be changed: leave it be.
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def _dispatch(argv: list[str]) -> int:
    parser = build_parser()
    # `numba-check src/` means `numba-check check src/`, as `ruff src/` once meant `ruff check`.
    if not argv or argv[0] not in (*SUBCOMMANDS, "-h", "--help", "--version", "-V"):
        _reject_mistyped_command(argv)
        argv = ["check", *argv]
    args, extra = parser.parse_known_args(argv)
    if extra:
        _reject_unknown_arguments(extra, args.parser)
    return int(args.handler(args))


def _reject_mistyped_command(argv: list[str]) -> None:
    """`numba-check chek src`: a word close to a subcommand that names no file is a typo, not
    a path to check (which would end in "file not found")."""
    if not argv or argv[0].startswith("-") or os.path.lexists(argv[0]):
        return
    if any(c in argv[0] for c in "/\\."):
        return
    close = difflib.get_close_matches(argv[0], SUBCOMMANDS, n=1, cutoff=0.6)
    if close:
        sys.stderr.write(
            f"{PROG}: error: unrecognized subcommand {argv[0]!r} (did you mean {close[0]!r}?)\n"
            f"Usage: {PROG} [COMMAND] [OPTIONS] [PATHS]...; see `{PROG} --help`\n"
        )
        raise _Exit(EXIT_ERROR)


def _reject_unknown_arguments(extra: list[str], parser: argparse.ArgumentParser) -> None:
    first = extra[0]
    known = [o for o in parser._option_string_actions if o.startswith("--")]
    hint = ""
    if first.startswith("-"):
        close = difflib.get_close_matches(first.split("=", 1)[0], known, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
    parser.error(f"unrecognized argument {first!r}{hint}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Find what Numba will refuse, miscompute or slow down, before it runs.",
        epilog="Without a subcommand, `check` is assumed: `numba-check src/`.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"{PROG} {__version__}")
    parser.set_defaults(parser=parser)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)
    check = sub.add_parser("check", help="check files and folders (the default)")
    _add_check_arguments(check)
    check.set_defaults(handler=_cmd_check, parser=check)

    rule = sub.add_parser("rule", help="explain a rule: its documentation and metadata")
    rule.add_argument("code", metavar="CODE", nargs="?", help="a rule code, such as NB101")
    rule.add_argument("--all", action="store_true", help="explain every rule")
    rule.add_argument("--output-format", choices=("text", "json"), default="text")
    _add_disable_plugins(rule)
    rule.set_defaults(handler=_cmd_rule, parser=rule)

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--output-format", choices=("text", "json"), default="text")
    _add_disable_plugins(rules)
    rules.set_defaults(handler=_cmd_rules, parser=rules)

    plugins = sub.add_parser(
        "plugins", help="list the loaded plugins: versions, hooks, and what they add"
    )
    plugins.add_argument("--output-format", choices=("text", "json"), default="text")
    _add_disable_plugins(plugins)
    plugins.set_defaults(handler=_cmd_plugins, parser=plugins)

    explain = sub.add_parser(
        "explain",
        help="name the rule behind a Numba error message or traceback",
        description="Read a Numba error message or traceback and print the rules that cover "
        "it, most likely first, with the first rule's documentation. Exit status: 0 when a "
        "rule matched, 1 when none did, 2 when the input could not be read.",
    )
    explain.add_argument(
        "file", nargs="?", default="-", metavar="FILE", help="the message (default: stdin, or -)"
    )
    explain.add_argument(
        "--output-format", choices=("text", "json"), default="text", help="default: text"
    )
    explain.add_argument(
        "--no-lint",
        action="store_true",
        help="do not lint the files the message names to confirm the rule",
    )
    explain.set_defaults(handler=_cmd_explain, parser=explain)

    server = sub.add_parser(
        "server",
        help="run the language server (for editors) over stdio",
        description="A language server over stdio: diagnostics and quick fixes in any editor "
        "with an LSP client. Needs the `server` extra: pip install 'numba-check[server]'.",
    )
    server.set_defaults(handler=_cmd_server, parser=server)
    return parser


def _add_disable_plugins(p: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    p.add_argument(
        "--disable-plugins",
        action="append",
        metavar="NAMES",
        help="plugins not to load, by name; comma-separated, repeatable "
        "(also: NUMBA_CHECK_DISABLE_PLUGINS)",
    )


def _add_check_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders (default: .); - for stdin"
    )
    p.add_argument("-V", "--version", action="version", version=f"{PROG} {__version__}")
    rules = p.add_argument_group("rule selection")
    for flag, text in (
        ("--select", "rule codes or prefixes to enable (replaces the configured selection)"),
        ("--extend-select", "rule codes or prefixes to enable on top of the selection"),
        ("--ignore", "rule codes or prefixes to disable"),
    ):
        rules.add_argument(flag, action="append", metavar="CODES", help=f"{text}; comma-separated")
    rules.add_argument(
        "--per-file-ignores",
        action="append",
        metavar="PATTERN:CODES",
        help="disable codes in files matching a glob, e.g. 'tests/*:NB7'; repeatable",
    )
    rules.add_argument("--target-numba", metavar="VERSION", help="the Numba version to check for")

    verify = p.add_argument_group("verification")
    verify.add_argument(
        "--verify",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="after the rules, have the installed Numba type each compiled function whose "
        "argument types can be known, without running the code",
    )
    verify.add_argument(
        "--verify-timeout",
        metavar="SECONDS",
        help="seconds one function may take to compile under --verify (default: 60)",
    )

    files = p.add_argument_group("file selection")
    files.add_argument(
        "--exclude", action="append", metavar="PATTERNS", help="replace the excludes"
    )
    files.add_argument("--extend-exclude", action="append", metavar="PATTERNS", help="add excludes")
    files.add_argument(
        "--force-exclude",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="apply excludes to paths given on the command line too (for pre-commit)",
    )
    files.add_argument(
        "--respect-gitignore",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="skip what .gitignore, .ignore and git's global excludes list (default: on)",
    )
    files.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="read the source from stdin, as if it were this file (for settings and messages)",
    )
    files.add_argument(
        "--show-files", action="store_true", help="list the files that would be checked; exit"
    )
    files.add_argument(
        "--show-settings", action="store_true", help="print the settings in force; exit"
    )

    fixes = p.add_argument_group("fixes")
    fixes.add_argument(
        "--fix", action=argparse.BooleanOptionalAction, default=None, help="apply fixes"
    )
    fixes.add_argument(
        "--unsafe-fixes",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also apply fixes that may change behaviour",
    )
    fixes.add_argument(
        "--diff", action="store_true", help="print the fixes as a diff; write nothing"
    )
    fixes.add_argument(
        "--show-fixes", action="store_true", help="show each fix's edit in the output"
    )
    fixes.add_argument(
        "--fix-only",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="apply fixes and report nothing else; exit 0 (implies --fix)",
    )
    fixes.add_argument(
        "--exit-non-zero-on-fix",
        action="store_true",
        help="exit 1 when something was fixed, even if nothing remains",
    )
    for flag, text in (
        ("--fixable", "rule codes or prefixes whose fixes are offered (default: ALL)"),
        ("--extend-fixable", "rule codes or prefixes to make fixable on top of --fixable"),
        ("--unfixable", "rule codes or prefixes whose fixes are never offered"),
    ):
        fixes.add_argument(flag, action="append", metavar="CODES", help=f"{text}; comma-separated")
    fixes.add_argument(
        "--add-noqa",
        action="store_true",
        help="add a `# noqa` comment for every diagnostic found, and write the files",
    )

    out = p.add_argument_group("output")
    out.add_argument(
        "--output-format",
        metavar="FORMAT",
        help=f"one of: {_format_names()} (also: {OUTPUT_FORMAT_ENV})",
    )
    out.add_argument("-o", "--output-file", metavar="FILE", help="write the report to FILE")
    out.add_argument("--statistics", action="store_true", help="count diagnostics per rule")
    out.add_argument("--exit-zero", action="store_true", help="exit 0 even if diagnostics remain")
    out.add_argument("-q", "--quiet", action="store_true", help="print diagnostics only")

    config = p.add_argument_group("configuration")
    config.add_argument("--config", metavar="PATH", help="a pyproject.toml to read settings from")
    config.add_argument("--isolated", action="store_true", help="ignore all configuration files")
    config.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    config.add_argument("--cache-dir", metavar="PATH", help="where to keep the cache")
    _add_disable_plugins(config)


def _format_names() -> str:
    from numba_check.output import FORMATS

    # The built-in ones: the plugins are not loaded to print the help.
    return ", ".join(FORMATS) + ", or a plugin's (see `numba-check plugins`)"


def _split(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings from the configuration file, overridden by the flags in `args`."""
    from numba_check.settings import load_settings

    overrides: dict[str, Any] = {
        "select": args.select,
        "extend-select": args.extend_select,
        "ignore": args.ignore,
        "per-file-ignores": args.per_file_ignores,
        "exclude": _split(args.exclude),
        "extend-exclude": _split(args.extend_exclude),
        "force-exclude": args.force_exclude,
        "target-numba": args.target_numba,
        "output-format": args.output_format or os.environ.get(OUTPUT_FORMAT_ENV) or None,
        "fix": True if args.fix_only else args.fix,
        "unsafe-fixes": args.unsafe_fixes,
        "fixable": args.fixable,
        "extend-fixable": args.extend_fixable,
        "unfixable": args.unfixable,
        "respect-gitignore": args.respect_gitignore,
        "cache-dir": args.cache_dir,
        "cache": False if args.no_cache else None,
        "disable-plugins": args.disable_plugins,
        "verify": args.verify,
        "verify-timeout": args.verify_timeout,
    }
    config = Path(args.config) if args.config else None
    try:
        with _config_warnings_printed():
            return load_settings(overrides, config=config, isolated=args.isolated)
    except ConfigError as exc:
        if args.output_format is None and str(exc).startswith("--output-format:"):
            # The value came from the environment: say so.
            raise ConfigError(
                OUTPUT_FORMAT_ENV + str(exc).removeprefix("--output-format")
            ) from None
        raise


@contextlib.contextmanager
def _config_warnings_printed() -> Iterator[None]:
    """Configuration files passed over (settings.ConfigWarning) said in a warning line each;
    other warnings go on as they were."""
    from numba_check.settings import ConfigWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConfigWarning)
        yield
    for warning in caught:
        if issubclass(warning.category, ConfigWarning):
            _warn(str(warning.message))
        else:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )


# -- check ----------------------------------------------------------------------------------


def _cmd_check(args: argparse.Namespace) -> int:
    from numba_check.api import RunResult, run

    settings = settings_from_args(args)
    if args.show_settings:
        sys.stdout.write(_settings_text(settings))
        return EXIT_CLEAN
    if _reads_stdin(args):
        return _check_stdin(args, settings)
    if args.show_files:
        return _show_files(args, settings)
    if args.add_noqa:
        return _add_noqa(args, settings)
    mode = "diff" if args.diff else "fix" if settings.fix else "check"
    verifying = settings.verify and mode != "diff"
    if verifying:
        from numba_check.verify import require_numba

        installed = require_numba()  # ConfigError without Numba: one line, exit 2
        if tuple(settings.target_numba[:2]) != tuple(installed[:2]):  # releases of one minor agree
            from numba_check.versions import format_version

            _warn(
                f"target-numba is {format_version(settings.target_numba)} but Numba "
                f"{format_version(installed)} is installed: --verify compiles with the "
                "installed Numba"
            )
    result: RunResult = run(args.paths, settings, mode=mode)
    if not result.files:
        _warn("No Python files found under the given path(s)")
        return EXIT_CLEAN
    verification = None
    if verifying:
        from numba_check.verify import verify_result

        result, verification = verify_result(result, settings)
    with _open_output(args.output_file) as stream:
        if mode == "diff":
            return _report_diff(result, stream, args)
        return _report(result, stream, args, settings, verification)


def _report(
    result: Any,
    stream: TextIO,
    args: argparse.Namespace,
    settings: Settings,
    verification: Any = None,
) -> int:
    """Print the diagnostics of a run (none with --fix-only), what was fixed and the summary;
    the exit code."""
    diagnostics = () if args.fix_only else result.diagnostics
    fixed: Counter[str] = result.fixed
    if args.statistics:
        stream.write(_statistics(diagnostics, settings, verification))
    else:
        formatter = settings.plugins().formatter(settings.output_format)
        color = _use_color(stream, args)
        context = _format_context(result.sources(), args, settings.plugins(), color)
        stream.write(formatter(diagnostics, context))
    if settings.output_format in SUMMARY_FORMATS and not (args.quiet or args.statistics):
        if diagnostics and settings.output_format == "full":
            stream.write("\n")  # as ruff: the last block, then a blank line, then the summary
        if fixed:
            stream.write(_fixed_listing(result.files, settings))
        if args.fix_only:
            done = _severities_of(fixed, settings)
            stream.write(f"Fixed {done}.\n" if fixed else "No errors fixed.\n")
        else:
            stream.write(_summary(diagnostics, fixed, settings))
    if verification is not None and not args.quiet:
        sys.stderr.write(verification.summary() + "\n")
    if args.exit_zero:
        return EXIT_CLEAN
    if diagnostics or (args.exit_non_zero_on_fix and fixed):
        return EXIT_FOUND
    return EXIT_CLEAN


def _use_color(stream: TextIO, args: argparse.Namespace) -> bool:
    """Colours on a terminal; FORCE_COLOR forces them and NO_COLOR turns them off (in that
    order, as ruff reads them); never in a file written with -o."""
    if args.output_file is not None:
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _fixed_listing(files: Sequence[Any], settings: Settings) -> str:
    """What --fix fixed, per file and rule, as ruff lists it."""
    total: Counter[str] = Counter()
    for outcome in files:
        total.update(outcome.fixed)
    out = [f"Fixed {_severities_of(total, settings)}:\n"]
    for outcome in files:
        if not outcome.fixed:
            continue
        from numba_check.output.base import display_name

        out.append(f"- {display_name(outcome.file.display)}:\n")
        for code, n in sorted(outcome.fixed.items()):
            name = _rule_name(code, settings)
            out.append(f"    {n} \u00d7 {code}{f' ({name})' if name else ''}\n")
    return "".join(out) + "\n"


def _rule_name(code: str, settings: Settings) -> str | None:
    rule = settings.plugins().rule_summaries.get(code)
    return rule.name if rule is not None else None


# -- check: stdin, --show-files, --show-settings, --add-noqa ------------------------------------


def _reads_stdin(args: argparse.Namespace) -> bool:
    """ruff's rule: `-` as the only path, or --stdin-filename (other paths are then ignored)."""
    if args.stdin_filename is not None:
        others = [p for p in args.paths if p != "-"]
        if others:
            _warn(f"Ignoring file {others[0]} in favor of standard input.")
        return True
    return args.paths == ["-"]


def _check_stdin(args: argparse.Namespace, settings: Settings) -> int:
    """Check the text on stdin as the file --stdin-filename names; with --fix, the fixed text
    goes to stdout and the diagnostics that remain to stderr, for editors and pipes."""
    from numba_check.api import RunResult, check_input

    if args.add_noqa or args.show_files:
        flag = "--add-noqa" if args.add_noqa else "--show-files"
        return _error(f"{flag} cannot be used with standard input")
    stdin = getattr(sys.stdin, "buffer", None)
    data = stdin.read() if stdin is not None else sys.stdin.read().encode("utf-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _error(f"standard input is not valid UTF-8 (byte 0x{data[exc.start]:02x})")
    name = args.stdin_filename or "-"
    mode = "diff" if args.diff else "fix" if settings.fix else "check"
    outcome = check_input(text, name, settings, mode=mode)
    if outcome is None:  # excluded, with --force-exclude: passed through untouched
        if mode == "fix":
            sys.stdout.write(text)
        return EXIT_CLEAN
    result = RunResult((outcome,))
    if mode == "diff":
        with _open_output(args.output_file) as stream:
            return _report_diff(result, stream, args)
    if mode == "fix":
        sys.stdout.write(outcome.source if outcome.source is not None else text)
        sys.stdout.flush()
        return _report(result, sys.stderr, args, settings)
    with _open_output(args.output_file) as stream:
        return _report(result, stream, args, settings)


def _show_files(args: argparse.Namespace, settings: Settings) -> int:
    from numba_check.discovery import discover
    from numba_check.output.base import display_name

    for file in discover(args.paths, settings):
        sys.stdout.write(f"{display_name(str(file.path))}\n")
    return EXIT_CLEAN


def _settings_text(settings: Settings) -> str:
    """The settings in force, as the TOML of a [tool.numba-check] table."""
    from numba_check.settings import OPTIONS
    from numba_check.versions import format_version

    source = settings.config_file or "defaults (no pyproject.toml with [tool.numba-check] found)"
    lines = [f"# Settings from: {source}", f"# Project root: {settings.project_root}"]
    lines.append("[tool.numba-check]")
    for key, option in OPTIONS.items():
        value = getattr(settings, option.attr)
        if key == "target-numba":
            text = json.dumps(format_version(value))
        elif key == "cache-dir":
            text = json.dumps(str(settings.resolved_cache_dir()))
        elif key == "per-file-ignores":
            items = (f"{json.dumps(p)} = {json.dumps(list(c))}" for p, c in value)
            text = "{ " + ", ".join(items) + " }" if value else "{}"
        elif isinstance(value, bool):
            text = "true" if value else "false"
        elif value is None or isinstance(value, (int, float, str)):
            text = json.dumps(value)
        else:
            text = json.dumps(list(value))
        lines.append(f"{key} = {text}")
    lines.append(f"# cache = {'true' if settings.cache else 'false'}  (--no-cache)")
    return "\n".join(lines) + "\n"


def _add_noqa(args: argparse.Namespace, settings: Settings) -> int:
    """Add `# noqa` for what is found, file by file; notebooks are left alone."""
    from numba_check.add_noqa import add_noqa
    from numba_check.api import run
    from numba_check.safe_files import write_fixed

    result = run(args.paths, settings, mode="check")
    roots = (settings.project_root, Path.cwd())
    added = 0
    for outcome in result.files:
        if not outcome.diagnostics or outcome.source is None:
            continue
        if outcome.file.kind == "notebook":
            _warn(f"--add-noqa leaves notebooks alone: {outcome.file.display}")
            continue
        text, count = add_noqa(outcome.source, outcome.diagnostics)
        if count:
            try:
                # As --fix writes: atomically, and not if the file changed since it was read.
                write_fixed(outcome.file.path, text, outcome.source, roots)
            except OSError as exc:
                _warn(f"cannot write {outcome.file.display}: {exc.strerror or exc}")
                continue
            added += count
    if not args.quiet:
        word = "directive" if added == 1 else "directives"
        sys.stderr.write(f"Added {added} noqa {word}.\n")
    return EXIT_CLEAN


def _report_diff(result: Any, stream: TextIO, args: argparse.Namespace) -> int:
    from numba_check.output.base import printable_lines

    changed = [f for f in result.files if f.changed and f.original is not None]
    # A patch saved to a file must apply byte for byte; a terminal must not act on a
    # stranger's control characters.
    shown = printable_lines if stream.isatty() else str
    for outcome in changed:
        stream.write(shown(outcome.diff()))  # per cell for a notebook
    fixed = sum(result.fixed.values())
    if not args.quiet:
        if fixed:
            sys.stderr.write(f"Would fix {_plural(fixed, 'error')}.\n")
        else:
            sys.stderr.write("No errors would be fixed.\n")
    return EXIT_FOUND if changed and not args.exit_zero else EXIT_CLEAN


def _format_context(
    sources: Mapping[str, str], args: argparse.Namespace, plugins: Plugins, color: bool = False
) -> Any:
    from numba_check.catalogue import rule_url
    from numba_check.output import FormatContext, RuleInfo

    infos = {
        code: RuleInfo(code, r.name, r.severity, r.summary, rule_url(code))
        for code, r in plugins.rule_summaries.items()
    }
    return FormatContext(
        tool_version=__version__,
        sources=sources,
        show_fixes=args.show_fixes,
        rules=infos,
        color=color,
    )


def _fixable(diagnostic: Diagnostic, unsafe: bool) -> bool:
    fix = diagnostic.fix
    return fix is not None and (fix.applicability is Applicability.SAFE or unsafe)


def _statistics(
    diagnostics: Sequence[Diagnostic], settings: Settings, verification: Any = None
) -> str:
    counts = Counter(d.code for d in diagnostics)
    names = {d.code: d.name for d in diagnostics}
    if verification is not None:
        # Functions --verify could not verify are counted whether NB951 is selected or not.
        shown = {(d.filename, d.location.line, d.message) for d in diagnostics}
        unselected = [
            d
            for d in verification.could_not_verify
            if (d.filename, d.location.line, d.message) not in shown
        ]
        counts.update(d.code for d in unselected)
        names.update((d.code, d.name) for d in unselected)
    fixable = {d.code for d in diagnostics if _fixable(d, settings.unsafe_fixes)}
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if settings.output_format == "json":
        data = [
            {"code": code, "name": names[code], "count": n, "fixable": code in fixable}
            for code, n in rows
        ]
        return json.dumps(data, indent=2) + "\n"
    if not rows:
        return ""
    width = len(str(rows[0][1]))
    marker_width = 4 if fixable else 0
    lines = []
    for code, n in rows:
        marker = ("[*] " if code in fixable else "    ")[:marker_width]
        lines.append(f"{n:>{width}}\t{code}\t{marker}{names[code]}\n")
    return "".join(lines)


def _summary(diagnostics: Sequence[Diagnostic], fixed: Counter[str], settings: Settings) -> str:
    """ruff's summary, with the severities counted apart: ``Found 2 errors, 1 warning.``"""
    remaining = len(diagnostics)
    fixed_count = sum(fixed.values())
    if not remaining and not fixed_count:
        return "All checks passed!\n"
    counts = Counter(d.severity for d in diagnostics)
    counts.update(_severity_counts(fixed, settings))
    found = _by_severity(counts)
    if fixed_count:
        text = f"Found {found} ({fixed_count} fixed, {remaining} remaining).\n"
    else:
        text = f"Found {found}.\n"
    fixable = sum(_fixable(d, settings.unsafe_fixes) for d in diagnostics)
    hidden = 0 if settings.unsafe_fixes else sum(_fixable(d, True) for d in diagnostics) - fixable
    hint = ""
    if hidden:
        fixes = "fix" if hidden == 1 else "fixes"
        hint = f" ({hidden} hidden {fixes} can be enabled with the `--unsafe-fixes` option)"
    if fixable:
        text += f"[*] {fixable} fixable with the `--fix` option{hint}.\n"
    elif hidden:
        text += f"No fixes available{hint}.\n"
    return text


def _severity_counts(by_code: Mapping[str, int], settings: Settings) -> Counter[Severity]:
    rules = settings.plugins().rule_summaries
    counts: Counter[Severity] = Counter()
    for code, n in by_code.items():
        rule = rules.get(code)
        counts[rule.severity if rule is not None else Severity.ERROR] += n
    return counts


def _severities_of(by_code: Mapping[str, int], settings: Settings) -> str:
    return _by_severity(_severity_counts(by_code, settings))


def _by_severity(counts: Mapping[Severity, int]) -> str:
    """``2 errors, 1 warning, 3 info``: the severities present, most severe first."""
    parts = []
    for severity in Severity:
        n = counts.get(severity, 0)
        if n:
            word = severity.value if n == 1 or severity is Severity.INFO else severity.value + "s"
            parts.append(f"{n} {word}")
    return ", ".join(parts)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class _open_output:
    """stdout, or the file given with -o (its folder created, like ruff)."""

    def __init__(self, name: str | None) -> None:
        self.name = name
        self.handle: TextIO | None = None

    def __enter__(self) -> TextIO:
        if self.name is None:
            return sys.stdout
        path = Path(self.name)
        try:
            if path.parent != Path():
                path.parent.mkdir(parents=True, exist_ok=True)
            self.handle = path.open("w", encoding="utf-8", newline="\n")
        except OSError as exc:
            message = f"--output-file: cannot write {self.name}: {exc.strerror or exc}"
            raise ConfigError(message) from None
        return self.handle

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()


# -- rule / rules ---------------------------------------------------------------------------


def _plugins(args: argparse.Namespace) -> Plugins:
    from numba_check.settings import load_plugins_for

    with _config_warnings_printed():
        return load_plugins_for({"disable-plugins": args.disable_plugins})


def _rule_record(code: str, plugins: Plugins) -> dict[str, Any]:
    from numba_check.catalogue import rule_url

    r = plugins.rules_by_code[code]
    fix = r.fix_applicability.value if r.fix_applicability is not None else None
    origin = plugins.origin(code)
    return {
        "code": r.code,
        "name": r.name,
        "severity": r.severity.value,
        "enabled_by_default": r.enabled_by_default,
        "numba_versions": r.numba_versions.describe(),
        "targets": sorted(t.value for t in r.targets),
        "fix": fix,
        "summary": r.summary(),
        "documentation": r.documentation(),
        "url": rule_url(code),
        # None for a built-in rule.
        "plugin": None
        if origin.builtin
        else {"name": origin.name, "distribution": origin.distribution, "version": origin.version},
    }


def _cmd_rule(args: argparse.Namespace) -> int:
    plugins = _plugins(args)
    if args.all:
        codes = sorted(plugins.rules_by_code)
    elif args.code is None:
        return _error("rule: give a rule code, such as NB101, or --all")
    else:
        code = args.code.strip().upper()
        if code not in plugins.rules_by_code:
            close = difflib.get_close_matches(code, list(plugins.rules_by_code), n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            return _error(f"unknown rule code {args.code!r} (see `{PROG} rules`{hint})")
        codes = [code]
    records = [_rule_record(code, plugins) for code in codes]
    if args.output_format == "json":
        data: Any = records if args.all else records[0]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return EXIT_CLEAN
    sys.stdout.write("\n".join(_rule_text(record) for record in records))
    return EXIT_CLEAN


def _rule_text(record: Mapping[str, Any]) -> str:
    targets = ", ".join(record["targets"]) or "none (reported by the tool itself)"
    lines = [
        f"# {record['name']} ({record['code']})",
        "",
        f"Severity: {record['severity']}",
        f"Enabled by default: {'yes' if record['enabled_by_default'] else 'no'}",
        f"Numba versions: {record['numba_versions']}",
        f"Targets: {targets}",
        f"Fix: {record['fix'] or 'none'}",
        *_plugin_line(record["plugin"]),
        *([f"Documentation: {record['url']}"] if record.get("url") else []),
        "",
        record["documentation"],
    ]
    return "\n".join(lines).rstrip() + "\n"


def _plugin_line(plugin: Mapping[str, str] | None) -> list[str]:
    if plugin is None:
        return []
    return [f"Plugin: {plugin['name']} ({plugin['distribution']} {plugin['version']})"]


def _cmd_rules(args: argparse.Namespace) -> int:
    plugins = _plugins(args)
    records = [_rule_record(code, plugins) for code in sorted(plugins.rules_by_code)]
    if args.output_format == "json":
        for record in records:
            del record["documentation"]
        sys.stdout.write(json.dumps(records, indent=2) + "\n")
        return EXIT_CLEAN
    header = ("Code", "Name", "Severity", "Default", "Numba versions", "Summary")
    rows = [
        (
            r["code"],
            r["name"] + (" [*]" if r["fix"] else ""),
            r["severity"],
            "on" if r["enabled_by_default"] else "off",
            r["numba_versions"],
            r["summary"],
        )
        for r in records
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header) - 1)]
    for row in (header, *rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        sys.stdout.write("  ".join([*cells, row[-1]]).rstrip() + "\n")
    return EXIT_CLEAN


# -- plugins --------------------------------------------------------------------------------


def _cmd_plugins(args: argparse.Namespace) -> int:
    from numba_check.plugins import disabled_by_environment

    plugins = _plugins(args)
    records = [
        {
            "name": info.name,
            "distribution": info.distribution,
            "version": info.version,
            "builtin": info.builtin,
            "hooks": list(info.hooks),
            "rules": list(info.rules),
            "formats": list(info.formats),
            "knowledge": [
                {"label": k.label, "compilable": list(k.compilable)} for k in info.knowledge
            ],
        }
        for info in plugins.infos()
    ]
    disabled = sorted(set(plugins.blocked))
    if args.output_format == "json":
        data = {"plugins": records, "disabled": disabled}
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return EXIT_CLEAN
    header = ("Name", "Version", "Distribution", "Hooks (numba_check_*)", "Adds")
    rows = [
        (
            r["name"],
            r["version"],
            r["distribution"] + (" (built in)" if r["builtin"] else ""),
            ", ".join(hook.removeprefix("numba_check_") for hook in r["hooks"]),
            _adds(r),
        )
        for r in records
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header) - 1)]
    for row in (header, *rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        sys.stdout.write("  ".join([*cells, row[-1]]).rstrip() + "\n")
    if disabled:
        from_env = set(disabled_by_environment())
        names = [f"{n} (NUMBA_CHECK_DISABLE_PLUGINS)" if n in from_env else n for n in disabled]
        sys.stdout.write(f"Disabled: {', '.join(names)}\n")
    return EXIT_CLEAN


def _adds(record: Mapping[str, Any]) -> str:
    """What a plugin contributes, in a few words: `rules NB801, NB802; format tap`."""
    parts = []
    for key, one, many in (("rules", "rule", "rules"), ("formats", "format", "formats")):
        items = record[key]
        if len(items) > 4:
            parts.append(f"{len(items)} {many}")
        elif items:
            parts.append(f"{one if len(items) == 1 else many} {', '.join(items)}")
    for k in record["knowledge"]:
        label = f" ({k['label']})" if k["label"] else ""
        parts.append(f"compilable {', '.join(k['compilable'])}{label}")
    return "; ".join(parts)


# -- server ---------------------------------------------------------------------------------


def _cmd_server(args: argparse.Namespace) -> int:
    try:
        from numba_check.server import serve
    except ImportError as exc:
        if exc.name is None or not exc.name.startswith(("pygls", "lsprotocol")):
            raise
        return _error(
            f"the language server needs pygls, which is not installed ({exc.name}): "
            "pip install 'numba-check[server]'"
        )
    serve()
    return EXIT_CLEAN


# -- explain --------------------------------------------------------------------------------


def _cmd_explain(args: argparse.Namespace) -> int:
    from numba_check.explain import explain
    from numba_check.explain.report import render_text, to_json

    text = _read_message(args.file)
    if not text.strip():
        where = "standard input" if args.file == "-" else args.file
        return _error(f"explain: {where} is empty: give the text of a Numba error")
    explanation = explain(text, lint=not args.no_lint)
    if explanation.message.empty:
        return _error("explain: no error message in the input, only a traceback's frames")
    if args.output_format == "json":
        sys.stdout.write(json.dumps(to_json(explanation), indent=2) + "\n")
    else:
        sys.stdout.write(render_text(explanation))
    return EXIT_CLEAN if explanation.candidates else EXIT_FOUND


def _read_message(name: str) -> str:
    if name == "-":
        if sys.stdin.isatty():
            sys.stderr.write(
                "Paste the Numba error, then press Ctrl-D (Ctrl-Z Enter on Windows).\n"
            )
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ConfigError(f"explain: cannot read {name}: {exc.strerror or exc}") from None


# -- small helpers --------------------------------------------------------------------------


def _error(message: str) -> int:
    # Messages may name a stranger's files, or quote them: no raw control character.
    sys.stderr.write(f"{PROG}: error: {printable(message)}\n")
    return EXIT_ERROR


def _warn(message: str) -> None:
    sys.stderr.write(f"{PROG}: warning: {printable(message)}\n")


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
