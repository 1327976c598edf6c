"""numba_check.names: scopes and bindings as Python's language reference has them, qualified
names spelled as libcst spells them.

The expected qualified names below were computed once with libcst 1.9
(`scope.get_qualified_names_for` on the corresponding libcst node) and written out, except where
libcst's scoping departs from Python's (marked "Python:"); None means the node has no scope.
tests/semantic/test_scopes.py checks the scoping against the standard library's `symtable`.
"""

from __future__ import annotations

import ast
import sys

import pytest

from numba_check.names import Binding, Names, QualifiedName, Scope, Source

SNIPPETS = {
    "import_as": "import numpy as np\nnp.zeros(3)\n",
    "import_dotted": "import numpy.linalg\nnumpy.zeros\nnumpy.linalg.norm(x)\nnumpy\n",
    "import_dotted_as": "import a.b as c\nc.d\nc\n",
    "from_import": "from numpy import zeros as z, ones\nz(1)\nones.x\nzeros\n",
    "relative": "from . import a\nfrom ..pkg.mod import b as c\nfrom ... import d\nfrom .m import e\na.x\nc\nd\ne.f\n",
    "star_import": "from m import *\nfoo\n",
    "module_local": "x = 1\nx\nx.y\n",
    "function_local": "def f():\n    y = 1\n    return y\nf\n",
    "class_local": "class C:\n    z = 1\n    def m(self):\n        return self\n    z\nC.m\n",
    "nested_function": "def f():\n    def g():\n        return h\n    h = 1\n    return g\n",
    "class_invisible": "x = 1\nclass C:\n    x = 2\n    def m(self):\n        return x\n    y = x\n",
    "read_before_assignment": "def f():\n    print(v)\n    v = 1\n    return v\nv = 0\n",
    "module_read_before": "print(w)\nw = 1\nw\n",
    "method_falls_back_to_class": "class C:\n    a = 1\n    def m(self):\n        print(a)\n        a = 2\n",
    "self_assign": "def f():\n    x = x + 1\n",
    "global": "def f():\n    global g\n    g = 1\n    return g\ng\n",
    "nonlocal": "def f():\n    n = 0\n    def g():\n        nonlocal n\n        n = 1\n        return n\n    return n\n",
    "nonlocal_past_class": "def f():\n    n = 0\n    class K:\n        n = 1\n        def g(self):\n            nonlocal n\n            return n\n",
    "comprehension": "xs = [i * k for i in range(3) if i for k in i]\n",
    "comprehension_quirk": "y = 0\nzs = [y for x in a for y in b if y]\n",
    "comprehension_in_function": "def f(a):\n    return {k: v for k, v in a}\n",
    "comprehension_walrus": "def f(a):\n    [(t := q) for q in a]\n    return t\n",
    "lambda": "c = 1\nf = lambda a, b=c: a + b + d\n",
    "builtins": "len(x)\n''.join(x)\n(a + b).c\nTrue.real\n__class__\nprint\n",
    "shadowed_builtin": "def len(x):\n    return 0\nlen(1)\n",
    "decorator_scope": "import numba\n@numba.njit(cache=True)\ndef f(x: numba.int64 = numba.x) -> numba.float64:\n    return x\n",
    "with_for_except_walrus": "with open(p) as fh:\n    fh.read()\nfor i in range(3):\n    i\ntry:\n    pass\nexcept ValueError as e:\n    e\nif (n := 10) > 5:\n    n\n",
    "for_target_before_iterable": "def f():\n    for t in t:\n        pass\n",
    "del": "q = 1\ndel q\n",
    "match_captures": "match v:\n    case [y, *z]:\n        y\n    case {'k': w, **r}:\n        r\n",
    "store_is_assignment": "import x\nx = 1\nx\n",
    "aug_ann_assign": "def f():\n    s = 0\n    s += 1\n    u: int = s\n    return u\n",
    "dotted_import_access": "import os.path\nos.path.join(a)\nos.getcwd()\n",
    "attribute_of_call_and_subscript": "import numpy as np\nnp.zeros(3).sum()\nx = np.ones(2)\nx[0].y\n",
    "typevar_first_argument": "from typing import TypeVar\nT = TypeVar(name, bound=int)\n",
    "nested_class_prefix": "def outer():\n    class K:\n        def m(self):\n            return q\n        q = 1\n    return K.m\n",
    "lambda_in_function": "def f():\n    g = lambda: h\n    h = 2\n",
    "generator_in_class": "class C:\n    xs = 1\n    ys = list(x for x in xs)\n",
    "import_in_function": "def f():\n    import numpy as np\n    return np.zeros\nnp.zeros\n",
    "def_name_and_class_node": "def f():\n    pass\nclass C:\n    pass\n",
}

# (snippet, line, source text of the node [@n: its n-th occurrence on the line], expected)
EXPECTED = [
    ("import_as", 2, "np", ["numpy:IMPORT"]),
    ("import_as", 2, "np.zeros", ["numpy.zeros:IMPORT"]),
    ("import_as", 2, "np.zeros(3)", ["numpy.zeros:IMPORT"]),
    ("import_dotted", 2, "numpy", ["numpy:IMPORT"]),
    ("import_dotted", 2, "numpy.zeros", ["numpy.zeros:IMPORT"]),
    ("import_dotted", 3, "numpy", ["numpy:IMPORT"]),
    ("import_dotted", 3, "numpy.linalg", ["numpy.linalg:IMPORT"]),
    ("import_dotted", 3, "numpy.linalg.norm", ["numpy.linalg.norm:IMPORT"]),
    ("import_dotted", 4, "numpy", ["numpy:IMPORT"]),
    ("import_dotted_as", 2, "c.d", ["a.b.d:IMPORT"]),
    ("import_dotted_as", 2, "c", ["a.b:IMPORT"]),
    ("import_dotted_as", 3, "c", ["a.b:IMPORT"]),
    ("from_import", 2, "z", ["numpy.zeros:IMPORT"]),
    ("from_import", 2, "z(1)", ["numpy.zeros:IMPORT"]),
    ("from_import", 3, "ones.x", ["numpy.ones.x:IMPORT"]),
    ("from_import", 4, "zeros", []),
    ("relative", 5, "a.x", [".a.x:IMPORT"]),
    ("relative", 6, "c", ["..pkg.mod.b:IMPORT"]),
    ("relative", 7, "d", ["...d:IMPORT"]),
    ("relative", 8, "e.f", [".m.e.f:IMPORT"]),
    ("star_import", 2, "foo", []),
    ("module_local", 1, "x", ["x:LOCAL"]),
    ("module_local", 2, "x", ["x:LOCAL"]),
    ("module_local", 3, "x.y", ["x.y:LOCAL"]),
    ("function_local", 2, "y", ["f.<locals>.y:LOCAL"]),
    ("function_local", 3, "y", ["f.<locals>.y:LOCAL"]),
    ("function_local", 4, "f", ["f:LOCAL"]),
    ("class_local", 5, "z", ["C.z:LOCAL"]),
    ("class_local", 6, "C.m", ["C.m:LOCAL"]),
    ("class_local", 4, "self", ["C.m.<locals>.self:LOCAL"]),
    ("nested_function", 3, "h", ["f.<locals>.h:LOCAL"]),
    ("nested_function", 5, "g", ["f.<locals>.g:LOCAL"]),
    ("class_invisible", 5, "x", ["x:LOCAL"]),
    ("class_invisible", 6, "x", ["C.x:LOCAL"]),
    # Python: `v` is local to all of `f` (UnboundLocalError), not the module's `v`.
    ("read_before_assignment", 2, "v", ["f.<locals>.v:LOCAL"]),
    ("read_before_assignment", 4, "v", ["f.<locals>.v:LOCAL"]),
    ("module_read_before", 1, "w", []),
    ("module_read_before", 3, "w", ["w:LOCAL"]),
    # Python: local to the method, which never sees the class body.
    ("method_falls_back_to_class", 4, "a", ["C.m.<locals>.a:LOCAL"]),
    ("method_falls_back_to_class", 5, "a", ["C.m.<locals>.a:LOCAL"]),
    ("self_assign", 2, "x@1", ["f.<locals>.x:LOCAL"]),  # Python: the local
    ("global", 3, "g", ["g:LOCAL"]),
    ("global", 4, "g", ["g:LOCAL"]),
    ("global", 5, "g", ["g:LOCAL"]),
    ("nonlocal", 5, "n", ["f.<locals>.n:LOCAL"]),
    ("nonlocal", 6, "n", ["f.<locals>.n:LOCAL"]),
    ("nonlocal", 7, "n", ["f.<locals>.n:LOCAL"]),
    ("nonlocal_past_class", 7, "n", ["f.<locals>.n:LOCAL"]),
    ("comprehension", 1, "i@0", ["<comprehension>.i:LOCAL"]),
    ("comprehension", 1, "k@0", ["<comprehension>.k:LOCAL"]),
    ("comprehension", 1, "range", ["builtins.range:BUILTIN"]),
    ("comprehension", 1, "i@2", ["<comprehension>.i:LOCAL"]),
    ("comprehension", 1, "i@3", ["<comprehension>.i:LOCAL"]),
    ("comprehension_quirk", 2, "y@0", ["<comprehension>.y:LOCAL"]),
    ("comprehension_quirk", 2, "y@2", ["<comprehension>.y:LOCAL"]),  # Python: the target
    ("comprehension_in_function", 2, "k@0", ["f.<locals>.<comprehension>.k:LOCAL"]),
    ("comprehension_in_function", 2, "v@0", ["f.<locals>.<comprehension>.v:LOCAL"]),
    ("comprehension_in_function", 2, "a", ["f.<locals>.a:LOCAL"]),
    # Python (PEP 572): a walrus in a comprehension binds in the function around it.
    ("comprehension_walrus", 2, "t", ["f.<locals>.t:LOCAL"]),
    ("comprehension_walrus", 3, "t", ["f.<locals>.t:LOCAL"]),
    ("lambda", 2, "c", ["c:LOCAL"]),
    ("lambda", 2, "a", ["<locals>.a:LOCAL"]),
    ("lambda", 2, "b", ["<locals>.b:LOCAL"]),
    ("lambda", 2, "d", []),
    ("builtins", 1, "len(x)", ["builtins.len:BUILTIN"]),
    ("builtins", 2, "''.join", ["builtins.None:BUILTIN"]),
    ("builtins", 2, "''.join(x)", ["builtins.None:BUILTIN"]),
    ("builtins", 3, "(a + b).c", ["builtins.None:BUILTIN"]),
    ("builtins", 4, "True.real", ["builtins.True:BUILTIN"]),
    ("builtins", 5, "__class__", ["builtins.__class__:BUILTIN"]),
    ("builtins", 6, "print", ["builtins.print:BUILTIN"]),
    ("shadowed_builtin", 3, "len", ["len:LOCAL"]),
    ("decorator_scope", 2, "numba.njit(cache=True)", ["numba.njit:IMPORT"]),
    ("decorator_scope", 2, "numba.njit", ["numba.njit:IMPORT"]),
    ("decorator_scope", 3, "numba.int64", ["numba.int64:IMPORT"]),
    ("decorator_scope", 3, "numba.x", ["numba.x:IMPORT"]),
    ("decorator_scope", 3, "numba.float64", ["numba.float64:IMPORT"]),
    ("decorator_scope", 4, "x", ["f.<locals>.x:LOCAL"]),
    ("with_for_except_walrus", 1, "fh", ["fh:LOCAL"]),
    ("with_for_except_walrus", 2, "fh.read", ["fh.read:LOCAL"]),
    ("with_for_except_walrus", 4, "i", ["i:LOCAL"]),
    ("with_for_except_walrus", 8, "e", ["e:LOCAL"]),
    ("with_for_except_walrus", 9, "n", ["n:LOCAL"]),
    ("with_for_except_walrus", 10, "n", ["n:LOCAL"]),
    ("for_target_before_iterable", 2, "t@1", ["f.<locals>.t:LOCAL"]),
    ("del", 2, "q", ["q:LOCAL"]),
    ("match_captures", 3, "y", ["y:LOCAL"]),  # Python: captures bind
    ("match_captures", 5, "r", ["r:LOCAL"]),
    ("store_is_assignment", 2, "x", ["x:LOCAL"]),
    ("store_is_assignment", 3, "x", ["x:IMPORT", "x:LOCAL"]),
    ("aug_ann_assign", 3, "s", ["f.<locals>.s:LOCAL"]),
    ("aug_ann_assign", 4, "u", ["f.<locals>.u:LOCAL"]),
    ("aug_ann_assign", 4, "int", ["builtins.int:BUILTIN"]),
    ("aug_ann_assign", 5, "u", ["f.<locals>.u:LOCAL"]),
    ("dotted_import_access", 2, "os", ["os:IMPORT"]),
    ("dotted_import_access", 2, "os.path", ["os.path:IMPORT"]),
    ("dotted_import_access", 2, "os.path.join", ["os.path.join:IMPORT"]),
    ("dotted_import_access", 3, "os.getcwd", ["os.getcwd:IMPORT"]),
    ("dotted_import_access", 3, "os", ["os:IMPORT"]),
    ("attribute_of_call_and_subscript", 2, "np.zeros(3).sum", ["numpy.zeros.sum:IMPORT"]),
    ("attribute_of_call_and_subscript", 2, "np.zeros(3).sum()", ["numpy.zeros.sum:IMPORT"]),
    ("attribute_of_call_and_subscript", 4, "x[0].y", ["x.y:LOCAL"]),
    ("typevar_first_argument", 2, "name", None),
    ("typevar_first_argument", 2, "int", ["builtins.int:BUILTIN"]),
    ("typevar_first_argument", 2, "TypeVar", ["typing.TypeVar:IMPORT"]),
    ("nested_class_prefix", 6, "K.m", ["outer.<locals>.K.m:LOCAL"]),
    ("nested_class_prefix", 4, "q", []),
    ("lambda_in_function", 2, "h", ["f.<locals>.h:LOCAL"]),
    ("generator_in_class", 3, "xs", ["C.xs:LOCAL"]),
    ("generator_in_class", 3, "x@0", ["C.<comprehension>.x:LOCAL"]),
    ("import_in_function", 3, "np.zeros", ["numpy.zeros:IMPORT"]),
    ("import_in_function", 4, "np.zeros", []),
]


def _find(tree: ast.Module, source: str, line: int, text: str) -> ast.AST:
    """The Name/Attribute/Call on `line` whose source is `text` (``text@n``: the n-th, by column)."""
    occurrence = 0
    if "@" in text:
        text, n = text.rsplit("@", 1)
        occurrence = int(n)
    hits = sorted(
        (
            node
            for node in ast.walk(tree)
            if isinstance(node, (ast.Name, ast.Attribute, ast.Call))
            and node.lineno == line
            and ast.get_source_segment(source, node) == text
        ),
        key=lambda node: node.col_offset,
    )
    return hits[occurrence]


def _qualified(names: Names, node: ast.AST) -> list[str] | None:
    if names.scope_of(node) is None:
        return None
    return sorted(f"{q.name}:{q.source.name}" for q in names.qualified_names(node))


@pytest.mark.parametrize(("snippet", "line", "text", "expected"), EXPECTED)
def test_qualified_names(snippet, line, text, expected):
    source = SNIPPETS[snippet]
    tree = ast.parse(source)
    names = Names(tree)
    assert _qualified(names, _find(tree, source, line, text)) == expected


PEP695 = {
    "generic_function": "class C:\n    a = 1\n    def m[T: a](self, x: T) -> T:\n        return T\n",
    "generic_class": "class K[T](Base[T]):\n    x: T\n",
    "type_alias": "type Alias[U] = list[U]\nAlias\n",
    "decorated_generic": "def deco(f): return f\n@deco\ndef g[V](v: V) -> V:\n    return v\n",
}
# The type parameters' own names are strings in `ast`, so occurrences count from the first use.
EXPECTED_PEP695 = [
    ("generic_function", 3, "a", ["C.a:LOCAL"]),
    ("generic_function", 3, "T@0", ["C.T:LOCAL"]),
    ("generic_function", 3, "T@1", ["C.T:LOCAL"]),
    ("generic_function", 4, "T", ["C.T:LOCAL"]),
    ("generic_class", 1, "Base", []),
    ("generic_class", 1, "T", ["T:LOCAL"]),
    ("generic_class", 2, "T", ["T:LOCAL"]),
    ("type_alias", 1, "U", ["U:LOCAL"]),
    ("type_alias", 1, "list", ["builtins.list:BUILTIN"]),
    ("type_alias", 2, "Alias", ["Alias:LOCAL"]),
    ("decorated_generic", 2, "deco", ["deco:LOCAL"]),
    ("decorated_generic", 3, "V@0", ["V:LOCAL"]),
    ("decorated_generic", 3, "V@1", ["V:LOCAL"]),
    ("decorated_generic", 4, "v", ["g.<locals>.v:LOCAL"]),
]


@pytest.mark.skipif(sys.version_info < (3, 12), reason="type parameters need Python 3.12")
@pytest.mark.parametrize(("snippet", "line", "text", "expected"), EXPECTED_PEP695)
def test_type_parameters_match_libcst(snippet, line, text, expected):
    source = PEP695[snippet]
    tree = ast.parse(source)
    names = Names(tree)
    assert _qualified(names, _find(tree, source, line, text)) == expected


def _names(source: str) -> tuple[ast.Module, Names]:
    tree = ast.parse(source)
    return tree, Names(tree)


def _name(tree: ast.Module, ident: str, nth: int = 0) -> ast.Name:
    found = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == ident]
    found.sort(key=lambda n: (n.lineno, n.col_offset))
    return found[nth]


def test_def_and_class_nodes_have_local_names():
    tree, names = _names("def f():\n    class C:\n        def m(self): pass\n")
    f = tree.body[0]
    c = f.body[0]
    m = c.body[0]
    assert names.qualified_names(f) == {QualifiedName("f", Source.LOCAL)}
    assert names.qualified_names(c) == {QualifiedName("f.<locals>.C", Source.LOCAL)}
    assert names.qualified_names(m) == {QualifiedName("f.<locals>.C.m", Source.LOCAL)}
    # Parameters, imports and other statements have no full name in libcst.
    assert names.qualified_names(m.args.args[0]) == frozenset()


BINDING_NODES = [
    ("x = 1", "x", ast.Name),
    ("x += 1", "x", ast.Name),
    ("x: int = 1", "x", ast.Name),
    ("for x in y: pass", "x", ast.Name),
    ("with y as x: pass", "x", ast.Name),
    ("(x := 1)", "x", ast.Name),
    ("[0 for x in y]", None, None),
    ("def f(x): pass", "f", ast.FunctionDef),
    ("async def f(x): pass", "f", ast.AsyncFunctionDef),
    ("class x: pass", "x", ast.ClassDef),
    ("import a.b", "a.b", ast.Import),
    ("import a.b", "a", ast.Import),
    ("import a as x", "x", ast.Import),
    ("from m import x", "x", ast.ImportFrom),
    ("try: pass\nexcept E as x: pass", "x", ast.ExceptHandler),
]


@pytest.mark.parametrize(("source", "name", "kind"), BINDING_NODES)
def test_binding_nodes_are_libcst_assignment_nodes(source, name, kind):
    tree, names = _names(source)
    module = names.module_scope
    if name is None:  # comprehension targets bind in the comprehension
        (comprehension,) = [s for s in names.scopes if s.kind == "comprehension"]
        (binding,) = comprehension.assignments["x"]
        assert isinstance(binding.node, ast.Name)
        assert binding.scope is comprehension
        return
    (binding,) = module.assignments[name]
    assert isinstance(binding, Binding)
    assert isinstance(binding.node, kind)
    assert binding.scope is module and binding.name == name and not binding.is_builtin


def test_parameters_bind_their_arg_nodes():
    tree, names = _names("def f(a, /, b=1, *c, d, e=2, **g): pass\nh = lambda p: p\n")
    function = next(s for s in names.scopes if s.kind == "function" and s.node is tree.body[0])
    assert sorted(function.assignments) == ["a", "b", "c", "d", "e", "g"]
    assert all(isinstance(b[0].node, ast.arg) for b in function.assignments.values())
    lam = next(s for s in names.scopes if isinstance(s.node, ast.Lambda))
    assert lam.kind == "function" and lam.name_prefix == "<locals>"
    assert isinstance(lam.assignments["p"][0].node, ast.arg)


def test_match_captures_bind_in_the_scope_of_the_match():
    tree, names = _names(
        "def f(v):\n    match v:\n        case [y, *z]:\n            y\n"
        "        case {1: w, **r} if w:\n            r\n        case (P() as p) | [p, *_]:\n"
        "            p\n"
    )
    function = names.scope_of(_name(tree, "y"))
    assert function.kind == "function"
    assert sorted(function.assignments) == ["p", "r", "v", "w", "y", "z"]
    kinds = {n: [type(b.node).__name__ for b in bs] for n, bs in function.assignments.items()}
    assert kinds["z"] == ["MatchStar"] and kinds["r"] == ["MatchMapping"]
    assert kinds["p"] == ["MatchAs", "MatchAs"]
    (y,) = names.bindings(_name(tree, "y"))
    assert y.scope is function


def test_scope_of_follows_where_python_evaluates():
    source = (
        "@deco\n"
        "def f(a=default, *, b: ann = kw) -> ret:\n"
        "    body\n"
        "    [elt for x in first for y in second]\n"
        "    lambda q=lam_default: lam_body\n"
        "class C(Base, metaclass=Meta):\n"
        "    attr\n"
    )
    tree, names = _names(source)
    module = names.module_scope
    f = tree.body[0]
    function = names.scope_of(_name(tree, "body"))
    assert function.kind == "function" and function.node is f and function.parent is module
    for outer in ("deco", "default", "ann", "kw", "ret", "Base", "Meta"):
        assert names.scope_of(_name(tree, outer)) is module, outer
    assert names.scope_of(f) is module and names.scope_of(f.args) is function
    assert names.scope_of(_name(tree, "first")) is function
    comprehension = names.scope_of(_name(tree, "elt"))
    assert comprehension.kind == "comprehension" and comprehension.parent is function
    assert names.scope_of(_name(tree, "second")) is comprehension
    lam = names.scope_of(_name(tree, "lam_body"))
    assert lam.kind == "function" and lam.parent is function
    assert names.scope_of(_name(tree, "lam_default")) is function
    cls = names.scope_of(_name(tree, "attr"))
    assert cls.kind == "class" and cls.node is tree.body[1] and cls.parent is module
    assert module.kind == "module" and module.parent is None and module.node is tree
    assert names.scope_of(ast.Load()) is None


def test_getitem_and_contains():
    source = (
        "import numpy as np\n"
        "x = 1\n"
        "class C:\n"
        "    x = 2\n"
        "    def m(self):\n"
        "        global g\n"
        "        g = x\n"
        "        return len\n"
    )
    tree, names = _names(source)
    method = names.scope_of(_name(tree, "len"))
    cls = method.parent
    assert isinstance(method, Scope) and cls.kind == "class"
    (x,) = method["x"]  # the class body is invisible from the method
    assert x.scope is names.module_scope
    assert [b.scope for b in cls["x"]] == [cls]
    (g,) = method["g"]  # `global` puts the assignment in the module
    assert g.scope is names.module_scope and "g" in names.module_scope
    (builtin,) = method["len"]
    assert builtin.is_builtin and builtin.node is None and builtin.scope is names.module_scope
    assert builtin.qualified_names("len") == {QualifiedName("builtins.len", Source.BUILTIN)}
    assert "len" in method and "np" in method and "nothing" not in method
    assert method["nothing"] == []
    assert names.module_scope["np"][0].is_import


def test_function_locals_are_local_everywhere_in_the_function():
    # A read before the binding is of the local (UnboundLocalError at run time), never of
    # the module's `v`.
    tree, names = _names("def f():\n    print(v)\n    v = 1\n    return v\nv = 0\n")
    first, second = _name(tree, "v", 0), _name(tree, "v", 2)
    assert [b.scope.kind for b in names.bindings(first)] == ["function"]
    assert [b.scope.kind for b in names.referents(first)] == ["function"]
    assert [b.scope.kind for b in names.referents(second)] == ["function"]


def test_module_and_class_bodies_look_names_up_when_they_run():
    source = (
        "x = 0\n"
        "def f():\n"
        "    x = 1\n"
        "    class C:\n"
        "        y = x\n"  # bound in the class later: the global x (0), not f's
        "        x = 2\n"
        "    class D:\n"
        "        y = x\n"  # not bound in the class: f's x (1)
        "    return C.y, D.y\n"
        "print(len)\n"
        "len = 3\n"
        "len\n"
    )
    tree, names = _names(source)
    namespace: dict = {}
    exec(compile(source.replace("print(len)", "pass"), "<case>", "exec"), namespace)
    assert namespace["f"]() == (0, 1)
    in_c, in_d = _name(tree, "x", 2), _name(tree, "x", 4)
    assert [b.scope.kind for b in names.referents(in_c)] == ["module"]
    assert [b.scope.kind for b in names.referents(in_d)] == ["function"]
    before, after = _name(tree, "len", 0), _name(tree, "len", 2)
    assert [b.is_builtin for b in names.referents(before)] == [True]
    assert [b.is_builtin for b in names.referents(after)] == [False]


def _depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


def test_deep_nesting_does_not_recurse():
    chain = "x" + ".y" * 2000
    source = f"import x\ndef f(a):\n    return {' + '.join(['a.b'] * 2000)} and {chain}\n"
    tree = ast.parse(source)
    # Nothing in the analysis recurses: it runs with barely more stack than the caller has.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(_depth() + 50)
    try:
        names = Names(tree)
        found = {names.qualified_names(node) for node in ast.walk(tree)}
    finally:
        sys.setrecursionlimit(limit)
    assert frozenset({QualifiedName("f.<locals>.a.b", Source.LOCAL)}) in found
    assert frozenset({QualifiedName(chain, Source.IMPORT)}) in found
