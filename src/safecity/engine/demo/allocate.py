"""Exact, seeded allocation helpers shared by the demo generator.

The generator hits its calibration targets *exactly* (not in expectation), so the demo calibrates
for every seed: counts are split with the largest-remainder method, flags are given to exactly
``k`` records chosen by weighted sampling without replacement, and categories (age band, sex,
relationship) are dealt to people so that both the share of people and the share of their crimes
match the target shares.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np


def split_exact(total: int, weights: Sequence[float] | np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder; ties by order).

    >>> split_exact(10, [1, 1, 1]).tolist()
    [4, 3, 3]
    >>> int(split_exact(31889, [0.4, 0.35, 0.25]).sum())
    31889
    """
    w = np.asarray(weights, dtype="float64")
    if total <= 0 or w.sum() <= 0:
        return np.zeros(len(w), dtype="int64")
    exact = total * w / w.sum()
    base = np.floor(exact).astype("int64")
    short = int(total - base.sum())
    order = np.argsort(-(exact - base), kind="stable")
    base[order[:short]] += 1
    return base


def choose_exact(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Indices of exactly ``k`` items drawn without replacement with probability ∝ ``weights``.

    Efraimidis & Spirakis (2006) keys ``u ** (1 / w)``; items of weight 0 are never chosen, so ``k``
    is capped at the number of positive weights.

    >>> rng = np.random.default_rng(1)
    >>> sorted(choose_exact(rng, np.array([0.0, 1.0, 5.0, 1.0]), 2).tolist()) in ([1, 2], [2, 3])
    True
    """
    w = np.asarray(weights, dtype="float64")
    positive = np.flatnonzero(w > 0)
    k = min(int(k), len(positive))
    if k <= 0:
        return np.zeros(0, dtype="int64")
    u = rng.random(len(positive))
    keys = np.log(u) / w[positive]  # log of u**(1/w): same order, no underflow
    top = np.argpartition(-keys, k - 1)[:k]
    return np.sort(positive[top])


def deal(rng: np.random.Generator, weights: np.ndarray, shares: Sequence[float],
         fixed: np.ndarray | None = None) -> np.ndarray:
    """Give each person a category so that people *and* their weighted crimes match ``shares``.

    People are ordered by weight (heaviest first, ties shuffled) and each in turn gets the category
    furthest behind its target share of people so far. Dealing every weight level evenly keeps the
    crime-weighted shares on target too (error at most about one heavy person's weight). People
    already ``fixed`` (>= 0) keep theirs; the others share what is left of each category's target.

    >>> rng = np.random.default_rng(0)
    >>> cats = deal(rng, np.ones(1000, dtype=int), [0.2, 0.3, 0.5])
    >>> np.bincount(cats).tolist()
    [200, 300, 500]
    >>> fixed = np.array([0] * 150 + [-1] * 850)
    >>> np.bincount(deal(rng, np.ones(1000, dtype=int), [0.2, 0.3, 0.5], fixed)).tolist()
    [200, 300, 500]
    """
    w = np.asarray(weights)
    n = len(w)
    p = np.asarray(shares, dtype="float64")
    p = p / p.sum()
    out = np.full(n, -1, dtype="int64") if fixed is None else np.array(fixed, dtype="int64")
    free = np.flatnonzero(out < 0)
    if len(free) < n:
        need = np.clip(p * n - np.bincount(out[out >= 0], minlength=len(p)), 0, None)
        if need.sum() > 0:
            p = need / need.sum()
    order = free[np.lexsort((rng.random(len(free)), -w[free]))]
    counts = np.zeros(len(p))
    for i, person in enumerate(order):
        out[person] = int(np.argmax(p * (i + 1) - counts))
        counts[out[person]] += 1
    return out


def truncated_power_law(rng: np.random.Generator, n: int, low: int, high: int, mean: float,
                        total: int | None = None) -> np.ndarray:
    """``n`` integers in ``[low, high]`` from P(k) ∝ k**-a, with ``a`` solved so E[k] = ``mean``.

    A discrete power law (zeta) truncated to the band: the heavy tail that repeat victimisation and
    prolific offending show. With ``total`` the draws are then nudged one at a time (within the
    band) until they sum to it exactly, keeping the shape.

    >>> rng = np.random.default_rng(3)
    >>> k = truncated_power_law(rng, 320, 5, 60, 6.9, total=2207)
    >>> int(k.sum()), int(k.min()) >= 5, int(k.max()) > 3 * 6.9
    (2207, True, True)
    """
    if n <= 0:
        return np.zeros(0, dtype="int64")
    support = np.arange(low, high + 1, dtype="float64")

    def pmf(a: float) -> np.ndarray:
        q = support ** -a
        return q / q.sum()

    lo_a, hi_a = -5.0, 12.0  # mean falls as a rises; bisection on a monotone function
    for _ in range(80):
        mid = (lo_a + hi_a) / 2
        if float(pmf(mid) @ support) > mean:
            lo_a = mid
        else:
            hi_a = mid
    draws = rng.choice(support.astype("int64"), size=n, p=pmf((lo_a + hi_a) / 2))
    if total is not None:
        total = int(np.clip(total, low * n, high * n))
        diff = int(total - draws.sum())
        while diff != 0:
            step = 1 if diff > 0 else -1
            movable = np.flatnonzero((draws < high) if step > 0 else (draws > low))
            pick = rng.choice(movable, size=min(abs(diff), len(movable)), replace=False)
            draws[pick] += step
            diff = int(total - draws.sum())
    return draws.astype("int64")
