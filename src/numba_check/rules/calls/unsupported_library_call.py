from __future__ import annotations

import ast

from numba_check import matching as m
from numba_check.model import Severity
from numba_check.rules.base import Invalid, Rule, Valid

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

DOTTED = m.Name() | m.Attribute(value=m.Name() | m.Attribute())


class UnsupportedLibraryCall(Rule):
    """## What it does
    Flags calls from compiled code into libraries Numba cannot type: pandas, scikit-learn,
    SciPy (unless numba-scipy provides it), TensorFlow, PyTorch, and standard modules such
    as `os`, `json`, `re`, `time`, `itertools`, however they were imported (`import pandas
    as pd`, `from os.path import join`).

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
    )

    def visit_Call(self, node: ast.Call) -> None:
        if not m.matches(node.func, DOTTED):
            return  # `pd.Series(x).mean()`: the inner call is the one to report
        for name in self.ctx.qualified_names(node.func):
            top = name.split(".", 1)[0]
            library = UNSUPPORTED_MODULES.get(top)
            if library is not None:
                if self.ctx.known_compilable(name):
                    return  # an extension (numba-scipy, an @overload) makes it compilable
                self.report(node, self.message.format(library=library, name=name))
                return
