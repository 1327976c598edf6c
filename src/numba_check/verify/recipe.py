"""What a worker needs to rebuild and type one compiled function: plain, picklable data.

The parent process (`plan`) reads the project's source with `ast` and writes recipes; the
worker (`worker`) follows them with the installed Numba. A recipe holds only pieces of source
text and names, so that hashing it (`Recipe.key`) keys the cache by exactly what the verdict
depends on: the function's source, its helpers', the constants and stand-ins it sees, and the
expressions its argument types come from.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

# The modules a rebuilt namespace may import for real. Plugins' knowledge adds to them.
# typing: jitclass fields are annotated with its generics (`items: typing.List[int64]`).
ALLOWED_MODULES = ("numpy", "numba", "math", "cmath", "operator", "typing")


@dataclass(frozen=True)
class Piece:
    """A piece of the user's source: a statement or an expression, and where it starts."""

    filename: str
    line: int
    column: int
    text: str


@dataclass(frozen=True)
class Dispatcher:
    """How a function was compiled: the entry point and its arguments, as written."""

    entry: str  # an EntryKind value: "njit", "jit", "vectorize", ...
    positional: tuple[Piece, ...] = ()  # signatures (and a gufunc's layout)
    keywords: tuple[tuple[str, Piece], ...] = ()


@dataclass(frozen=True)
class Binding:
    """What a global name of a rebuilt namespace is bound to.

    kind:
      import    `module` imported for real (an allowed module); `attr` taken from it if set
      constant  `piece` (an expression) evaluated by the restricted evaluator
      function  `piece` (a def, decorators removed) compiled; wrapped by `dispatcher` if set
      jitclass  `piece` (a class statement, decorators removed) defined, then made a jitclass
                with the spec in `dispatcher` (evaluated), as the decorator would
      foreign   the name `attr` of the namespace of project module `module`
      module    a project module: a module object holding the names used of it (`attr`)
      standin   an opaque stand-in; `reason` says why
    """

    name: str
    kind: str
    module: str = ""
    attr: str = ""
    piece: Piece | None = None
    dispatcher: Dispatcher | None = None
    reason: str = ""


@dataclass(frozen=True)
class TypeSource:
    """Where a set of argument types comes from, and how to compute them.

    kind:
      signature  the dispatcher's own signatures (the function is compiled eagerly)
      jitclass   the jitclass decorator itself, applied as at import (a refused spec)
      hints      `args` are annotations, read as types
      call       `args`/`keywords` are the arguments of a call, evaluated as values in the
                 namespace `module` and the local assignments `local`
    """

    kind: str
    label: str  # "the call at scripts/run.py:14"
    module: str = ""
    args: tuple[Piece, ...] = ()
    keywords: tuple[tuple[str, Piece], ...] = ()
    local: tuple[tuple[str, Piece], ...] = ()


@dataclass(frozen=True)
class Recipe:
    """Everything needed to rebuild one compiled function and type it."""

    filename: str  # display name of the function's file
    name: str  # the function's name
    line: int  # its def line
    module: str  # the namespace its def lives in
    root: str  # the name its dispatcher is bound to in that namespace
    namespaces: tuple[tuple[str, tuple[Binding, ...]], ...]  # module key -> bindings, in order
    sources: tuple[TypeSource, ...]
    # Modules a plugin's knowledge makes importable, on top of ALLOWED_MODULES.
    allowed: tuple[str, ...] = ALLOWED_MODULES
    # Set when the function cannot be verified whatever its types (a CUDA kernel, ...).
    unsupported: str = ""
    helpers: tuple[tuple[str, str, int], ...] = field(default=())  # (module, name, line)
    # The absolute path of each module key: code is compiled under it, so that Numba's
    # messages name files however it shortens them.
    paths: tuple[tuple[str, str], ...] = ()
    # For a jitclass method: its name (`root` names the jitclass); "" for a function.
    method: str = ""

    def key(self, versions: str) -> str:
        """The cache key: everything the verdict depends on, with the versions of Numba,
        Python and numba-check."""
        data = json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(versions.encode("utf-8"))
        digest.update(b"\0")
        digest.update(data.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()


@dataclass(frozen=True)
class Outcome:
    """The compiler's verdict for one set of argument types.

    status: "verified", "refused", "could-not-verify"
    """

    status: str
    types: str  # "(float64, array(int64, 1d, C))"
    label: str  # where the types came from
    message: str = ""  # Numba's message, as raised
    filename: str = ""  # where Numba says the problem is (a real path), "" when it says not
    line: int = 0
    standin: str = ""  # for could-not-verify: what was not rebuilt


@dataclass(frozen=True)
class Result:
    """What a worker says about one recipe."""

    outcomes: tuple[Outcome, ...] = ()
    # Compiled helpers typed while compiling the function: (module key, name, line, types).
    typed_helpers: tuple[tuple[str, str, int, str], ...] = ()
    # Why no type could be had from any source ("" when some could).
    untyped: str = ""
    seconds: float = 0.0
    # "crashed" / "timed out" when the worker died or was stopped on this recipe.
    failure: str = ""
