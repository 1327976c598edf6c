"""numba-check's pytest plugin, loaded through the ``pytest11`` entry point.

Installing numba-check changes nothing in a pytest session that does not use it: importing this
module sets nothing, the header line appears only when a numba-check setting is given, the CUDA
simulator is switched on only when asked (see cudasim.py). Numba itself is imported lazily.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

from numba_check import _no_rewrite
from numba_check.pytest_plugin import cudasim, fuzz, history, marker, options
from numba_check.pytest_plugin import report as reporting

options_key = pytest.StashKey[options.Options]()
cuda_key = pytest.StashKey[cudasim.CudaState]()


def pytest_addoption(parser: pytest.Parser) -> None:
    options.addoption(parser)
    history.addoption(parser)


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser: Any, args: Any) -> None:
    # A session started inside this one (pytester) marks the package again.
    _no_rewrite.unmark(early_config.pluginmanager.rewrite_hook)
    # Before conftests import anything: apply --numba-cudasim / ini / environment.
    mode, source = options.resolve_one(
        early_config, "numba_cudasim", early_config.known_args_namespace
    )
    early_config.stash[cuda_key] = cudasim.settle(mode, source)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", marker.DESCRIPTION)
    config.addinivalue_line("markers", fuzz.DESCRIPTION)
    opts = options.resolve(config)
    config.stash[options_key] = opts
    state = config.stash.get(cuda_key, None)
    if state is None:  # plugin registered late (e.g. pytester's plugins=[...])
        state = cudasim.settle(opts.cudasim, opts.source("numba_cudasim"))
    else:
        # A conftest may have imported numba.cuda since; check again.
        conflict = cudasim.conflict(state.wanted, opts.source("numba_cudasim"))
        state = cudasim.CudaState(state.wanted, conflict if opts.cudasim != "auto" else None)
    config.stash[cuda_key] = state
    config.pluginmanager.register(Collector(config), "numba-check-collector")
    history.configure(config)
    if state.conflict and opts.cudasim == "on":
        raise pytest.UsageError(f"numba-check: {state.conflict}")
    if opts.report:
        reporting.check_path(config, opts.report, opts.source("numba_report"))


def pytest_report_header(config: pytest.Config) -> list[str]:
    opts = config.stash.get(options_key, None)
    state = config.stash.get(cuda_key, None)
    if opts is None or state is None or not opts.any_set():
        return []
    cuda = ""
    if opts.cudasim != "auto" or cudasim.cuda_imported():
        cuda = f", CUDA {'simulator' if state.wanted else 'GPU'}"
    lines = [
        f"numba-check: timing {opts.timing}, budget {opts.max_time:g} s, default min speedup "
        f"{opts.min_speedup:g}{cuda}"
    ]
    if state.conflict:
        lines.append(f"numba-check WARNING: {state.conflict}")
    return lines


@pytest.hookimpl(tryfirst=True)
def pytest_collect_file(file_path: Any, parent: pytest.Collector) -> None:
    # auto mode's earliest safe switch: a test file that checks kernels, seen before it is
    # imported (and imports numba.cuda), on a machine without a GPU.
    state = parent.config.stash.get(cuda_key, None)
    if state is None or not state.wanted or cudasim.cuda_imported():
        return
    if file_path.suffix != ".py" or parent.config.stash[options_key].cudasim != "auto":
        return
    try:
        text = file_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    if "numba_check.kernel" in text:
        cudasim.import_for_kernels(True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    without_fixture = config.stash[options_key].marker_without_fixture
    marker.validate_items(items, without_fixture)
    fuzz.validate_items(items, without_fixture)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    messages = item.stash.get(reporting.inconclusive_key, None)
    if messages and report.when == "call" and report.passed:
        # A speed-up that could not be measured must not read as a pass.
        path, lineno, _ = item.reportinfo()
        report.outcome = "skipped"
        report.longrepr = (str(path), (lineno or 0) + 1, "\n".join(messages))
    return report


@pytest.fixture
def numba_check(request: pytest.FixtureRequest) -> Generator[Any, None, None]:
    """Check a Numba function against its Python original: equal results, measured speed-up.

    ``res = numba_check(func, *args, **kwargs)`` runs ``func`` (your own dispatcher, compiled
    once) and its pure-Python original (every compiled helper it reaches running as Python) on
    separate copies of the arguments, compares the return values and the arguments afterwards,
    then measures the speed-up against
    ``@pytest.mark.numba_speedup(min=...)``; ``reference=`` and ``seed=`` are reserved keywords
    (see the docs). ``numba_check.kernel(kernel, griddim, blockdim,
    reference=ref)(*args)`` does the same for a CUDA kernel (without timing).
    """
    from numba_check.pytest_plugin.fixture import NumbaCheck

    config = request.config
    state = config.stash[cuda_key]
    checker = NumbaCheck(request.node, config.stash[options_key], state.conflict)
    checker._cuda_wanted = state.wanted
    yield checker


class Collector:
    """Gathers report rows from test reports (also those xdist workers send back)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        reporting.collect(self.config, report)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        reporting.terminal_summary(terminalreporter, self.config)
        path = self.config.stash[options_key].report
        if path:
            written = reporting.write_json(self.config, path)
            terminalreporter.write_line(f"numba-check: JSON report written to {written}")
