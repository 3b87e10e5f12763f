"""How concentrated crime is across places: Lorenz curve, Gini coefficient, the generalized Gini
for sparse data and the Gini above what chance alone would give.

A place is an LSOA or a grid cell; its count is the number of crimes there, places with none
included (leaving them out understates concentration). With the counts sorted in ascending
order ``x_(1) <= … <= x_(N)``, total ``n``:

* **Lorenz curve**: the share of crimes in the ``k`` places with the fewest, against ``k / N``;
  read from the other end it gives the law-of-concentration statistic "half the crimes happen in
  p % of places" (``share_of_places``).
* **Gini** (the standard, "biased" form): ``G = 2 sum(i x_(i)) / (N n) - (N + 1) / N``; 0 when
  every place has the same count, ``1 - 1/N`` when one place has every crime.
* **Generalized Gini** (Bernasco & Steenbeek 2017): with fewer crimes than places even a random
  spread leaves most places at 0, so the standard Gini measures sparseness as much as
  concentration. They compare the curve with the most equal spread the data allow (one crime
  each in ``n`` places): ``G' = max(1, N / n) (G - 1) + 1``, which equals ``G`` once ``n >= N``.
* **Excess Gini**: the observed ``G`` less the ``G`` expected if the same ``n`` crimes fell on
  the same ``N`` places at random with equal chance (Poisson with a common rate, i.e. a uniform
  multinomial given the total; the counterfactual of Chalfin et al. and of Levin, Rosenfeld &
  Deckard 2017, which Bernasco & Steenbeek discuss). Near 0: no more concentrated than chance;
  the expectation is the mean over seeded random draws, so a result is reproducible.

Why hand-written: the Gini and the Lorenz curve are a sort and a cumulative sum (numpy); no
dependency the project uses computes the generalized or the excess form (the R package
``lorenzgini`` by the paper's authors does; its documented examples are the golden tests).

References: Bernasco W. & Steenbeek W. (2017) More places than crimes: implications for
evaluating the law of crime concentration at place. *J Quant Criminol* 33:451-467.
Levin A., Rosenfeld R. & Deckard M. (2017) The law of crime concentration: an application and
recommendations for future research. *J Quant Criminol* 33:635-647.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Random spreads averaged for the expected Gini under chance, and their seed.
DRAWS = 200
SEED = 20170601


@dataclass(frozen=True)
class Concentration:
    places: int
    crimes: int
    gini: float
    generalized_gini: float
    expected_gini: float  # under chance: the same crimes spread at random over the same places
    excess_gini: float  # gini - expected_gini
    half_in_share_of_places: float  # the smallest share of places holding half the crimes


def _counts(counts) -> np.ndarray:
    x = np.asarray(counts, dtype=np.float64).ravel()
    if x.size == 0:
        raise ValueError("no places: concentration needs at least one place")
    if np.any(x < 0) or not np.all(np.isfinite(x)):
        raise ValueError("crime counts must be finite and not negative")
    return x


def lorenz(counts) -> tuple[np.ndarray, np.ndarray]:
    """(share of places, share of crimes), both from 0 to 1, places in ascending order of count:
    point ``k`` is the ``k`` places with the fewest crimes and their share of all crimes."""
    x = np.sort(_counts(counts))
    total = x.sum()
    places = np.arange(x.size + 1) / x.size
    crimes = np.concatenate([[0.0], np.cumsum(x) / total]) if total else places.copy()
    return places, crimes


def gini(counts) -> float:
    """The standard Gini coefficient of the counts (0 when every place has the same count or
    there are no crimes)."""
    x = np.sort(_counts(counts))
    n, total = x.size, x.sum()
    if total == 0:
        return 0.0
    return float(2 * np.dot(np.arange(1, n + 1), x) / (n * total) - (n + 1) / n)


def generalized_gini(counts) -> float:
    """Bernasco & Steenbeek's Gini for sparse data: ``max(1, N / n) (G - 1) + 1``."""
    x = _counts(counts)
    total = x.sum()
    if total == 0:
        return 0.0
    return float(max(1.0, x.size / total) * (gini(x) - 1) + 1)


def expected_gini(places: int, crimes: int, draws: int = DRAWS, seed: int = SEED) -> float:
    """The mean Gini of ``crimes`` spread over ``places`` at random with equal chance."""
    if places <= 0:
        raise ValueError("no places: concentration needs at least one place")
    if crimes == 0:
        return 0.0
    rng = np.random.default_rng(seed)
    # Sorted draws a few at a time, so memory stays small for tens of thousands of places.
    ranks = np.arange(1, places + 1, dtype=np.float64)
    total, done = 0.0, 0
    batch = max(1, min(draws, 2_000_000 // places))
    while done < draws:
        k = min(batch, draws - done)
        spread = np.sort(rng.multinomial(crimes, np.full(places, 1.0 / places), size=k), axis=1)
        total += float(np.sum(2 * (spread @ ranks) / (places * crimes) - (places + 1) / places))
        done += k
    return total / draws


def share_of_places(counts, share_of_crimes: float = 0.5) -> float:
    """The smallest share of places (those with the most crimes first) that together hold at
    least ``share_of_crimes`` of all crimes; 0 when there are none."""
    x = np.sort(_counts(counts))[::-1]
    total = x.sum()
    if total == 0:
        return 0.0
    k = int(np.searchsorted(np.cumsum(x), share_of_crimes * total - 1e-9 * total) + 1)
    return k / x.size


def top_shares(counts, shares_of_places=(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
               ) -> list[float]:
    """The Lorenz curve read from the top: for each share of places (those with the most crimes
    first; a fraction of a place counts its part of that place's crimes), the share of all
    crimes they hold."""
    places, crimes = lorenz(counts)  # ascending
    # The top p of places hold everything but the bottom 1 - p.
    return [float(1 - np.interp(1 - p, places, crimes)) for p in shares_of_places]


def concentration(counts, draws: int = DRAWS, seed: int = SEED) -> Concentration:
    """Every measure above for one set of place counts."""
    x = _counts(counts)
    g = gini(x)
    expected = expected_gini(x.size, int(round(x.sum())), draws, seed)
    return Concentration(places=int(x.size), crimes=int(round(x.sum())), gini=g,
                         generalized_gini=generalized_gini(x), expected_gini=expected,
                         excess_gini=g - expected, half_in_share_of_places=share_of_places(x))
