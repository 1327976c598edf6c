from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Applicability, Location, Severity
from numba_check.rules.base import Invalid, Rule, Transform, Valid, since
from numba_check.rules.statements._scopes import past, skip


class ExceptionBoundToName(Rule):
    """## What it does
    Flags `except ... as name:` in compiled code.

    ## Why is this bad?
    Numba cannot store the exception object: compilation fails with
    `UnsupportedBytecodeError: Exception object cannot be stored into variable (e)`.

    ## Example
    ```python
    @njit
    def f(x):
        try:
            return 1 / x
        except Exception as e:
            return 0.0
    ```

    ## Use instead
    ```python
    @njit
    def f(x):
        try:
            return 1 / x
        except Exception:
            return 0.0
    ```

    ## Fix safety
    Safe, and offered only where the function never uses the name (not in the handler, not
    anywhere else): dropping `as name` then changes nothing but what Numba accepts.
    """

    code = "NB102"
    name = "exception-bound-to-name"
    severity = Severity.ERROR
    # Refused while Numba analyses the bytecode, so in object mode too (forceobj, objmode).
    object_mode = True
    message = (
        "Numba cannot bind the caught exception to a name (`as {name}`); "
        "drop `as {name}`, the exception object is not available in compiled code"
    )
    targets = CPU_TARGETS
    numba_versions = since("0.47")
    fix_applicability = Applicability.SAFE
    fix_message = "Remove the unused name"

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except Exception:\n        x = 0.0\n    return x\n",
            call="f(0)",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except Exception as e:\n        x = 0.0\n    return x\n",
            line=6,
            column=21,
            fixed="import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except Exception:\n        x = 0.0\n    return x\n",
            call="f(2)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except (Exception) as err:\n        x = 0.0\n    return x\n",
            line=6,
            fixed="import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except (Exception):\n        x = 0.0\n    return x\n",
            call="f(0)",
        ),
        Invalid(
            # The handler uses the name: no fix.
            "import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except Exception as e:\n        x = str(e)\n    return x\n",
            line=6,
            no_fix=True,
            call="f(2)",
        ),
        Invalid(
            # The comment after the colon stays.
            "import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n    except Exception as e:  # divide\n        x = 0.0\n    return x\n",
            line=6,
            fixed="import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n    except Exception:  # divide\n        x = 0.0\n    return x\n",
            call="f(0)",
        ),
    )

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name is None or node.type is None or id(node) in self.ctx.module.star_handlers:
            return
        # Reported: ` as name`, from the end of the class (past the parentheses around it) to
        # the end of the name, as libcst's `AsName` was (`ast` keeps the name as a string).
        module = self.ctx.module
        start = past(module.lines, module.span(node.type)[1], ")")
        keyword = skip(module.lines, start)  # at the `as`
        name = skip(module.lines, Location(keyword.line, keyword.column + len("as")))
        end = Location(name.line, name.column + len(node.name))
        reported = module.at(start, end)
        fix = None if self._uses(node.name) else Transform(node, "drop-exception-name")
        self.report(reported, self.message.format(name=node.name), transform=fix)

    def _uses(self, name: str) -> bool:
        """Whether the compiled function names `name` anywhere (then the fix could change what
        it means: Python unbinds the name at the end of the handler)."""
        function = self.ctx.function
        if function is None:
            return True
        return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(function.node))
