"""NB9xx: diagnostics about the tool and its input, produced by the engine, not by a visitor."""

from __future__ import annotations

from numba_check.catalogue import rule_url
from numba_check.compiled import Target
from numba_check.model import Applicability, Diagnostic, Location, Severity
from numba_check.rules.base import Rule


class _ToolRule(Rule):
    targets = frozenset[Target]()  # never run on a function


class SyntaxErrorRule(_ToolRule):
    """## What it does
    Reports a file that Python's grammar (as `ast.parse` reads it) rejects. For a Jupyter
    notebook, also a file that is not a notebook (not JSON, not nbformat 4, a malformed cell),
    and a syntax error in a code cell (the message names the cell).

    Only files that may compile something are parsed: those that import numba and import an
    entry point (`njit`, `vectorize`, `overload`, ...), reach one as an attribute
    (`numba.njit`) or star-import. Other files have nothing for numba-check to check, and a
    syntax error in them is left to Python and to general linters.

    ## Why is this bad?
    A file that does not parse cannot be checked, and Python will not import it either.

    ## Example
    ```python
    def f(:
        pass
    ```

    ## Use instead
    Fix the syntax error; the message gives the position the parser stopped at.
    """

    code = "NB901"
    name = "syntax-error"
    severity = Severity.ERROR
    message = "Cannot parse file"


class NotUtf8(_ToolRule):
    """## What it does
    Reports a file whose bytes are not valid UTF-8.

    ## Why is this bad?
    Python reads source as UTF-8 unless a coding cookie says otherwise; numba-check only
    reads UTF-8 and cannot check the file.

    ## Example
    A file saved as Latin-1 with `é` in a string.

    ## Use instead
    Save the file as UTF-8.
    """

    code = "NB902"
    name = "not-utf8"
    severity = Severity.ERROR
    message = "File is not valid UTF-8"


class EmptyFile(_ToolRule):
    """## What it does
    Reports a Python file that is empty or holds only whitespace (an empty `__init__.py` is
    not reported: it is a normal package marker).

    ## Why is this bad?
    An empty module is usually a file saved by mistake or a leftover.

    ## Example
    A zero-byte `kernels.py`.

    ## Use instead
    Delete the file, or give it content.
    """

    code = "NB903"
    name = "empty-file"
    severity = Severity.INFO
    message = "File is empty"


class UnusedNoqa(_ToolRule):
    """## What it does
    Reports a `# noqa: NBxxx` comment whose codes suppressed nothing on that line. Off by
    default; turn it on with `--extend-select NB904`.

    ## Why is this bad?
    Stale suppressions hide the next real problem on the line.

    ## Example
    ```python
    x = 1  # noqa: NB101
    ```

    ## Use instead
    Remove the comment, or the codes that no longer apply.

    ## Fix safety
    Safe: the fix removes the unused codes, and the whole directive (with the blanks before
    it) when none of its codes is used; no code changes.
    """

    code = "NB904"
    name = "unused-noqa"
    severity = Severity.INFO
    message = "Unused `noqa` directive"
    enabled_by_default = False
    fix_applicability = Applicability.SAFE
    fix_message = "Remove the unused `noqa` directive"


class UnreadableFile(_ToolRule):
    """## What it does
    Reports a file that could not be read or written: read to check it (permissions, deleted
    while the run went on, a broken link), or
    written to save its fixes: `--fix` on a read-only file, a full disk, a file that changed on
    disk while it was being checked (an editor saved it), or a link inside the project that
    leads to a file outside it.

    ## Why is this bad?
    A file that could not be read was not checked. A file whose fixes could not be written is
    left exactly as it was (fixes are written to a temporary file and renamed over the file
    only once complete), and its diagnostics are reported as if `--fix` had not been given.

    ## Example
    A file with mode `000`; or mode `444` under `--fix`.

    ## Use instead
    Make the file readable (and writable, to fix it), or exclude it; run `--fix` again after
    saving the file.
    """

    code = "NB905"
    name = "unreadable-file"
    severity = Severity.ERROR
    message = "Cannot read file"


class NumbaRefused(_ToolRule):
    """## What it does
    Reports a compiled function that the installed Numba refuses to compile for argument
    types numba-check could know without running the code: `numba-check check --verify`
    rebuilds the function from its source and asks Numba to type it, with the types of its
    explicit signature, its type hints, or a call in the project (a script, a
    `__main__` block, a test and its `parametrize` values). The message is Numba's own,
    trimmed, with the types used, where they came from, and the rule `numba-check explain`
    maps the message to. Only reported under `--verify`; see the `--verify` page.

    ## Why is this bad?
    Numba will raise the same error the first time the function is called with these types.

    ## Example
    ```python
    @njit
    def table(n):
        return {1: [1.0], 2: [2.0, 3.0]}  # a list as a dict value is refused

    table(3)
    ```

    ## Use instead
    Change the code as Numba's message says; `numba-check rule CODE` for the rule named.
    """

    code = "NB950"
    name = "numba-refused"
    severity = Severity.ERROR
    message = "Numba refuses to compile this function"


class CouldNotVerify(_ToolRule):
    """## What it does
    Reports a compiled function that `--verify` had argument types for but could not verify:
    the function uses something numba-check does not rebuild without running the code (a
    module it does not import, a value computed at run time, the project's own Numba
    extensions), or the compiler crashed or ran past `verify-timeout`. Never an error: such a
    failure says nothing about the code. Off by default; `--extend-select NB951` lists them,
    and `--statistics` counts them under `--verify` whether selected or not.

    ## Why is this bad?
    It is not bad: it tells where `--verify` could not help, and why.

    ## Example
    ```python
    import scipy.special

    @njit
    def f(x):
        return scipy.special.gamma(x)  # scipy is not imported by --verify
    ```

    ## Use instead
    Nothing to change; the pytest plugin (`numba_check` fixture) compiles the real function.
    """

    code = "NB951"
    name = "could-not-verify"
    severity = Severity.INFO
    message = "Could not verify this function"
    enabled_by_default = False


FILE_START = Location(1, 0)


def diagnostic(
    rule: type[Rule], filename: str, message: str, location: Location = FILE_START
) -> Diagnostic:
    return Diagnostic(
        code=rule.code,
        name=rule.name,
        message=message,
        severity=rule.severity,
        filename=filename,
        location=location,
        end_location=location,
        url=rule_url(rule.code),
    )
