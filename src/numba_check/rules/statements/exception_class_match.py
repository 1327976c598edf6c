from __future__ import annotations

import ast

from numba_check.compiled import CPU_TARGETS
from numba_check.model import Applicability, Severity
from numba_check.rules.base import Invalid, Rule, Transform, Valid, since

ALLOWED = frozenset({"Exception", "builtins.Exception"})


class ExceptionClassMatch(Rule):
    """## What it does
    Flags `except` clauses in compiled code that name an exception class other than
    `Exception`, or a tuple of classes.

    ## Why is this bad?
    Numba only matches a bare `except:` or `except Exception:`. Any other class fails to
    compile with "Exception matching is limited to <class 'Exception'>", and a tuple crashes
    the compiler with an internal `AttributeError: 'Tuple' object has no attribute 'exc_class'`.

    ## Example
    ```python
    @njit
    def safe_div(a, b):
        try:
            return a / b
        except ZeroDivisionError:
            return 0.0
    ```

    ## Use instead
    ```python
    @njit
    def safe_div(a, b):
        try:
            return a / b
        except Exception:
            return 0.0
    ```
    Or test the condition up front (`if b == 0:`), which is also faster.

    ## Fix safety
    Unsafe: `except Exception:` catches more than the named class, so an error the handler
    was not written for is now handled too. The class is replaced with the parentheses around
    it; not offered where a comment sits among the classes (it would be lost).
    """

    code = "NB101"
    name = "exception-class-match"
    severity = Severity.ERROR
    # Refused while Numba analyses the bytecode, so in object mode too (forceobj, objmode).
    object_mode = True
    message = (
        "Numba can only catch `Exception` or everything (bare `except:`); "
        "`except {name}` does not compile. Catch `Exception` or test the condition first"
    )
    targets = CPU_TARGETS
    numba_versions = since("0.47")
    fix_applicability = Applicability.UNSAFE
    fix_message = "Catch `Exception`"

    VALID = (
        Valid(
            "import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except Exception:\n        x = 0.0\n    return x\n",
            call="f(0)",
        ),
        Valid(
            "from numba import njit\n@njit\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except:\n        x = 0.0\n    return x\n",
            call="f(0)",
        ),
        Valid(
            "from numba import njit\n@njit\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except (Exception):\n        x = 0.0\n    return x\n",
            call="f(0)",
        ),
        Valid(
            "import numba\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except ValueError:\n        x = 0.0\n    return x\n",
        ),
    )
    INVALID = (
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except ZeroDivisionError:\n        x = 0.0\n    return x\n",
            line=6,
            column=5,
            fixed="import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except Exception:\n        x = 0.0\n    return x\n",
            call="f(2)",
        ),
        Invalid(
            "import numba as nb\n@nb.jit(nopython=True)\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except (ValueError, KeyError):\n        x = 0.0\n    return x\n",
            line=6,
            fixed="import numba as nb\n@nb.jit(nopython=True)\ndef f(n):\n    try:\n"
            "        x = 1 / n\n    except Exception:\n        x = 0.0\n    return x\n",
            call="f(2)",
        ),
        Invalid(
            "from numba import njit as fast\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except ValueError:\n        x = 0.0\n    return x\ng = fast(f)\n",
            line=5,
            fixed="from numba import njit as fast\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except Exception:\n        x = 0.0\n    return x\ng = fast(f)\n",
            call="g(2)",
        ),
        Invalid(
            "import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except (ZeroDivisionError):\n        x = 0.0\n    return x\n",
            line=6,
            fixed="import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except Exception:\n        x = 0.0\n    return x\n",
            call="f(2)",
        ),
        Invalid(
            # Written without a space: one is needed once the parentheses go.
            "import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except(ValueError,KeyError):  # odd\n        x = 0.0\n    return x\n",
            line=6,
            fixed="import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except Exception:  # odd\n        x = 0.0\n    return x\n",
            call="f(2)",
        ),
        Invalid(
            # A comment among the classes would be lost: no fix.
            "import numba\n@numba.njit\ndef f(n):\n    try:\n        x = 1 / n\n"
            "    except (ValueError,  # bad input\n            ZeroDivisionError):\n"
            "        x = 0.0\n    return x\n",
            line=6,
            no_fix=True,
            call="f(2)",
        ),
    )

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is None or id(node) in self.ctx.module.star_handlers:
            return
        # With the parentheses around it, as libcst kept the handler's `type`:
        # `(ValueError)` in `except (ValueError):`.
        spelled = self.ctx.module.quote(node.type)
        bare = spelled
        while bare.startswith("(") and bare.endswith(")"):
            bare = bare[1:-1].strip()
        if bare in ALLOWED:  # `except (Exception):` compiles too
            return
        fix = None
        if "#" not in spelled:  # a comment among the classes would be lost
            fix = Transform(node, "catch-exception", writes=(("Exception", "builtins.Exception"),))
        self.report(node, self.message.format(name=spelled), transform=fix)
