from __future__ import annotations

import ast

from numba_check import matching as m
from numba_check.knowledge import python_support
from numba_check.model import Severity
from numba_check.rules.base import FunctionContext, Invalid, Rule, Valid
from numba_check.versions import format_version

# Top-level modules whose functions Numba cannot type (checked by compiling a call into each;
# `math`, `cmath`, `random`, `operator`, `heapq` and `numpy` are supported and not listed).
# SciPy is typable only through numba-scipy, which a plugin declares (see the plugin guide).
UNSUPPORTED_MODULES: dict[str, str] = {
    "pandas": "pandas",
    "polars": "polars",
    "sklearn": "scikit-learn",
    "scipy": "SciPy (without numba-scipy)",
    "statsmodels": "statsmodels",
    "tensorflow": "TensorFlow",
    "keras": "Keras",
    "torch": "PyTorch",
    "jax": "JAX",
    "matplotlib": "matplotlib",
    "xarray": "xarray",
    "dask": "Dask",
    "cv2": "OpenCV",
    "PIL": "Pillow",
    "h5py": "h5py",
    "requests": "requests",
    "os": "os",
    "sys": "sys",
    "json": "json",
    "re": "re",
    "subprocess": "subprocess",
    "pickle": "pickle",
    "pathlib": "pathlib",
    "shutil": "shutil",
    "glob": "glob",
    "csv": "csv",
    "logging": "logging",
    "time": "time",
    "datetime": "datetime",
    "itertools": "itertools",
    "collections": "collections",
    "copy": "copy",
    "threading": "threading",
    "multiprocessing": "multiprocessing",
    "socket": "socket",
    "sqlite3": "sqlite3",
}

# Standard modules Numba implements function by function: which of their functions the target
# Numba can type is read from its registry (knowledge/data/python-*.json).
PARTLY_SUPPORTED_MODULES = frozenset({"math", "cmath", "random", "operator"})

DOTTED = m.Name() | m.Attribute(value=m.Name() | m.Attribute())


class UnsupportedLibraryCall(Rule):
    """## What it does
    Flags calls from compiled code into libraries Numba cannot type: pandas, scikit-learn,
    SciPy (unless numba-scipy provides it), TensorFlow, PyTorch, and standard modules such
    as `os`, `json`, `re`, `time`, `itertools`, however they were imported (`import pandas
    as pd`, `from os.path import join`).

    Of `math`, `cmath`, `random` and `operator`, which Numba implements function by function,
    it flags the functions that the target Numba version's registry cannot type:
    `random.choice`, `math.comb`, `operator.itemgetter`; `math.exp2` before Numba 0.61. Not
    in CUDA code, which has implementations of its own.

    Names imported from your own modules are never flagged: numba-check cannot see whether
    they are compiled. Nor are names that a plugin declares compilable: a plugin for
    numba-scipy declares `scipy.special.*` (see the plugins page of the documentation).

    ## Why is this bad?
    Numba compiles only functions it has typing for. A call into one of these modules fails
    with "Unknown attribute 'getcwd' of type Module(<module 'os'>)" or "Untyped global name".

    ## Example
    ```python
    import pandas as pd

    @njit
    def mean_of(values):
        return pd.Series(values).mean()
    ```

    ## Use instead
    Do the library work in Python and pass NumPy arrays to the compiled function:
    ```python
    @njit
    def mean_of(values):
        return values.mean()

    mean_of(series.to_numpy())
    ```
    """

    code = "NB201"
    name = "unsupported-library-call"
    severity = Severity.ERROR
    message = (
        "Numba cannot compile calls into {library} (`{name}`); call it outside the compiled "
        "function and pass the result (as NumPy arrays or scalars) in"
    )
    function_message = (
        "Numba {version} has no implementation of `{name}` (it has others of `{module}`); "
        "compute it outside the compiled function and pass the result in, or write it out "
        "with supported operations"
    )

    VALID = (
        Valid(
            "import math\nimport numba\n@numba.njit\ndef f(x):\n    return math.sqrt(x)\n",
            call="f(4.0)",
        ),
        Valid(
            "import os\nimport numba\n@numba.njit\ndef f(x):\n    return os.sep + 'a'\n",
            call="f(1)",
        ),
        Valid(
            "import numba\nfrom mypackage.helpers import load\n@numba.njit\ndef f(x):\n"
            "    return load(x)\n"
        ),
        Valid("import os\nimport numba\ndef f():\n    return os.getcwd()\n"),
        Valid(
            "import random\nimport numba\n@numba.njit\ndef f(n):\n"
            "    return random.randint(n, n)\n",
            call="f(3)",
        ),
        Valid(
            "import math\nimport numba\n@numba.njit\ndef f(x):\n    return math.exp2(x)\n",
            call="f(3.0)",
        ),
        Valid(
            "import operator\nimport numba\n@numba.njit\ndef f(x):\n"
            "    return operator.add(x, 1)\n",
            call="f(3)",
        ),
        # CUDA has math.modf of its own.
        Valid(
            "import math\nfrom numba import cuda\n@cuda.jit\ndef k(a, b, c):\n"
            "    i = cuda.grid(1)\n    if i < a.size:\n        b[i], c[i] = math.modf(a[i])\n"
        ),
    )
    INVALID = (
        Invalid(
            "import os\nimport numba\n@numba.njit\ndef f(x):\n    return os.getcwd()\n",
            line=5,
            column=12,
            call="f(1)",
        ),
        Invalid(
            "import numba as nb\nfrom json import dumps as to_json\n@nb.njit\ndef f(x):\n"
            "    return to_json(x)\n",
            line=5,
            call="f(1)",
        ),
        Invalid(
            "import pandas as pd\nfrom numba import njit\n@njit\ndef f(x):\n"
            "    return pd.Series(x).mean()\n",
            line=5,
        ),
        Invalid(
            "import time\nimport numba\n@numba.njit\ndef f(n):\n    t0 = time.perf_counter()\n"
            "    return n\n",
            line=5,
            call="f(1)",
        ),
        Invalid(
            "import random\nimport numba\n@numba.njit\ndef f(n):\n"
            "    return random.choice((n, n + 1))\n",
            line=5,
            column=12,
            call="f(1)",
        ),
        Invalid(
            "from math import comb\nimport numba\n@numba.njit\ndef f(n):\n    return comb(n, 2)\n",
            line=5,
            call="f(4)",
        ),
        Invalid(
            "import math\nimport numba\n@numba.njit\ndef f(x):\n    return math.exp2(x)\n",
            line=5,
            target_numba="0.60",
        ),
    )

    def __init__(self, ctx: FunctionContext) -> None:
        super().__init__(ctx)
        self._python = python_support(ctx.numba_version)
        # The tables are the CPU registry's; CUDA implements another set (math.modf,
        # math.remainder) that they do not describe.
        function = ctx.function
        self._by_function = function is not None and not function.on_gpu

    def visit_Call(self, node: ast.Call) -> None:
        if not m.matches(node.func, DOTTED):
            return  # `pd.Series(x).mean()`: the inner call is the one to report
        for name in self.ctx.qualified_names(node.func):
            top = name.split(".", 1)[0]
            partly = top in PARTLY_SUPPORTED_MODULES and self._by_function
            if partly and self._python.unsupported(name):
                if self.ctx.known_compilable(name):
                    return
                version = format_version(self.ctx.numba_version)
                message = self.function_message.format(version=version, name=name, module=top)
                self.report(node, message)
                return
            library = UNSUPPORTED_MODULES.get(top)
            if library is not None:
                if self.ctx.known_compilable(name):
                    return  # an extension (numba-scipy, an @overload) makes it compilable
                self.report(node, self.message.format(library=library, name=name))
                return
