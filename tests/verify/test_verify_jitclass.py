"""--verify on jitclasses, with the real compiler: classes rebuilt from source with their spec and
field annotations, the decorator re-applied, constructors and methods typed by compiling a
driver that makes the project's calls; and a set of failures users reported (numba/numba
issues, reduced keeping the user's code shape) with the look-alikes that compile."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

from numba_check.api import RunResult, run
from numba_check.settings import Settings
from numba_check.verify import Verification, verify_result
from tests.reported_cases import refused

pytest.importorskip("numba")

CASES = Path(__file__).parent / "jitclass_cases"


def _verify(root: Path) -> tuple[RunResult, Verification]:
    previous = Path.cwd()
    os.chdir(root)
    try:
        settings = Settings(cache=False, project_root=root, extend_select=("NB951",))
        return verify_result(run(["."], settings), settings)
    finally:
        os.chdir(previous)


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), "utf-8")


def _project(markers: Path) -> dict[str, str]:
    write = f"open({str(markers)!r} + '/' + tag + '.marker', 'w').write('x')"
    return {
        "pkg/__init__.py": "",
        "pkg/shapes.py": f"""
            import numpy as np
            from numba import float64, int64, njit, deferred_type, optional
            from numba.experimental import jitclass
            from numba.typed import List
            from numba.types import ListType

            def writes(tag):
                {write}
                return [("x", float64)]

            @njit
            def square(x):
                return x * x

            class _Point:
                def __init__(self, x, y):
                    self.x = x
                    self.y = y

                def dist2(self):
                    return square(self.x) + square(self.y)

            Point = jitclass(_Point, [("x", float64), ("y", float64)])

            @jitclass
            class Counter:
                count: int
                total: float
                values: ListType(float64)

                def __init__(self, start, scale=1.0):
                    self.count = start
                    self.total = 0.0 * scale
                    self.values = List.empty_list(float64)

                @property
                def mean(self):
                    return self.total / self.count

                def add(self, v):
                    self.count += 1
                    self.total += v
                    self.values.append(v)
                    return self.helper()

                def helper(self):
                    return self.count

                def scale(self, k):
                    self.total *= k

                def broken(self, v):
                    return self.count.upper() + v

            @jitclass([("origin", Point.class_type.instance_type),
                       ("stops", ListType(Point.class_type.instance_type))])
            class Route:
                def __init__(self, x):
                    self.origin = Point(x, x)
                    stops = List()
                    stops.append(self.origin)
                    self.stops = stops

            @jitclass([("p", Point.class_type.instance_type.jit_methods)])
            class Sneaky:
                def __init__(self, p):
                    self.p = p

            @jitclass(writes("spec"))
            class FromCall:
                def __init__(self, x):
                    self.x = x

            node_type = deferred_type()

            @jitclass([("value", int64), ("next", optional(node_type))])
            class Node:
                def __init__(self, value, next):
                    self.value = value
                    self.next = next

            node_type.define(Node.class_type.instance_type)

            @jitclass([("n", int64)])
            class Untyped:
                def __init__(self, n):
                    self.n = n
                    self.total = 0.0

            @njit
            def builds(n):
                c = Counter(n, 2.0)
                c.add(1.5)
                return c.mean

            @njit
            def takes(p):
                return p.dist2()

            @njit
            def misuses(p):
                return p.z

            @njit
            def hinted(p: Point, k: float):
                return p.dist2() * k
        """,
        # A namespace package (no __init__.py): imported by its path from the project root.
        "nsp/kinds.py": """
            from enum import IntEnum

            class Kind(IntEnum):
                A = 1
        """,
        "nsp/geom.py": """
            from numba import njit, float64
            from numba.experimental import jitclass
            from nsp import kinds

            @jitclass([("x", float64)])
            class Box:
                def __init__(self, x):
                    self.x = x

            @njit
            def kind_of(b: Box):
                if b.x > 0:
                    return kinds.Kind.A
                return 0
        """,
        "scripts/run.py": """
            from pkg.shapes import Point, Counter, FromCall, Node, Untyped, builds, takes
            from pkg.shapes import misuses, Route, Sneaky
            import nsp.geom as geom

            p = Point(1.0, 2.0)
            p.dist2()
            c = Counter(3)
            c.add(2.0)
            c.broken(1)
            c.scale(k=2.0)
            FromCall(1.0)
            Node(1, None)
            Untyped(2)
            builds(2)
            takes(Point(3.0, 4.0))
            misuses(p)
            Route(1.0)
            Sneaky(1)
            geom.Box(2.0)
        """,
    }


@pytest.fixture(scope="module")
def verified(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunResult, Verification]:
    root = tmp_path_factory.mktemp("jitclass_project")
    markers = root / "markers"
    markers.mkdir()
    _write(root, _project(markers))
    # The reported cases too, in the same run (one pool of workers for both).
    (root / "cases").mkdir()
    for case in _manifest():
        (root / "cases" / str(case["file"])).write_text((CASES / str(case["file"])).read_text())
    result, verification = _verify(root)
    return markers, result, verification


def _statuses(verification: Verification) -> dict[str, tuple[str, str]]:
    """The project's functions (the reported cases left out), by name."""
    return {
        f.name: (f.status, f.detail)
        for f in verification.functions
        if f.filename.startswith(("pkg", "nsp"))
    }


def _errors(result: RunResult) -> dict[str, tuple[str, int]]:
    """The project's NB950 messages and lines, by the function or class they are about."""
    found = {}
    for outcome in result.files:
        for d in outcome.diagnostics:
            if d.code == "NB950" and outcome.file.display.startswith("pkg"):
                found[d.message.split("`")[1].split("(")[0]] = (d.message, d.location.line)
    return found


def test_nothing_of_the_users_runs(verified) -> None:
    markers, _, verification = verified
    assert list(markers.iterdir()) == []  # the spec computed by a call is not computed
    status, detail = _statuses(verification)["FromCall.__init__"]
    assert status == "not-verified" and "not computed" in detail
    # A method called from Python takes positional arguments only (boxing's wrapper): a
    # keyword call gives no types, where compiling it from Numba would accept it.
    status, detail = _statuses(verification)["Counter.scale"]
    assert status == "not-verified" and "positional arguments only" in detail
    # Of a jitclass's types, the instance type only is read: the rest leads to its methods.
    status, detail = _statuses(verification)["Sneaky.__init__"]
    assert status == "not-verified" and "'jit_methods' is not read" in detail


@pytest.mark.parametrize(
    ("name", "types"),
    [
        ("Point.__init__", "(float64, float64)"),  # call form, imported by a script
        ("Point.dist2", "()"),  # `p.dist2()` on `p = Point(...)`
        ("Counter.__init__", "(int64, float64)"),  # annotations; the default applied
        ("Counter.add", "(float64)"),
        ("Counter.helper", "() (through its callers)"),  # called by add
        ("Counter.mean", "() (through its callers)"),  # a property, read by `builds`
        ("builds", "(int64)"),  # an njit function that constructs an instance
        ("takes", "(instance.jitclass._Point<x:float64,y:float64>)"),  # receives one
        ("square", "(float64) (through its callers)"),  # a helper of a method
        ("Route.__init__", "(float64)"),  # a spec naming Point.class_type.instance_type
        ("hinted", "(instance.jitclass._Point<x:float64,y:float64>, float64)"),  # `p: Point`
    ],
)
def test_jitclass_types(verified, name: str, types: str) -> None:
    _, _, verification = verified
    status, detail = _statuses(verification)[name]
    assert status == "verified", detail
    assert types in detail


def test_jitclass_refusals(verified) -> None:
    _, result, verification = verified
    errors = _errors(result)
    source = (verified[0].parent / "pkg" / "shapes.py").read_text().splitlines()
    # Each on the line Numba names, in the class's file, with Numba's words.
    # An attribute the spec does not declare: the static rule NB421 reports it, and the
    # refusal --verify gets on the same line ("Cannot resolve setattr", which explain maps to
    # NB421) is not repeated.
    assert "Untyped.__init__" not in errors
    undeclared = [
        source[d.location.line - 1].strip()
        for outcome in result.files
        for d in outcome.diagnostics
        if d.code == "NB421" and outcome.file.display.startswith("pkg")
    ]
    assert undeclared == ["self.total = 0.0"]
    message, line = errors["Counter.broken"]  # a method called by a script
    assert "Unknown attribute 'upper' of type int64" in message
    assert "types from the call at scripts/run.py:9" in message
    assert source[line - 1].strip() == "return self.count.upper() + v"
    message, line = errors["misuses"]  # an instance of a jitclass passed in
    assert "Unknown attribute 'z' of type instance.jitclass._Point<x:float64,y:float64>" in message
    # A deferred type defined later in the module is a stand-in, never an error.
    assert "Node.__init__" not in errors
    assert _statuses(verification)["Node.__init__"][0] == "not-verified"
    # `kinds.Kind.A` of a project module whose Kind is a stand-in (an IntEnum): Numba's
    # message names the module's attribute, never the stand-in: could not verify.
    assert "kind_of" not in errors
    status, detail = _statuses(verification)["kind_of"]
    assert status == "could-not-verify" and "Kind" in detail


def test_namespace_package_import(verified) -> None:
    _, _, verification = verified
    assert _statuses(verification)["Box.__init__"] == ("verified", "(float64)")


def _manifest() -> list[dict[str, object]]:
    return json.loads((CASES / "manifest.json").read_text("utf-8"))


def test_reported_cases_are_what_numba_says() -> None:
    """Each case's verdict in the manifest is the installed Numba's: the failures raise when
    run, the look-alikes run (all in one interpreter, Numba imported once)."""
    names = [str(case["file"]) for case in _manifest()]
    verdicts = {name: "refused" if r else "compiles" for name, r in refused(CASES, names).items()}
    assert verdicts == {str(c["file"]): c["verdict"] for c in _manifest()}


def test_reported_cases_caught_and_no_false_error(verified) -> None:
    """--verify catches the failures the manifest marks caught, and reports no error on any
    look-alike; the two misses are compiler crashes that are no verdict of Numba's (an
    AssertionError, llvmlite's TypeError): "could not verify"."""
    _, result, _ = verified
    errors = {
        outcome.file.path.name
        for outcome in result.files
        for d in outcome.diagnostics
        if d.severity.value == "error" and outcome.file.path.parent.name == "cases"
    }
    failures = {str(c["file"]) for c in _manifest() if c["kind"] == "failure"}
    lookalikes = {str(c["file"]) for c in _manifest() if c["kind"] == "lookalike"}
    expected = {str(c["file"]) for c in _manifest() if c.get("caught")}
    assert errors & lookalikes == set()
    assert errors & failures == expected
