"""IPython syntax in code cells, replaced by Python placeholders that keep every line in place.

IPython rewrites some lines of a cell before Python sees them: line magics (``%time f(x)``),
shell escapes (``!ls``, ``files = !ls``), help (``np.sum?``, ``??f``), autocall escapes
(``/f x``, ``,f a b``, ``;f a b``) and, with automagic on, bare magics (``pip install numba``).
Each such line becomes ``pass`` (or ``target = ...`` for an assignment) at the same indentation,
so the cell parses, line numbers and the columns of every other line stay what the user sees,
and nothing is reported on it. Only lines that start a statement are candidates: a ``%`` that
continues an expression inside brackets, a string or after a backslash is Python's modulo.

A cell magic (``%%name`` on the first line) makes the whole cell IPython's: the body is Python
only for the magics in PYTHON_CELL_MAGICS; any other (``%%bash``, ``%%writefile``, ``%%html``)
makes the cell something else, and it is not checked at all.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass, replace

from numba_check.fixes import split_lines

# Ends every placeholder line, so that masked lines can be found again after fixes moved them.
MARKER = "# numba-check: ipython"

# Cell magics whose body is Python run in the notebook's own namespace.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug"})

# IPython's escape characters at the start of a statement (help `?` included).
_ESCAPES = ("%", "!", "?", "/", ",", ";")
# `files = !ls`, `out, err = %sx cmd`: an assignment from a shell escape or a line magic.
_ASSIGN = re.compile(r"(?P<target>[\w.]+(?:\s*,\s*[\w.]+)*)\s*=\s*[!%]")
# A bare magic name, then its arguments: `pip install numba`, `cd ..`, `matplotlib inline`.
_AUTOMAGIC = re.compile(r"(?P<name>[a-z_]+)[ \t]+(?P<rest>\S.*)")
# What makes `name rest` Python that merely runs on to the next line (a call, a subscript, an
# assignment, an attribute, an operator keyword) rather than a magic's arguments.
_NOT_ARGUMENTS = re.compile(r"[(\[{]|[-+*/%@&|^<>!=:]*=|\.\w|(?:is|not|in|and|or|if|else|for)\b")

# The line magics IPython runs without the `%` when automagic is on (its default).
AUTOMAGICS = frozenset(
    [
        "alias",
        "alias_magic",
        "autoawait",
        "autocall",
        "automagic",
        "bookmark",
        "cd",
        "code_wrap",
        "colors",
        "conda",
        "config",
        "debug",
        "dhist",
        "dirs",
        "doctest_mode",
        "edit",
        "env",
        "gui",
        "history",
        "killbgscripts",
        "load",
        "load_ext",
        "loadpy",
        "logoff",
        "logon",
        "logstart",
        "logstate",
        "logstop",
        "lsmagic",
        "macro",
        "magic",
        "mamba",
        "matplotlib",
        "micromamba",
        "notebook",
        "page",
        "pastebin",
        "pdb",
        "pdef",
        "pdoc",
        "pfile",
        "pinfo",
        "pinfo2",
        "pip",
        "popd",
        "pprint",
        "precision",
        "prun",
        "psearch",
        "psource",
        "pushd",
        "pwd",
        "pycat",
        "pylab",
        "quickref",
        "recall",
        "rehashx",
        "reload_ext",
        "rerun",
        "reset",
        "reset_selective",
        "run",
        "save",
        "sc",
        "set_env",
        "sx",
        "system",
        "tb",
        "time",
        "timeit",
        "unalias",
        "unload_ext",
        "who",
        "who_ls",
        "whos",
        "xdel",
        "xmode",
    ]
)


@dataclass(frozen=True)
class MaskedCell:
    """A code cell's source with IPython lines replaced, and the lines that were replaced."""

    text: str
    replaced: tuple[str, ...]  # the original lines (with their endings), in order


def cell_magic(source: str) -> str | None:
    """The name of the cell magic a cell starts with (``timeit`` for ``%%timeit -n 3``)."""
    for line in split_lines(source):
        stripped = line.strip()
        if stripped:
            if not stripped.startswith("%%"):
                return None
            return stripped[2:].split(maxsplit=1)[0] if len(stripped) > 2 else ""
    return None


def mask(source: str) -> MaskedCell | None:
    """`source` with IPython-only lines replaced by placeholders; None for a cell whose cell
    magic makes it something other than Python."""
    magic = cell_magic(source)
    if magic is not None and magic not in PYTHON_CELL_MAGICS:
        return None
    out: list[str] = []
    replaced: list[str] = []
    scan = _Scanner()
    continues = False  # the previous line was IPython syntax ending in a backslash
    seen_magic_line = magic is None
    for line in split_lines(source):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        if continues:
            out.append(MARKER + ending)
            replaced.append(line)
            continues = body.endswith("\\")
            continue
        if not seen_magic_line and body.strip():
            seen_magic_line = True  # the `%%name` line itself
            out.append(_placeholder(body, "pass") + ending)
            replaced.append(line)
            continue
        if scan.at_statement_start:
            head = _ipython_head(body, scan)
            if head is not None:
                out.append(_placeholder(body, head) + ending)
                replaced.append(line)
                continues = body.endswith("\\")
                continue
        scan.feed(body)
        out.append(line)
    return MaskedCell("".join(out), tuple(replaced))


def unmask(text: str, cell: MaskedCell) -> str | None:
    """`text` (a masked cell, maybe fixed since) with its placeholders turned back into the
    original lines; None if the placeholders are no longer all there, in order."""
    if not cell.replaced:
        return text
    originals = iter(cell.replaced)
    out = []
    count = 0
    for line in split_lines(text):
        if line.rstrip("\r\n").endswith(MARKER):
            count += 1
            line = next(originals, line)
        out.append(line)
    return "".join(out) if count == len(cell.replaced) else None


def placeholder_lines(text: str) -> frozenset[int]:
    """The 1-based numbers of the placeholder lines in a masked cell."""
    return frozenset(
        number
        for number, line in enumerate(split_lines(text), 1)
        if line.rstrip("\r\n").endswith(MARKER)
    )


def _placeholder(body: str, head: str) -> str:
    indent = body[: len(body) - len(body.lstrip(" \t"))]
    return f"{indent}{head}  {MARKER}"


def _ipython_head(body: str, scan: _Scanner) -> str | None:
    """The placeholder statement for a line that is IPython syntax, else None."""
    stripped = body.strip()
    if not stripped or stripped.startswith("#"):
        return None
    if stripped.startswith(_ESCAPES):
        return "pass"
    assign = _ASSIGN.match(stripped)
    if assign is not None:
        return f"{assign['target']} = ..."
    automagic = _AUTOMAGIC.fullmatch(stripped)
    if (
        automagic is not None
        and automagic["name"] in AUTOMAGICS
        and not _NOT_ARGUMENTS.match(automagic["rest"])
        and not _parses(stripped)
    ):
        return "pass"
    # Help at the end (`np.sum?`, `f??`): a `?` is never Python outside strings and comments.
    probe = replace(scan)
    code = probe.feed(body)
    if code.endswith("?") and probe.at_statement_start:
        return "pass"
    return None


def _parses(line: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(line)
    except (SyntaxError, ValueError):
        return False
    return True


@dataclass
class _Scanner:
    """Just enough of Python's tokenizer to know where statements start: open brackets, open
    strings and backslash continuations carried from one physical line to the next."""

    depth: int = 0
    quote: str | None = None  # the delimiter of a string still open: ' " ''' or \"\"\"
    continued: bool = False  # the last line ended with a backslash outside a string

    @property
    def at_statement_start(self) -> bool:
        return not (self.depth or self.quote or self.continued)

    def feed(self, body: str) -> str:
        """Advance over one line (without its ending); returns its code outside strings and
        comments, stripped."""
        code: list[str] = []
        self.continued = False
        string_continues = False
        i, n = 0, len(body)
        while i < n:
            ch = body[i]
            if self.quote is not None:
                if ch == "\\":
                    string_continues = i == n - 1
                    i += 2
                elif body.startswith(self.quote, i):
                    i += len(self.quote)
                    self.quote = None
                else:
                    i += 1
                continue
            if ch == "#":
                break
            if ch in "'\"":
                triple = body[i : i + 3]
                self.quote = triple if triple in ('"""', "'''") else ch
                i += len(self.quote)
                continue
            if ch in "([{":
                self.depth += 1
            elif ch in ")]}":
                self.depth = max(0, self.depth - 1)
            elif ch == "\\" and i == n - 1:
                self.continued = True
                break
            code.append(ch)
            i += 1
        if self.quote in ("'", '"') and not string_continues:
            self.quote = None  # a one-line string cannot run on without a backslash
        return "".join(code).strip()
