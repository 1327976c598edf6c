"""The semantic layer: what the code binds, builds and does, computed once per module and read
by every rule (see docs/architecture.md).

- `bindings`: how each binding binds its name (value, loop iterable, parameter default...).
- `types`: a lattice of Numba's types and unification as Numba unifies.
- `infer`: the type of an expression from the source alone.
- `flow`: which bindings of a local name reach each read.
- `model`: `Semantic`, the per-module entry point (`ModuleContext.semantic`), and
  `FunctionFacts`, the per-function one (returns, yields, raises, handlers, nesting).
"""
