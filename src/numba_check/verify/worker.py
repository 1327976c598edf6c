"""The worker's half of --verify: rebuild one compiled function from its recipe and ask the
installed Numba to type it. Runs in a worker process (`pool`); imports Numba.

The user's modules are never imported. Each def is compiled from its source with decorators,
annotations and defaults removed, in a fresh namespace holding only what the recipe binds:
allowed modules imported for real, constants computed by the restricted evaluator, other
rebuilt functions, and opaque stand-ins for the rest. Only the function bodies reach Numba,
which types and compiles them but never calls them.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import re
import time
import types
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from numba_check.verify.evaluate import NOT_A_MODULE, Evaluator, Library, TypeOnly, Unknown
from numba_check.verify.recipe import Binding, Outcome, Piece, Recipe, Result, TypeSource

STANDIN_CLASS = "NumbaCheckStandIn"
_FILE_LINE = re.compile(
    r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)'
    r"|(?:Raised from|\bat) (?P<at>\S+\.py) \((?P<at_line>\d+)\)",
    re.MULTILINE,
)
UNNAMED_STANDIN = "a name numba-check could not rebuild"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
REBUILT_MODULE = "numba_check_rebuilt_"
_MODULE_ATTRIBUTE = re.compile(
    rf"Unknown attribute '(?P<name>[^']+)' of type Module\(<module '{REBUILT_MODULE}"
    r"(?P<module>[^']+)'"
)


class NumbaCheckStandIn:
    """What a name numba-check could not rebuild is bound to: Numba cannot type it, and its
    class name in Numba's message tells a stand-in's failure from a real refusal."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason

    def __repr__(self) -> str:
        return f"<{STANDIN_CLASS} for {self.name!r}: {self.reason}>"


class _Failed(Exception):
    """The recipe could not be followed; the message says why."""


def run_recipe(recipe: Recipe) -> Result:
    """The compiler's verdicts for `recipe`, one per distinct set of argument types."""
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = _Run(recipe).run()
    return Result(
        result.outcomes,
        result.typed_helpers,
        result.untyped,
        time.perf_counter() - start,
        result.failure,
    )


class _Run:
    def __init__(self, recipe: Recipe) -> None:
        import numba
        import numpy

        self.numba = numba
        self.numpy = numpy
        self.recipe = recipe
        self.plan = dict(recipe.namespaces)
        self.spaces: dict[str, dict[str, Any]] = {}
        self.library: dict[str, set[str]] = {}
        self.standins: dict[str, NumbaCheckStandIn] = {}
        self.dispatchers: set[int] = set()
        # Rebuilt jitclasses by id; each class's fields, method lines and class line; and
        # the decorator's refusal of a jitclass, by (module key, name).
        self.jitclasses: dict[int, Any] = {}
        self.class_parts: dict[tuple[str, str], tuple[list, dict[str, int], int]] = {}
        self.class_errors: dict[tuple[str, str], BaseException] = {}
        self.project_modules: dict[int, str] = {}  # rebuilt module objects: their key
        self.jitclass_types = (numba.core.types.ClassType, numba.core.types.ClassInstanceType)
        self.value_types = (
            numpy.ndarray,
            numpy.generic,
            numpy.dtype,
            numba.core.types.Type,
            numba.typed.List,
            numba.typed.Dict,
        )

    # -- the verdicts ------------------------------------------------------------------------

    def run(self) -> Result:
        recipe = self.recipe
        if recipe.unsupported:
            return Result(untyped=recipe.unsupported)
        if not recipe.sources:
            return Result(untyped="no argument types are known")
        outcomes: list[Outcome] = []
        notes: list[str] = []
        try:
            namespace = self.namespace(recipe.module)
        except _Failed as exc:
            return Result(untyped=f"could not rebuild the module: {exc}")
        seen: set[str] = set()
        for source in recipe.sources:
            try:
                outcome = self._source(namespace, source, seen)
            except _Failed as exc:
                notes.append(f"{source.label}: {exc}")
                continue
            if outcome is not None:
                outcomes.append(outcome)
        return Result(
            tuple(outcomes),
            self._typed_helpers(),
            "" if outcomes else ("; ".join(notes) or "no argument types are known"),
        )

    def _source(
        self, namespace: dict[str, Any], source: TypeSource, seen: set[str]
    ) -> Outcome | None:
        if source.kind == "signature":
            return self._signature(namespace, source)
        if source.kind == "jitclass":
            return self._decorator_verdict(namespace, source)
        root = self._root(namespace)
        if self.recipe.method:
            return self._method_call(root, source, seen)
        if source.kind == "hints":
            hinted = [self._hint_type(p, source.module) for p in source.args]
            argtypes = tuple(t for t, _ in hinted)
            outcome = self._compile(root, argtypes, {}, source, seen, values=None)
            guessed = [
                p.text for p, (_, exact) in zip(source.args, hinted, strict=True) if not exact
            ]
            if outcome is not None and outcome.status == "refused" and guessed:
                # `x: float` says what Python accepts, not which Numba type a caller passes.
                why = f"the types guessed from its Python type hints ({', '.join(guessed)})"
                return replace(outcome, status="could-not-verify", standin=why)
            return outcome
        args, kwargs = self._call_values(source)
        typed = self._arg_types(args, kwargs)
        if any(t is None for t in typed):
            # Numba cannot type an argument: the call itself is refused; let Numba say so.
            return self._compile(root, None, kwargs, source, seen, values=args)
        positional = tuple(typed[: len(args)])
        keyword_types = dict(zip(kwargs, typed[len(args) :], strict=True))
        has_typeonly = any(isinstance(v, TypeOnly) for v in (*args, *kwargs.values()))
        return self._compile(
            root,
            positional,
            keyword_types,
            source,
            seen,
            values=None if has_typeonly else args,
            value_kwargs=kwargs,
        )

    # -- jitclasses ---------------------------------------------------------------------------

    def _make_jitclass(self, key: str, namespace: dict[str, Any], binding: Binding) -> None:
        """Applies the jitclass decorator to the rebuilt class, its spec and field types
        computed by the evaluator, as at import. A refusal is kept for the class's verdict
        and the name becomes a stand-in for the functions that use it."""
        name = binding.name
        cls = namespace.get(name)
        if not isinstance(cls, type):
            return  # already a stand-in
        spec_pieces = [*binding.dispatcher.positional] if binding.dispatcher else []
        spec_pieces += [p for k, p in (binding.dispatcher.keywords if binding.dispatcher else ())]
        evaluator = self._evaluator(key)
        fields, _, _ = self.class_parts[(key, name)]
        try:
            spec = _unwrap(evaluator.eval(_expression(spec_pieces[0]))) if spec_pieces else None
            annotations = {}
            for field_name, node in fields:
                value = _unwrap(evaluator.eval(node))
                if isinstance(value, str):  # a string annotation, as get_type_hints reads it
                    value = _unwrap(evaluator.eval(ast.parse(value, mode="eval")))
                annotations[field_name] = value
        except (Unknown, SyntaxError) as exc:
            self._standin(namespace, key, name, f"its field types are not computed ({exc})")
            return
        cls.__annotations__ = annotations
        try:
            made = self.numba.experimental.jitclass(cls, spec)
        except Exception as exc:  # noqa: BLE001 - the decorator's verdict, kept below
            text = _ANSI.sub("", str(exc))
            if _raised_by_numba(exc) and STANDIN_CLASS not in text:
                self.class_errors[(key, name)] = exc
            self._standin(
                namespace, key, name, f"the jitclass decorator fails: {type(exc).__name__}"
            )
            return
        namespace[name] = made
        self.jitclasses[id(made)] = made

    def _decorator_verdict(self, namespace: dict[str, Any], source: TypeSource) -> Outcome | None:
        """The jitclass decorator's own verdict: a refused spec or class body (nothing to
        report when Numba accepts it: the methods are typed by their calls)."""
        recipe = self.recipe
        error = self.class_errors.get((recipe.module, recipe.root))
        if error is None:
            root = namespace.get(recipe.root)
            if isinstance(root, NumbaCheckStandIn):
                raise _Failed(f"the jitclass could not be rebuilt: {root.reason}")
            return None
        where = source.args[0].line if source.args else recipe.line
        text = _ADDRESS.sub("", _ANSI.sub("", str(error)))
        return Outcome(
            "refused", "", source.label, f"{type(error).__name__}: {text}", recipe.module, where
        )

    def _method_call(self, jc: Any, source: TypeSource, seen: set[str]) -> Outcome | None:
        """A call of the jitclass (its constructor) or of a method of one of its instances,
        compiled through a driver that makes the same call (never run)."""
        if id(jc) not in self.jitclasses:
            raise _Failed("the jitclass could not be rebuilt")
        args, kwargs = self._call_values(source)
        method = self.recipe.method
        receiver: list[Any] = []
        if method == "__init__":
            args, kwargs = _bound(jc, args, kwargs)
        elif kwargs:
            # Called from Python, a method's wrapper passes positional arguments only.
            raise _Failed("a jitclass method called from Python takes positional arguments only")
        else:
            instance = args.pop(0) if args else None
            nbtype = getattr(instance, "nbtype", None)
            if getattr(nbtype, "class_type", None) is not jc.class_type:
                raise _Failed("the call's receiver is not an instance of the class")
            receiver = [nbtype]
        typed = self._arg_types(args, kwargs)
        if any(t is None for t in typed):
            raise _Failed("an argument Numba cannot type")
        shown = _show_types(typed)
        if shown in seen:
            return None
        seen.add(shown)
        driver = self._driver(jc, method, len(args), list(kwargs), returns=False)
        try:
            driver.compile(tuple([*receiver, *typed]))
        except Exception as exc:  # noqa: BLE001 - Numba's verdict, classified below
            return self._refusal(exc, shown, source)
        return Outcome("verified", shown, source.label)

    def _driver(
        self, jc: Any, method: str, positional: int, keywords: list[str], *, returns: bool
    ) -> Any:
        """An njit function that makes one call of the jitclass or of a method of an instance
        (its first parameter): compiling it types the call as a program would."""
        params = [f"a{i}" for i in range(positional)] + [f"k_{k}" for k in keywords]
        passed = ", ".join([*params[:positional], *(f"{k}=k_{k}" for k in keywords)])
        if method == "__init__":
            call = f"__numba_check_class({passed})"
        else:
            params.insert(0, "self_")
            call = f"self_.{method}({passed})"
        text = f"def __numba_check_driver({', '.join(params)}):\n    "
        text += f"return {call}\n" if returns else f"{call}\n"
        scope: dict[str, Any] = {"__numba_check_class": jc}
        exec(compile(text, "<numba-check driver>", "exec", dont_inherit=True), scope)
        return self.numba.njit(scope["__numba_check_driver"])

    def _root(self, namespace: dict[str, Any]) -> Any:
        name = self.recipe.root
        binding = self.plan[self.recipe.module]
        root = namespace.get(name)
        if root is None or isinstance(root, NumbaCheckStandIn):
            why = root.reason if isinstance(root, NumbaCheckStandIn) else "not rebuilt"
            raise _Failed(f"the function could not be rebuilt: {why}")
        del binding
        return root

    def _signature(self, namespace: dict[str, Any], source: TypeSource) -> Outcome:
        """Re-applies the decorator with its signatures: Numba compiles eagerly."""
        binding = {b.name: b for b in self.plan[self.recipe.module]}[self.recipe.root]
        pyfunc = self._pyfunc(namespace, binding)
        try:
            compiled = self._dispatch(namespace, binding, pyfunc, root=True)
        except _Failed:
            raise
        except Exception as exc:  # noqa: BLE001 - Numba's verdict, classified below
            shown = "[" + ", ".join(p.text for p in binding.dispatcher.positional) + "]"
            return self._refusal(exc, shown if binding.dispatcher else "", source)
        namespace[self.recipe.root] = compiled
        return Outcome("verified", _signatures_of(compiled), source.label)

    def _compile(
        self,
        root: Any,
        argtypes: tuple[Any, ...] | None,
        kwtypes: Mapping[str, Any],
        source: TypeSource,
        seen: set[str],
        *,
        values: list[object] | None,
        value_kwargs: Mapping[str, object] | None = None,
    ) -> Outcome | None:
        dispatcher_cls = self.numba.core.dispatcher.Dispatcher
        if argtypes is not None:
            if isinstance(root, dispatcher_cls):
                _, folded = root.fold_argument_types(argtypes, dict(kwtypes))
                shown = _show_types(folded)
            else:
                shown = _show_types((*argtypes, *kwtypes.values()))
            if shown in seen:
                return None
            seen.add(shown)
        else:
            shown = "(arguments Numba cannot type)"
        try:
            if values is not None and hasattr(root, "_compile_for_args"):
                # The path a call takes: literal values typed as a call types them.
                root._compile_for_args(*self._call_arguments(root, values, value_kwargs))
            elif isinstance(root, dispatcher_cls):
                root.compile(tuple(folded))
            else:
                raise _Failed("only @jit/@njit functions are typed from types alone")
        except _Failed:
            raise
        except Exception as exc:  # noqa: BLE001 - Numba's verdict, classified below
            return self._refusal(exc, shown, source)
        if argtypes is None:
            return None
        return Outcome("verified", shown, source.label)

    def _call_arguments(
        self, root: Any, values: list[object], kwargs: Mapping[str, object] | None
    ) -> list[object]:
        """The arguments as the dispatcher's C entry point hands them to
        ``_compile_for_args``: keywords put in their places, and a left-out parameter as
        Numba's ``OmittedArg`` of its default (typed ``omitted(default=...)``), so that a
        call relying on a default is typed as it is at run time."""
        py_func = getattr(root, "py_func", None)
        if py_func is None:
            return [*values, *(kwargs or {}).values()]
        signature = inspect.signature(py_func)
        parameters = list(signature.parameters.values())
        if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters):
            return [*values, *(kwargs or {}).values()]
        bound = signature.bind_partial(*values, **dict(kwargs or {})).arguments
        omitted = self.numba.core.dispatcher.OmittedArg
        out: list[object] = []
        for parameter in parameters:
            if parameter.name in bound:
                out.append(bound[parameter.name])
            elif parameter.default is not parameter.empty:
                out.append(omitted(parameter.default))
            else:
                return [*values, *(kwargs or {}).values()]  # Python refuses it: Numba says so
        return out

    def _refusal(self, exc: BaseException, shown: str, source: TypeSource) -> Outcome:
        text = _ADDRESS.sub("", _ANSI.sub("", str(exc)))
        # The message may only say a stand-in was met; the types shown may name it (an
        # omitted argument whose default was not computed).
        found = [self._standin_in(text), self._standin_in(shown)]
        named = [f for f in found if f and f != UNNAMED_STANDIN]
        standin = named[0] if named else found[0] or found[1]
        location = _first_location(text, self.recipe)
        filename, line = location if location else ("", 0)
        if standin:
            return Outcome("could-not-verify", shown, source.label, text, filename, line, standin)
        if not _numbas(exc):
            # Not Numba's verdict on the code: numba-check or Numba stumbled.
            why = f"{type(exc).__name__}: {text}"
            return Outcome("could-not-verify", shown, source.label, why, filename, line)
        return Outcome(
            "refused", shown, source.label, f"{type(exc).__name__}: {text}", filename, line
        )

    def _standin_in(self, text: str) -> str:
        found = _MODULE_ATTRIBUTE.search(text)
        if found:
            # Numba reads `m.name` of a rebuilt project module and cannot type it: its
            # message names the module, not the stand-in (or the name was not rebuilt).
            standin = self.standins.get(f"{found['module']}:{found['name']}")
            if standin is not None:
                return f"{standin.name} ({standin.reason})"
            return f"{found['name']} of {found['module']} (not rebuilt)"
        if STANDIN_CLASS not in text:
            return ""
        for name, standin in self.standins.items():
            if f"'{name.split(':')[-1]}'" in text or f"for {standin.name!r}" in text:
                return f"{standin.name} ({standin.reason})"
        return UNNAMED_STANDIN

    def _typed_helpers(self) -> tuple[tuple[str, str, int, str], ...]:
        typed = []
        for module, name, line in self.recipe.helpers:
            value = self.spaces.get(module, {}).get(name)
            if id(value) in self.jitclasses:
                typed += self._typed_methods(module, name, value)
                continue
            if module == self.recipe.module and name == self.recipe.root:
                continue
            signatures = getattr(value, "signatures", None)
            if signatures:
                typed.append((module, name, line, ", ".join(_show_types(s) for s in signatures)))
        return tuple(typed)

    def _typed_methods(self, module: str, name: str, jc: Any) -> list[tuple[str, str, int, str]]:
        """The methods of a jitclass that compiling typed (their instance left out)."""
        _, lines, _ = self.class_parts[(module, name)]
        class_type = jc.class_type
        found = []
        compiled = [(m, d, 0) for m, d in class_type.jit_methods.items()]
        for prop, parts in class_type.jit_props.items():
            compiled += [
                (prop, parts[part], i) for i, part in enumerate(("get", "set")) if part in parts
            ]
        for method, dispatcher, index in compiled:
            signatures = getattr(dispatcher, "signatures", None)
            where = lines.get(method, [])
            if signatures and len(where) > index:
                shown = ", ".join(_show_types(s[1:]) for s in signatures)
                found.append((module, f"{name}.{method}", where[index], shown))
        return found

    # -- argument types ----------------------------------------------------------------------

    def _hint_type(self, piece: Piece, module: str) -> tuple[Any, bool]:
        """The Numba type a hint names, and whether it names it exactly (a Numba type)
        rather than a Python or NumPy class whose Numba type is a guess."""
        nbtypes = self.numba.core.types
        try:
            value = self._evaluator(module).value(_expression(piece))
        except Unknown as exc:
            raise _Failed(
                f"the hint {piece.text!r} is not a type numba-check knows ({exc})"
            ) from None
        simple = {
            int: nbtypes.int64,
            float: nbtypes.float64,
            complex: nbtypes.complex128,
            bool: nbtypes.boolean,
            str: nbtypes.unicode_type,
        }
        if isinstance(value, type) and value in simple:
            return simple[value], False
        if isinstance(value, nbtypes.Type):
            return value, True
        if id(value) in self.jitclasses:  # `p: Point`: an instance, as as_numba_type reads it
            return value.class_type.instance_type, True
        if isinstance(value, type) and issubclass(value, self.numpy.generic):
            try:
                return self.numba.from_dtype(self.numpy.dtype(value)), False
            except Exception:  # noqa: BLE001 - not a dtype Numba knows
                pass
        raise _Failed(f"the hint {piece.text!r} does not name one Numba type")

    def _call_values(self, source: TypeSource) -> tuple[list[object], dict[str, object]]:
        local: dict[str, object] = {}
        evaluator = self._evaluator(source.module, local)
        try:
            for name, piece in source.local:
                local[name] = evaluator.eval(_expression(piece))
            args = [_unwrap(evaluator.eval(_expression(p))) for p in source.args]
            kwargs = {k: _unwrap(evaluator.eval(_expression(p))) for k, p in source.keywords}
        except Unknown as exc:
            raise _Failed(f"an argument is not known before run time ({exc})") from None
        return args, kwargs

    def _typeof(self, value: object) -> Any:
        try:
            return self.numba.typeof(value, self.numba.core.typing.typeof.Purpose.argument)
        except Exception:  # noqa: BLE001 - Numba cannot type it
            return None

    def _arg_types(self, args: Sequence[object], kwargs: Mapping[str, object]) -> list[Any]:
        """Numba's type of each argument, positional then keyword (None where it has none); a
        TypeOnly stands for a value known by its type alone."""
        return [
            v.nbtype if isinstance(v, TypeOnly) else self._typeof(v)
            for v in (*args, *kwargs.values())
        ]

    def _evaluator(self, module: str, local: Mapping[str, object] | None = None) -> Evaluator:
        namespace = self.namespace(module)
        library = self.library.get(module, set())
        local = local if local is not None else {}

        def lookup(name: str) -> object:
            if name in local:
                return local[name]
            return self._global(namespace, library, name)

        def member(value: object, name: str) -> object:
            """`m.name` of a rebuilt project module `m`: its global `name`."""
            key = self.project_modules.get(id(value))
            if key is None:
                return NOT_A_MODULE
            return self._global(self.spaces[key], self.library.get(key, set()), name)

        return Evaluator(
            lookup,
            is_compiled=lambda value: id(value) in self.dispatchers or id(value) in self.jitclasses,
            call_compiled=self._call_compiled,
            value_types=self.value_types,
            class_type=lambda value: value.class_type if id(value) in self.jitclasses else None,
            opaque=lambda value: isinstance(value, self.jitclass_types),
            member=member,
        )

    def _global(self, namespace: dict[str, Any], library: set[str], name: str) -> object:
        """What the evaluator may read of a rebuilt namespace's global `name`."""
        if name not in namespace:
            raise Unknown(f"name {name!r} is not known")
        value = namespace[name]
        if isinstance(value, NumbaCheckStandIn):
            raise Unknown(f"{name!r} is not rebuilt: {value.reason}")
        if id(value) in self.jitclasses:
            return value  # called, it gives its instance's type (`_instance`)
        if isinstance(value, (types.FunctionType, type)) and name not in library:
            raise Unknown(f"{name!r} is the user's code")
        return Library(value) if name in library else value

    def _call_compiled(
        self, dispatcher: Any, args: list[object], kwargs: dict[str, object]
    ) -> TypeOnly:
        """A compiled function's result, by type: Numba infers it; nothing runs. For a
        jitclass, the instance its constructor makes."""
        if id(dispatcher) in self.jitclasses:
            return self._instance(dispatcher, args, kwargs)
        argtypes = self._arg_types(args, kwargs)
        if any(t is None for t in argtypes):
            raise Unknown("an argument Numba cannot type")
        if not isinstance(dispatcher, self.numba.core.dispatcher.Dispatcher):
            raise Unknown("only @jit/@njit results are inferred")
        try:
            _, folded = dispatcher.fold_argument_types(
                tuple(argtypes[: len(args)]), dict(zip(kwargs, argtypes[len(args) :], strict=True))
            )
            dispatcher.compile(tuple(folded))
            return TypeOnly(dispatcher.overloads[tuple(folded)].signature.return_type)
        except Exception as exc:  # noqa: BLE001 - the callee's own verdict is reported apart
            raise Unknown(f"the callee does not compile: {type(exc).__name__}") from None

    def _instance(self, jc: Any, args: list[object], kwargs: dict[str, object]) -> TypeOnly:
        try:
            args, kwargs = _bound(jc, args, kwargs)
        except _Failed as exc:
            raise Unknown(str(exc)) from None
        argtypes = self._arg_types(args, kwargs)
        if any(t is None for t in argtypes):
            raise Unknown("an argument Numba cannot type")
        driver = self._driver(jc, "__init__", len(args), list(kwargs), returns=True)
        try:
            driver.compile(tuple(argtypes))
        except Exception as exc:  # noqa: BLE001 - the constructor's verdict is reported apart
            raise Unknown(f"the constructor does not compile: {type(exc).__name__}") from None
        return TypeOnly(driver.overloads[tuple(argtypes)].signature.return_type)

    # -- rebuilding namespaces ---------------------------------------------------------------

    def namespace(self, key: str) -> dict[str, Any]:
        if key in self.spaces:
            return self.spaces[key]
        namespace: dict[str, Any] = {
            "__name__": f"numba_check_rebuilt_{len(self.spaces)}",
            "__builtins__": builtins,
        }
        self.spaces[key] = namespace
        self.library[key] = set()
        bindings = self.plan.get(key, ())
        order = {
            "import": 0,
            "star": 0,
            "foreign": 1,
            "module": 1,
            "standin": 1,
            "class": 2,
            "function": 2,
            "jitclass": 2,
            "constant": 3,
        }
        later: list[Binding] = []
        for binding in sorted(bindings, key=lambda b: (order[b.kind], _line(b))):
            try:
                self._bind(key, namespace, binding, later)
            except _Failed as exc:
                self._standin(namespace, key, binding.name, str(exc))
        # Defaults and dispatchers last: they may read constants.
        for binding in later:
            if binding.kind == "jitclass":
                self._make_jitclass(key, namespace, binding)
                continue
            try:
                pyfunc = self._pyfunc(namespace, binding)
                if binding.dispatcher is not None:
                    root = key == self.recipe.module and binding.name == self.recipe.root
                    if not (root and self._eager(binding)):
                        namespace[binding.name] = self._dispatch(namespace, binding, pyfunc)
            except _Failed as exc:
                self._standin(namespace, key, binding.name, str(exc))
            except Exception as exc:  # noqa: BLE001 - a helper whose decorator fails
                self._standin(namespace, key, binding.name, f"{type(exc).__name__}: {exc}")
        return namespace

    def _eager(self, binding: Binding) -> bool:
        return any(s.kind == "signature" for s in self.recipe.sources)

    def _standin(self, namespace: dict[str, Any], key: str, name: str, reason: str) -> None:
        standin = NumbaCheckStandIn(name, reason)
        namespace[name] = standin
        self.standins[f"{key}:{name}"] = standin

    def _bind(
        self, key: str, namespace: dict[str, Any], binding: Binding, later: list[Binding]
    ) -> None:
        kind = binding.kind
        if kind == "import":
            namespace[binding.name] = self._import(binding.module, binding.attr)
            self.library[key].add(binding.name)
        elif kind == "star":
            for module in binding.module.split(","):
                value = self._import(module, "")
                exported = getattr(value, "__all__", None)
                visible = (
                    binding.name in exported
                    if exported is not None
                    else (not binding.name.startswith("_"))
                )
                if visible and hasattr(value, binding.name):
                    namespace[binding.name] = getattr(value, binding.name)
                    self.library[key].add(binding.name)
                    return
            if hasattr(builtins, binding.name):
                return  # the builtin, which no star import shadows
            raise _Failed("it is not defined in its module")
        elif kind == "standin":
            self._standin(namespace, key, binding.name, binding.reason)
        elif kind == "foreign":
            other = self.namespace(binding.module)
            if binding.attr not in other:
                raise _Failed(f"{binding.module} does not define it")
            namespace[binding.name] = other[binding.attr]
            if binding.attr in self.library.get(binding.module, ()):
                self.library[key].add(binding.name)
        elif kind == "module":
            other = self.namespace(binding.module)
            module = types.ModuleType(f"{REBUILT_MODULE}{binding.module}")
            for name, value in other.items():
                if not name.startswith("__"):
                    setattr(module, name, value)
            namespace[binding.name] = module
            self.project_modules[id(module)] = binding.module
        elif kind == "function":
            namespace[binding.name] = self._define(namespace, binding)
            later.append(binding)
        elif kind == "class":
            namespace[binding.name] = self._define_class(namespace, binding)
        elif kind == "jitclass":
            # The plain class first; the decorator once the constants its spec reads exist.
            namespace[binding.name] = self._define_class(namespace, binding)
            later.append(binding)
        elif kind == "constant":
            assert binding.piece is not None
            evaluator = self._evaluator(key)
            try:
                value = evaluator.eval(_expression(binding.piece))
            except Unknown as exc:
                raise _Failed(f"its value is not computed by numba-check ({exc})") from None
            if isinstance(value, TypeOnly):
                raise _Failed("its value is a compiled function's result")
            if isinstance(value, Library):
                namespace[binding.name] = value.value
                self.library[key].add(binding.name)
            else:
                namespace[binding.name] = value
        else:  # pragma: no cover - the planner writes no other kind
            raise _Failed(f"unknown binding kind {kind}")

    def _import(self, module: str, attr: str) -> Any:
        import importlib

        if not any(module == a or module.startswith(a + ".") for a in self.recipe.allowed):
            raise _Failed(f"module {module} is not allowed")
        try:
            value = importlib.import_module(module)
        except Exception as exc:  # noqa: BLE001 - not installed here
            raise _Failed(f"cannot import {module}: {exc}") from None
        if not attr:
            return value
        if hasattr(value, attr):
            return getattr(value, attr)
        try:
            return importlib.import_module(f"{module}.{attr}")
        except Exception as exc:  # noqa: BLE001
            raise _Failed(f"cannot import {attr} from {module}: {exc}") from None

    def _define(self, namespace: dict[str, Any], binding: Binding) -> Any:
        """The def compiled without its decorators, annotations and defaults, so that
        defining it runs nothing of the user's."""
        assert binding.piece is not None
        node = _parse_def(binding.piece)
        node.decorator_list = []
        node.returns = None
        for arg in ast.walk(node.args):
            if isinstance(arg, ast.arg):
                arg.annotation = None
        node.args.defaults = []
        node.args.kw_defaults = [None] * len(node.args.kwonlyargs)
        module = ast.Module([node], type_ignores=[])
        ast.fix_missing_locations(module)
        path = dict(self.recipe.paths).get(binding.piece.filename, binding.piece.filename)
        code = compile(module, path, "exec", dont_inherit=True)
        scratch: dict[str, Any] = {}
        exec(code, namespace, scratch)  # defines the function; its body does not run
        function = scratch[node.name]
        return function

    def _define_class(self, namespace: dict[str, Any], binding: Binding) -> Any:
        """A plain class (the planner checked that its body runs nothing but defs and
        literals), its methods' annotations removed. A jitclass's class-level annotations
        (its fields) are kept aside for the evaluator (`_make_jitclass`), and so are its
        methods' lines; its decorators are left out (``property``/``staticmethod`` kept)."""
        assert binding.piece is not None
        text, offset = binding.piece.text, binding.piece.line - 1
        if binding.piece.column:
            text, offset = "if True:\n" + text, offset - 1
        tree = ast.parse(text)
        ast.increment_lineno(tree, offset)
        node = tree.body[0].body[0] if isinstance(tree.body[0], ast.If) else tree.body[0]
        if not isinstance(node, ast.ClassDef):
            raise _Failed("not a class")
        fields: list[tuple[str, ast.expr]] = []
        if binding.kind == "jitclass":
            node.decorator_list = []
            for stmt in list(node.body):
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                    fields.append((stmt.target.id, stmt.annotation))
                    node.body.remove(stmt)
            if not node.body:
                node.body.append(ast.Pass())
        for inner in ast.walk(node):
            if isinstance(inner, ast.arg):
                inner.annotation = None
            elif isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inner.returns = None
        self.class_parts[(binding.piece.filename, binding.name)] = (
            fields,
            _method_lines(node),
            node.lineno,
        )
        ast.fix_missing_locations(node)
        module = ast.Module([node], type_ignores=[])
        path = dict(self.recipe.paths).get(binding.piece.filename, binding.piece.filename)
        scratch: dict[str, Any] = {}
        exec(compile(module, path, "exec", dont_inherit=True), namespace, scratch)
        return scratch[node.name]

    def _pyfunc(self, namespace: dict[str, Any], binding: Binding) -> Any:
        """The defined function with its defaults, computed by the evaluator (a stand-in for
        a default that cannot be computed: Numba then cannot type an omitted argument)."""
        assert binding.piece is not None
        node = _parse_def(binding.piece)
        key = binding.piece.filename
        function = self._function_object(namespace, binding)
        evaluator = self._evaluator(key) if key in self.spaces else None
        defaults = []
        for default in node.args.defaults:
            defaults.append(self._default(evaluator, default, binding))
        kwdefaults = {}
        for arg, default in zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True):
            if default is not None:
                kwdefaults[arg.arg] = self._default(evaluator, default, binding)
        function.__defaults__ = tuple(defaults) or None
        function.__kwdefaults__ = kwdefaults or None
        return function

    def _function_object(self, namespace: dict[str, Any], binding: Binding) -> Any:
        value = namespace.get(binding.name)
        if isinstance(value, types.FunctionType):
            return value
        py_func = getattr(value, "py_func", None)
        if isinstance(py_func, types.FunctionType):
            return py_func
        return self._define(namespace, binding)

    def _default(self, evaluator: Evaluator | None, node: ast.expr, binding: Binding) -> object:
        if evaluator is not None:
            try:
                return _unwrap(evaluator.eval(node))
            except Unknown:
                pass
        standin = NumbaCheckStandIn(f"default of {binding.name}", "its value is not computed")
        self.standins[f"default:{binding.name}"] = standin
        return standin

    def _dispatch(
        self, namespace: dict[str, Any], binding: Binding, pyfunc: Any, *, root: bool = False
    ) -> Any:
        spec = binding.dispatcher
        assert spec is not None
        numba = self.numba
        module = binding.piece.filename if binding.piece else self.recipe.module
        evaluator = self._evaluator(module)
        try:
            positional = [_unwrap(evaluator.eval(_expression(p))) for p in spec.positional]
            keywords = {
                name: _unwrap(evaluator.eval(_expression(p)))
                for name, p in spec.keywords
                if name != "cache"  # never write Numba's cache next to the user's files
            }
        except Unknown as exc:
            raise _Failed(f"its decorator's arguments are not computed ({exc})") from None
        # A helper keeps its signatures: its callers see the types they declare (an 'A'
        # layout, a wider integer), as they do at run time.
        entry = spec.entry
        if entry == "register_jitable":
            decorator = numba.njit(**keywords)
        elif entry == "njit":
            decorator = numba.njit(*positional, **keywords)
        elif entry == "jit":
            decorator = numba.jit(*positional, **keywords)
        elif entry == "vectorize":
            decorator = numba.vectorize(*positional, **keywords)
        elif entry == "guvectorize":
            decorator = numba.guvectorize(*positional, **keywords)
        elif entry == "cfunc":
            decorator = numba.cfunc(*positional, **keywords)
        else:
            raise _Failed(f"{entry} is not rebuilt")
        compiled = decorator(pyfunc)
        self.dispatchers.add(id(compiled))
        return compiled


def _bound(
    jc: Any, args: list[object], kwargs: dict[str, object]
) -> tuple[list[object], dict[str, object]]:
    """The arguments a call of the jitclass from Python hands its constructor: bound to
    ``__init__``'s signature, defaults applied (JitClassType.__call__ does so)."""
    try:
        bound = jc._ctor_sig.bind(None, *args, **kwargs)
    except (TypeError, AttributeError) as exc:
        raise _Failed(f"the call does not match __init__: {exc}") from None
    bound.apply_defaults()
    return list(bound.args[1:]), dict(bound.kwargs)


def _method_lines(node: ast.ClassDef) -> dict[str, list[int]]:
    """The def lines of each method name (a property's getter, then its setter)."""
    lines: dict[str, list[int]] = {}
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines.setdefault(stmt.name, []).append(stmt.lineno)
    return lines


def _raised_by_numba(exc: BaseException) -> bool:
    """Whether `exc` was raised by Numba's own code (a TypeError of jitclass's spec check),
    not by Python or numba-check."""
    if _numbas(exc):
        return True
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and tb.tb_frame.f_globals.get("__name__", "").startswith("numba.")


def _numbas(exc: BaseException) -> bool:
    """Whether `exc` is Numba's own refusal: an exception class of Numba's (NumbaError and
    its kin such as UnsupportedBytecodeError), not one of Python's raised from inside it."""
    return type(exc).__module__.split(".")[0] == "numba"


def _line(binding: Binding) -> int:
    return binding.piece.line if binding.piece else 0


def _unwrap(value: object) -> object:
    return value.value if isinstance(value, Library) else value


def _expression(piece: Piece) -> ast.Expression:
    try:
        tree = ast.parse(f"(\n{piece.text}\n)", mode="eval")
    except SyntaxError as exc:
        raise Unknown(f"cannot parse {piece.text!r}") from exc
    ast.increment_lineno(tree, piece.line - 2)
    return tree


def _parse_def(piece: Piece) -> ast.FunctionDef:
    text = piece.text
    offset = piece.line - 1
    if piece.column:
        text = "if True:\n" + text
        offset -= 1
    tree = ast.parse(text)
    ast.increment_lineno(tree, offset)
    node = tree.body[0]
    if isinstance(node, ast.If):
        node = node.body[0]
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        raise _Failed("not a def")
    return node  # type: ignore[return-value]


_ADDRESS = re.compile(r"#[0-9a-f]+(?=<)")


def _show_types(types_: Any) -> str:
    items = list(types_.args) if hasattr(types_, "args") else list(types_)
    # A jitclass instance's type names its class by address: the same on no two runs.
    return _ADDRESS.sub("", "(" + ", ".join(str(t) for t in items) + ")")


def _signatures_of(compiled: Any) -> str:
    signatures = getattr(compiled, "signatures", None)
    if signatures:
        return ", ".join(_show_types(s) for s in signatures)
    found = getattr(compiled, "types", None)  # a ufunc's "dd->d"
    if found:
        return ", ".join(found)
    return "(the signatures in the decorator)"


def _first_location(text: str, recipe: Recipe) -> tuple[str, int] | None:
    """The innermost place Numba names (its message lists it first) in a file of the
    project."""
    import os

    keys = {os.path.normcase(os.path.abspath(path)): key for key, path in recipe.paths}
    for match in _FILE_LINE.finditer(text):
        file, line = (
            (match["file"], match["line"]) if match["file"] else (match["at"], match["at_line"])
        )
        key = keys.get(os.path.normcase(os.path.abspath(file)))
        if key is not None:
            return key, int(line)
    return None


def worker_main(connection: Any) -> None:
    """A worker process: Numba imported once, then recipes in, results out, until None."""
    import os
    import sys

    # Nothing a worker does may reach the user's terminal or the report on stdout.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - for the life of the process
    os.environ.setdefault("NUMBA_DISABLE_PERFORMANCE_WARNINGS", "1")
    try:
        import numba  # noqa: F401 - imported before the first deadline starts

        connection.send(("ready", None))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which stops
        connection.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        index, recipe = job
        try:
            result: Result | str = run_recipe(recipe)
        except Exception as exc:  # noqa: BLE001 - one function's failure, not the run's
            result = f"internal error: {type(exc).__name__}: {exc}"
        connection.send((index, result))


Callback = Callable[[int, Result], None]
