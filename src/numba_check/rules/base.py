"""What a rule is: one class, its metadata as class attributes, its docs as its docstring.

A rule sees one compiled function at a time through a :class:`FunctionContext`. It declares
``visit_<Node>`` / ``leave_<Node>`` methods named after `ast` node classes, as an
``ast.NodeVisitor`` would; the engine runs all the rules that apply to a function in one
traversal of that function's body. Rules never read files
or settings: the engine decides which rules apply (target, Numba version, selection).
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from numba_check.compiled import ALL_TARGETS, CompiledFunction, Target
from numba_check.model import Applicability, Severity
from numba_check.versions import Version, format_version, parse_version

if TYPE_CHECKING:
    from numba_check.module_context import ModuleContext
    from numba_check.semantic.model import Semantic


DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead")
CODE_RE = re.compile(r"^NB\d{3}$")
NAME_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class VersionRange:
    """Numba versions ``since <= v < until``; None means unbounded."""

    since: Version | None = None
    until: Version | None = None

    def __contains__(self, version: Version) -> bool:
        if self.since is not None and version < self.since:
            return False
        return not (self.until is not None and version >= self.until)

    def describe(self) -> str:
        if self.since is None and self.until is None:
            return "all versions"
        if self.since is None:
            return f"< {format_version(self.until)}"  # type: ignore[arg-type]
        if self.until is None:
            return f">= {format_version(self.since)}"
        return f">= {format_version(self.since)}, < {format_version(self.until)}"


ANY_VERSION = VersionRange()


def since(text: str) -> VersionRange:
    return VersionRange(since=parse_version(text))


def before(text: str) -> VersionRange:
    return VersionRange(until=parse_version(text))


@dataclass(frozen=True)
class Valid:
    """A snippet the rule must not flag."""

    code: str
    target_numba: str | None = None
    # A call that proves the snippet compiles and agrees with Python on the installed Numba.
    call: str | None = None


@dataclass(frozen=True)
class Invalid:
    """A snippet the rule must flag, at ``line``/``column`` (1-based) when given."""

    code: str
    line: int | None = None
    column: int | None = None
    fixed: str | None = None
    target_numba: str | None = None
    count: int = 1
    # A fixable rule fixes every case it flags, except those marked here (no safe rewrite).
    no_fix: bool = False
    # A call that proves Numba refuses it (errors) or differs from Python (warnings).
    call: str | None = None


@dataclass(frozen=True)
class Replacement:
    """Replace the source of ``old`` (a node of the checked tree) by the text ``new`` in a fix.

    ``writes`` declares each name that ``new`` spells and ``old`` did not, with the qualified
    name it must mean (``("np.int_", "numpy.int_")``): the engine offers the fix only where
    every one of them resolves to that meaning at ``old`` (`Names.means`), so that a fix never
    writes ``np.int_`` where a local ``np`` shadows the module.
    """

    old: ast.AST
    new: str
    writes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Transform:
    """A fix that changes structure: the libcst transformation ``kind`` (registered in
    ``numba_check.rewrites``) applied, when the file is fixed, to the node written where
    ``old`` is (a node of the checked tree, or one `ModuleContext.at` made), with ``args``.
    ``writes`` as for Replacement: the names the transformation spells, with their meaning."""

    old: ast.AST
    kind: str
    args: tuple[str, ...] = ()
    writes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Report:
    rule: type[Rule]
    node: ast.AST
    message: str
    replacements: tuple[Replacement, ...] = ()
    transform: Transform | None = None


@dataclass
class FunctionContext:
    """What a rule may know while it looks at one compiled function."""

    # None for a ModuleRule, which looks at the whole module once.
    function: CompiledFunction | None
    module: ModuleContext
    numba_version: Version
    reports: list[Report] = field(default_factory=list)
    # Qualified names (fnmatch patterns such as ``scipy.special.*``) that a Numba extension or
    # the project's own ``@overload``s make compilable; plugins declare them.
    compilable: frozenset[str] = frozenset()

    def qualified_names(self, node: ast.AST) -> set[str]:
        """Fully qualified names of imported things `node` refers to (``np.zeros`` -> numpy.zeros)."""
        return self.module.qualified_names(node)

    @property
    def semantic(self) -> Semantic:
        """The module's semantic model: bindings, types, per-function facts (built lazily,
        once per module, shared by every rule)."""
        return self.module.semantic

    def known_compilable(self, qualified_name: str) -> bool:
        """Whether an extension declared `qualified_name` compilable (so no rule may refuse it)."""
        return any(fnmatch.fnmatchcase(qualified_name, p) for p in self.compilable)


class Rule:
    """Base class of all rules. Subclasses set the class attributes and visit methods."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    message: ClassVar[str]
    targets: ClassVar[frozenset[Target]] = ALL_TARGETS
    numba_versions: ClassVar[VersionRange] = ANY_VERSION
    # Whether it applies to functions Numba compiles in object mode (forceobj, old @jit fallback).
    object_mode: ClassVar[bool] = False
    fix_applicability: ClassVar[Applicability | None] = None
    fix_message: ClassVar[str] = ""
    enabled_by_default: ClassVar[bool] = True
    # For rules whose `applies` is more than a version range: what to print in the catalogue.
    applicability_note: ClassVar[str | None] = None
    # Whether `applies` reads more of a compiled function than its target and whether it is
    # compiled in nopython mode (its options: a ufunc's `target=`, `nopython=`). The engine
    # asks such a rule about each compiled function, and the others once per target and mode.
    reads_options: ClassVar[bool] = False
    VALID: ClassVar[Sequence[Valid]] = ()
    INVALID: ClassVar[Sequence[Invalid]] = ()

    def __init__(self, ctx: FunctionContext) -> None:
        self.ctx = ctx

    @classmethod
    def applies(cls, function: CompiledFunction, version: Version) -> bool:
        """Whether the rule looks at `function` under Numba `version`. A rule that overrides
        this to read the function's options declares `reads_options`."""
        if version not in cls.numba_versions:
            return False
        if not cls.object_mode and not function.nopython(version):
            return False
        return function.target in cls.targets

    def finish(self) -> None:
        """Called once after the traversal, for rules that decide on the whole function."""

    def active(self) -> bool:
        """Whether this rule, as set up for this function (or module), may report anything.
        One that can tell from its set-up that it cannot returns False, and the engine then
        neither visits nor finishes it: a module rule that would look at every call of a
        module for nothing."""
        return True

    def report(
        self,
        node: ast.AST,
        message: str | None = None,
        *,
        replacements: Iterable[Replacement] = (),
        transform: Transform | None = None,
    ) -> None:
        """Report `node`, which must be one `ast` gives a position (not an ``arguments``,
        ``withitem``, ``comprehension``, ``match_case`` or operator). Its fix is either text
        `replacements` or a libcst `transform`."""
        self.ctx.reports.append(
            Report(type(self), node, message or self.message, tuple(replacements), transform)
        )

    @classmethod
    def summary(cls) -> str:
        """The first paragraph of 'What it does', for catalogues and SARIF."""
        doc = cls.documentation()
        body = doc.split("## What it does", 1)[-1].strip()
        return " ".join(body.split("\n\n", 1)[0].split())

    @classmethod
    def documentation(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")


class ModuleRule(Rule):
    """A rule that looks at the whole module once rather than at one compiled function.

    For what happens around compiled code: call sites of compiled functions (a kernel launched
    without a configuration, a dict passed in), module globals that compiled code reads. Its
    visit methods see every node of the module; ``self.ctx.module.compiled`` tells which
    functions Numba compiles. ``targets`` still says which compiled functions it is about: the
    engine runs it only when the module has one of them.
    """

    @classmethod
    def applies(cls, function: CompiledFunction, version: Version) -> bool:
        return version in cls.numba_versions and function.target in cls.targets


RuleClass = type[Rule]


@functools.cache
def hook_names(cls: type) -> tuple[str, ...]:
    """The names of `cls`'s ``visit_X``/``leave_X`` methods."""
    return tuple(a for a in dir(cls) if a.startswith(("visit_", "leave_")))
