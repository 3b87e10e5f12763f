"""esda's Gi* on grid counts, computed in the assessment's helper process when one is running.

``import esda`` costs about 2 s of CPU before any statistic is computed (see
:mod:`safecity.engine.helper`); ``safecity assess`` starts a helper that imports
:data:`MODULES` on the second core while the main process works, and the place section, whose
hotspot map needs one ``G_Local`` call, is built last. The numbers are the same, computed by the
same function (:func:`grid_z`) on the same inputs; only the process differs. Without a helper,
:func:`grid_z` runs in the calling process.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from .. import helper

if TYPE_CHECKING:
    import numpy as np

#: What the helper imports for Gi* (``esda.getisord`` itself does ``from libpysal.weights
#: import W``, and esda's package init imports every esda module).
MODULES = ("esda.getisord", "libpysal.weights")


def grid_z(values: np.ndarray, neighbours: dict[int, list[int]]) -> np.ndarray:
    """esda ``G_Local(star=True, transform='B', permutations=0).Zs`` on binary contiguity
    weights given as ``{cell: [neighbouring cells]}``."""
    import numpy as np
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
    return helper.call(grid_z, values, neighbours)
