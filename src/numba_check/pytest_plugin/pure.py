"""The reference: the Python program the user wrote, with every dispatcher it reaches as Python.

``outer.py_func`` still calls ``inner`` compiled when ``inner`` is an ``@njit`` global, so timing
``outer.py_func`` measures a half-compiled program. ``Purifier`` copies each Python function that
can reach a Numba object (through its globals, closure cells, default values, modules, classes
and objects it reads attributes of, and tuples, lists or dicts of them) with
``types.FunctionType`` over a copy of its globals in which those objects are replaced by their
Python originals: a dispatcher by its ``py_func``, a ``@stencil`` by its kernel looped in Python
(stencil.py), a jitclass by a plain class built from its methods, and a jitclass instance by an
instance of that class holding copies of its fields. A class whose attributes reach compiled
code is seen through a subclass overriding them, an object through a shallow copy. The user's
modules, classes, objects and functions are never changed; what reaches nothing compiled is used
as it is.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Iterator
from typing import Any

_CONTAINERS = (tuple, list, dict)


def _code_names(code: types.CodeType) -> set[str]:
    """Global and attribute names read by ``code`` and the code objects nested in it."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _code_names(const)
    return names


# Packages that hold no user dispatchers: their functions and modules are not searched (numpy's
# Python functions reach a great many others).
_LIBRARIES = frozenset({"numpy", "numba", "llvmlite", "scipy", "pytest", "_pytest", "pluggy"})


def _library(obj: Any) -> bool:
    name = obj.__name__ if isinstance(obj, types.ModuleType) else getattr(obj, "__module__", None)
    if not isinstance(name, str):
        return False
    root = name.partition(".")[0]
    return root in _LIBRARIES


def _is_module(obj: Any) -> bool:
    return isinstance(obj, types.ModuleType)


def _is_jitclass(obj: Any) -> bool:
    """A ``@jitclass``-decorated class (its type is Numba's ``JitClassType``)."""
    kind = type(obj)
    return kind.__name__ == "JitClassType" and kind.__module__.startswith("numba.")


def _is_holder(obj: Any) -> bool:
    """A class or object whose attributes a function may read (``Ops.add``, ``self.f``)."""
    if isinstance(obj, type):
        return obj.__module__ != "builtins"
    return hasattr(obj, "__dict__") and not isinstance(
        obj,
        (
            types.FunctionType,
            types.ModuleType,
            types.BuiltinFunctionType,
            type,
            functools.partial,  # called, not read: its function and arguments matter
        ),
    )


def _static_attrs(obj: Any, names: set[str]) -> Iterator[tuple[str, Any, bool]]:
    """(name, raw value, on the instance) for the names ``obj`` holds, read without running
    descriptors: the object's own ``__dict__`` first, then its class's, as lookup finds them."""
    own: Any = {}
    if not isinstance(obj, type):
        try:
            own = vars(obj)
        except TypeError:  # a __dict__ that is not a mapping of the instance's own
            own = {}
        if not isinstance(own, dict):
            own = {}
    cls = obj if isinstance(obj, type) else type(obj)
    for name in names:
        if name in own:
            yield name, own[name], True
            continue
        for klass in cls.__mro__[:-1]:  # object's own attributes hold nothing of the user's
            if name in vars(klass):
                yield name, vars(klass)[name], False
                break


def _unwrap(value: Any) -> tuple[Any, Callable[[Any], Any]]:
    """A class attribute's function and how to wrap it again (staticmethod, classmethod)."""
    if isinstance(value, (staticmethod, classmethod)):
        return value.__func__, type(value)
    return value, lambda v: v


def _name(obj: Any) -> str:
    """How a compiled object is named in messages: its function's or class's name."""
    kernel = getattr(getattr(getattr(obj, "kernel_ir", None), "func_id", None), "func_name", None)
    return kernel or getattr(obj, "__name__", None) or type(obj).__name__


class ModuleView(types.ModuleType):
    """A module seen through the reference: some attributes replaced, the rest read live."""

    def __init__(self, module: types.ModuleType, replaced: dict[str, Any]) -> None:
        super().__init__(module.__name__, module.__doc__)
        self.__dict__.update(replaced)
        object.__setattr__(self, "_nc_module", module)

    def __getattr__(self, name: str) -> Any:
        return getattr(object.__getattribute__(self, "_nc_module"), name)


class Purifier:
    """Maps what the reference may reach to its pure-Python equivalent, with a memo."""

    def __init__(self) -> None:
        self._memo: dict[Any, Any] = {}
        self._keep: list[Any] = []  # keeps ids in the memo unique while it lives
        self._needs: dict[int, bool] = {}
        self.replaced: list[str] = []  # names of the compiled objects the reference runs as Python

    # -- what is compiled ---------------------------------------------------------------------
    def compiled_original(self, obj: Any) -> Any:
        """The Python stand-in of a Numba object, or None when ``obj`` is not one."""
        from numba.core.dispatcher import Dispatcher
        from numba.np.ufunc.dufunc import DUFunc
        from numba.np.ufunc.gufunc import GUFunc

        from numba_check.pytest_plugin import copying, stencil, target

        if _is_jitclass(obj):
            return self.pure_class(obj.class_type)
        if copying.is_jitclass_instance(obj):
            return self.pure_instance(obj)
        if stencil.is_stencil(obj):
            return stencil.StencilReference(self.function(stencil.kernel_function(obj)), obj)
        if isinstance(obj, Dispatcher) and not type(obj).__module__.startswith("numba.cuda"):
            return self._stand_in(self.function(obj.py_func), obj.py_func)
        if isinstance(obj, DUFunc):
            py = obj._dispatcher.py_func
            return target.ufunc_reference(self.function(py), obj.nin, obj.nout)
        if isinstance(obj, GUFunc):
            py = obj.gufunc_builder.py_func
            return target.GufuncReference(self.function(py), obj.signature)
        return None

    def _is_compiled(self, obj: Any) -> bool:
        module = type(obj).__module__
        return module.startswith("numba.") and (
            hasattr(obj, "py_func")
            or type(obj).__name__ in ("DUFunc", "GUFunc", "StencilFunc", "JitClassType")
            or module == "numba.experimental.jitclass.boxing"  # a jitclass instance
        )

    # -- jitclasses -----------------------------------------------------------------------------
    def pure_class(self, class_type: Any) -> type:
        """A plain class with the jitclass's methods, properties and static methods as Python."""
        key = ("class", id(class_type))
        if key in self._memo:
            return self._memo[key]
        init = class_type.jit_methods.get("__init__")
        module = getattr(getattr(init, "py_func", None), "__module__", __name__)
        pure = type(
            class_type.class_name, (), {"__module__": module, "__doc__": class_type.class_doc}
        )
        self._memo[key] = pure  # before the methods: one that builds the class finds it
        self._keep.append(class_type)
        for name, method in class_type.jit_methods.items():
            setattr(pure, name, self.function(method.py_func))
        for name, funcs in class_type.jit_props.items():
            get, put = funcs.get("get"), funcs.get("set")
            setattr(
                pure,
                name,
                property(
                    self.function(get.py_func) if get is not None else None,
                    self.function(put.py_func) if put is not None else None,
                ),
            )
        for name, method in class_type.jit_static_methods.items():
            setattr(pure, name, staticmethod(self.function(method.py_func)))
        if init is not None:
            pure.__qualname__ = init.py_func.__qualname__.rpartition(".")[0] or pure.__name__
        return pure

    def pure_instance(self, instance: Any) -> Any:
        """An instance of the jitclass's plain class holding copies of the instance's fields."""
        from numba_check.pytest_plugin import copying

        key = ("instance", id(instance))
        if key in self._memo:
            return self._memo[key]
        cls = self.pure_class(instance._numba_type_.class_type)
        pure = object.__new__(cls)
        self._memo[key] = pure
        self._keep.append(instance)
        for name in copying.jitclass_fields(instance):
            value = getattr(instance, name)
            if copying.is_jitclass_instance(value):
                value = self.pure_instance(value)
            else:
                value = copying.copy_value(value)
            object.__setattr__(pure, name, value)
        return pure

    # -- reachability ---------------------------------------------------------------------------
    def _refs(self, fn: types.FunctionType) -> Iterator[tuple[str, Any]]:
        """(name, value) of what ``fn`` may reach directly."""
        names = _code_names(fn.__code__)
        glb = fn.__globals__
        for name in names:
            if name in glb:
                yield name, glb[name]
        for cell in fn.__closure__ or ():
            try:
                yield "", cell.cell_contents
            except ValueError:  # an empty cell
                continue
        for value in fn.__defaults__ or ():
            yield "", value
        for value in (fn.__kwdefaults__ or {}).values():
            yield "", value

    def _module_refs(self, module: types.ModuleType, names: set[str]) -> Iterator[tuple[str, Any]]:
        for name in names:
            value = module.__dict__.get(name)
            if value is not None:
                yield name, value

    def needs(self, obj: Any, names: set[str] | None = None) -> bool:
        """Whether ``obj`` is, contains or reaches a compiled object."""
        key = id(obj)
        if key in self._needs:
            return self._needs[key]
        if self._is_compiled(obj):
            self._needs[key] = True
            return True
        self._needs[key] = False  # provisional: a cycle through obj adds nothing new
        self._keep.append(obj)
        if _library(obj):
            return False
        result = False
        if isinstance(obj, types.FunctionType):
            result = any(self.needs(v, _code_names(obj.__code__)) for _, v in self._refs(obj))
        elif (_is_module(obj) or _is_holder(obj)) and names:
            # The verdict depends on the names read: not memoised; a cycle of objects through
            # their attributes is cut by the provisional False while it is being looked at.
            if _is_module(obj):
                values = [v for _, v in self._module_refs(obj, names)]
            else:
                values = [_unwrap(v)[0] for _, v, _ in _static_attrs(obj, names)]
            result = any(self.needs(v, names) for v in values)
            del self._needs[key]
            return result
        elif isinstance(obj, functools.partial):
            # partial(kernel, metric) in a global: the function and its bound arguments.
            parts = (obj.func, *obj.args, *obj.keywords.values())
            result = any(self.needs(v) for v in parts)
        elif isinstance(obj, tuple | list):
            result = any(self._is_compiled(v) for v in obj)
        elif isinstance(obj, dict):
            result = any(self._is_compiled(v) for v in obj.values())
        self._needs[key] = result
        return result

    # -- replacement -----------------------------------------------------------------------------
    def value(self, obj: Any, names: set[str] | None = None) -> Any:
        """``obj`` as the reference must see it."""
        if not self.needs(obj, names):
            return obj
        if self._is_compiled(obj):
            key = id(obj)
            if key not in self._memo:
                self._memo[key] = obj  # recursion through obj: resolved below
                original = self.compiled_original(obj)
                if original is None:
                    return obj
                self._memo[key] = original
                self.replaced.append(_name(obj))
            return self._memo[key]
        if isinstance(obj, types.FunctionType):
            return self.function(obj)
        if _is_module(obj):
            assert names is not None
            replaced = {n: self.value(v, names) for n, v in self._module_refs(obj, names)}
            return ModuleView(obj, {n: v for n, v in replaced.items() if v is not obj.__dict__[n]})
        if _is_holder(obj) and names:
            return self._holder(obj, names)
        if isinstance(obj, functools.partial):
            return type(obj)(
                self.value(obj.func),
                *(self.value(v) for v in obj.args),
                **{k: self.value(v) for k, v in obj.keywords.items()},
            )
        if isinstance(obj, dict):
            return type(obj)((k, self.value(v)) for k, v in obj.items())
        if isinstance(obj, tuple | list):
            items = [self.value(v) for v in obj]
            return type(obj)(items) if not hasattr(obj, "_fields") else type(obj)(*items)
        return obj

    def _holder(self, obj: Any, names: set[str]) -> Any:
        """A class seen through a subclass whose attributes run as Python; an object through a
        shallow copy holding such attributes (and of such a subclass). ``obj`` when that cannot
        be built (a class that refuses subclasses, an object that refuses copying)."""
        key = (id(obj), frozenset(names))
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = obj  # a cycle back to obj sees obj itself
        own: dict[str, Any] = {}
        inherited: dict[str, Any] = {}
        for name, raw, on_instance in _static_attrs(obj, names):
            func, wrap = _unwrap(raw)
            new = self.value(func, names)
            if new is not func:
                (own if on_instance else inherited)[name] = wrap(new)
        cls = obj if isinstance(obj, type) else type(obj)
        view_cls = cls
        if inherited:
            try:
                view_cls = type(cls)(
                    cls.__name__,
                    (cls,),
                    {**inherited, "__module__": cls.__module__, "__qualname__": cls.__qualname__},
                )
            except TypeError:
                view_cls = cls
        if isinstance(obj, type):
            result = view_cls
        else:
            import copy

            try:
                result = copy.copy(obj)
                vars(result).update(own)
                if view_cls is not cls:
                    result.__class__ = view_cls
            except Exception:  # noqa: BLE001 - objects that refuse copying stay as they are
                result = obj
        self._memo[key] = result
        self._keep.append(obj)
        return result

    def function(self, fn: Any) -> Any:
        """A copy of ``fn`` whose globals, cells and defaults reach only Python, or ``fn``."""
        if not isinstance(fn, types.FunctionType) or not self.needs(fn):
            return fn
        key = id(fn)
        if key in self._memo:
            return self._memo[key]
        new_globals = dict(fn.__globals__)
        copy = types.FunctionType(
            fn.__code__, new_globals, fn.__name__, None, self._cells(fn.__closure__)
        )
        self._memo[key] = copy  # before the globals are filled: recursion finds the copy
        names = _code_names(fn.__code__)
        for name in names:
            if name in new_globals:
                new_globals[name] = self.value(new_globals[name], names)
        if fn.__closure__:
            for old, new in zip(fn.__closure__, copy.__closure__ or (), strict=True):
                try:
                    new.cell_contents = self.value(old.cell_contents, names)
                except ValueError:
                    continue
        copy.__defaults__ = tuple(self.value(v) for v in fn.__defaults__ or ()) or None
        if fn.__kwdefaults__:
            copy.__kwdefaults__ = {k: self.value(v) for k, v in fn.__kwdefaults__.items()}
        copy.__dict__.update(fn.__dict__)
        copy.__qualname__ = fn.__qualname__
        copy.__module__ = fn.__module__
        copy.__doc__ = fn.__doc__
        copy.__wrapped__ = fn  # inspect.signature and tracebacks lead to the user's function
        return copy

    @staticmethod
    def _stand_in(fn: Any, py_func: Any) -> Any:
        """``fn`` as the dispatcher's stand-in: ``helper.py_func(...)`` in the reference works.

        The user's own function is never given the attribute: a copy sharing its globals (the
        same behaviour) carries it instead.
        """
        if fn is py_func:
            fn = types.FunctionType(
                py_func.__code__,
                py_func.__globals__,
                py_func.__name__,
                py_func.__defaults__,
                py_func.__closure__,
            )
            fn.__kwdefaults__ = py_func.__kwdefaults__
            fn.__dict__.update(py_func.__dict__)
            fn.__qualname__ = py_func.__qualname__
            fn.__module__ = py_func.__module__
            fn.__doc__ = py_func.__doc__
            fn.__wrapped__ = py_func
        fn.py_func = fn
        return fn

    @staticmethod
    def _cells(closure: tuple[types.CellType, ...] | None) -> tuple[types.CellType, ...] | None:
        if closure is None:
            return None
        cells = []
        for cell in closure:
            try:
                cells.append(types.CellType(cell.cell_contents))
            except ValueError:
                cells.append(types.CellType())
        return tuple(cells)


def pure_reference(fn: Callable[..., Any]) -> tuple[Callable[..., Any], tuple[str, ...]]:
    """``fn`` with every compiled object it reaches running as Python, and their names."""
    purifier = Purifier()
    return purifier.function(fn), tuple(purifier.replaced)


def pure_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[tuple, dict]:
    """Compiled functions passed as arguments (a metric, a callback) become Python too."""
    purifier = Purifier()
    return (
        tuple(purifier.value(a) for a in args),
        {k: purifier.value(v) for k, v in kwargs.items()},
    )


def compared_arguments(checked: Any, pure: Any) -> Any:
    """What the reference's side is compared on: its pure instances where the arguments held
    jitclass instances (their fields changed there, not in the jitclass copies), else the
    arguments themselves (a compiled callback stays the object Numba got)."""
    from numba_check.pytest_plugin import copying

    if copying.is_jitclass_instance(checked):
        return pure
    if isinstance(checked, dict) and isinstance(pure, dict):
        return {k: compared_arguments(v, pure.get(k)) for k, v in checked.items()}
    if type(checked) in (tuple, list) and type(pure) is type(checked) and len(checked) == len(pure):
        items = [compared_arguments(c, p) for c, p in zip(checked, pure, strict=True)]
        return type(checked)(items)
    return checked
