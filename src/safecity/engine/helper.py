"""A forked helper process that takes the slow imports, and then the slow work, off the main path.

``safecity assess`` runs on two cores but is mostly one Python thread. Two costs need not wait
for it: importing esda (about 2 s of CPU: esda imports every esda module, all of libpysal, pandas
and scikit-learn, although the hotspot map needs one ``G_Local`` call) and printing the PDF
(WeasyPrint, about 10 s on one core). The command therefore forks one helper when it starts,
before any DuckDB connection exists, so no database thread is copied. The helper imports the
modules it is given while the main process scans the warehouse and builds the sections; the main
process then hands it work with :func:`call` (wait for the answer) or :func:`submit` (carry on
and collect the answer later), such as Gi* (``stats.gi_worker``) or the PDF
(``report.pdf.render_pdf``), while it writes the other outputs.

The same functions run on the same inputs in either process, so the figures cannot differ.
Without a helper (a platform that cannot fork, a library call, a test that does not start one)
:func:`call` and :func:`submit` run the function here, as before.

    with helper.started("esda.getisord", "libpysal.weights"):
        z = helper.call(grid_z, values, neighbours)
        wait = helper.submit(render_pdf, html, path)
        ...  # other work
        wait()
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

_pool = None  # the helper's multiprocessing pool, while one is running


def _import(modules: tuple[str, ...]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            # A failed initializer would make the pool restart its worker for ever; the work
            # that needs the module raises the same error, with its traceback, when it runs.
            pass


def running() -> bool:
    return _pool is not None


def call(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)``, in the helper when one is running, else here."""
    if _pool is not None:
        return _pool.apply(fn, args)
    return fn(*args)


def submit(fn: Callable[..., T], *args: Any) -> Callable[[], T]:
    """Start ``fn(*args)`` in the helper and return a function that waits for its result (and
    raises what it raised). Without a helper, ``fn`` runs when that function is called."""
    if _pool is None:
        return lambda: fn(*args)
    pending = _pool.apply_async(fn, args)
    return pending.get


def _worth_starting(modules: tuple[str, ...]) -> bool:
    """On a platform that forks, and only if some of ``modules`` are not loaded here already
    (otherwise there is nothing to overlap)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    return any(name not in sys.modules for name in modules)


@contextlib.contextmanager
def started(*modules: str) -> Iterator[None]:
    """Run a helper that imports ``modules`` for the duration of the block, when that can help
    (:func:`_worth_starting`); a helper already running is reused."""
    global _pool
    if _pool is not None or not _worth_starting(modules):
        yield
        return
    pool = multiprocessing.get_context("fork").Pool(1, initializer=_import,
                                                    initargs=(modules,))
    _pool = pool
    try:
        yield
    finally:
        _pool = None
        pool.terminate()
        pool.join()
