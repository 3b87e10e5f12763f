"""esda's Gi* in a forked helper process, so its import overlaps the rest of the assessment.

``import esda`` costs about 0.8 s of CPU before any statistic is computed: the package imports
every esda module, all of libpysal (its graph module brings scikit-learn and pandas, its
examples module requests and BeautifulSoup) and no import path avoids that while
``esda.getisord`` itself does ``from libpysal.weights import W``. The hotspot map needs one
``G_Local`` call on a few thousand cells, at the end of the place section. ``safecity assess``
therefore forks one helper when it starts (before any DuckDB connection exists, so no database
thread is copied); the helper imports esda on the second core while the main process scans the
warehouse and computes the other sections, then computes Gi* when asked. The numbers are the
same, computed by the same function (:func:`grid_z`) on the same inputs; only the process
differs. Without a helper (another platform, a library call, the tests that do not ask for
one), :func:`grid_z` runs in the calling process, as before.

    with gi_worker.started():
        ...  # gi_star(grid) now asks the helper
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import warnings
from typing import Iterator

import numpy as np

_pool = None  # the helper's multiprocessing pool, while one is running


def _import_esda() -> None:
    import esda.getisord  # noqa: F401  (the slow part, done while the parent works)
    import libpysal.weights  # noqa: F401


def grid_z(values: np.ndarray, neighbours: dict[int, list[int]]) -> np.ndarray:
    """esda ``G_Local(star=True, transform='B', permutations=0).Zs`` on binary contiguity
    weights given as ``{cell: [neighbouring cells]}``."""
    from esda.getisord import G_Local
    from libpysal.weights import W

    weights = W(neighbours, silence_warnings=True)
    with warnings.catch_warnings():
        # esda warns when libpysal weights have islands; a lone cell still has itself
        warnings.simplefilter("ignore")
        return np.asarray(G_Local(np.asarray(values, dtype=float), weights, transform="B",
                                  star=True, permutations=0).Zs, dtype=float)


def z_scores(values: np.ndarray, neighbours: dict[int, list[int]]) -> np.ndarray:
    """:func:`grid_z`, in the helper when one is running, else here."""
    if _pool is not None:
        return _pool.apply(grid_z, (values, neighbours))
    return grid_z(values, neighbours)


def _worth_starting() -> bool:
    """On a platform that forks, and only if esda is not loaded here already (then there is
    nothing to overlap)."""
    return "esda" not in sys.modules and "fork" in multiprocessing.get_all_start_methods()


@contextlib.contextmanager
def started() -> Iterator[None]:
    """Run a helper for the duration of the block, when it can help (``_worth_starting``)."""
    global _pool
    if _pool is not None or not _worth_starting():
        yield
        return
    pool = multiprocessing.get_context("fork").Pool(1, initializer=_import_esda)
    _pool = pool
    try:
        yield
    finally:
        _pool = None
        pool.terminate()
        pool.join()
