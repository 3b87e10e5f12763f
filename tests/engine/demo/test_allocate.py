"""The exact allocation helpers: property tests with Hypothesis."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from safecity.engine.demo.allocate import choose_exact, deal, split_exact, truncated_power_law


@given(st.integers(0, 10_000), st.lists(st.floats(0.01, 100), min_size=1, max_size=30))
def test_split_exact_always_sums_to_the_total_and_is_within_one_of_the_exact_share(total, w):
    parts = split_exact(total, w)
    assert parts.sum() == total
    exact = total * np.array(w) / sum(w)
    assert np.all(np.abs(parts - exact) < 1)


@given(st.integers(0, 2**32 - 1), st.lists(st.sampled_from([0.0, 0.5, 1.0, 3.0]), min_size=1,
                                            max_size=200), st.integers(0, 250))
def test_choose_exact_picks_k_distinct_items_of_positive_weight(seed, w, k):
    w = np.array(w)
    picked = choose_exact(np.random.default_rng(seed), w, k)
    assert len(picked) == min(k, int((w > 0).sum()))
    assert len(set(picked.tolist())) == len(picked)
    assert np.all(w[picked] > 0)


@settings(max_examples=40)
@given(st.integers(0, 2**32 - 1), st.lists(st.integers(1, 12), min_size=20, max_size=400))
def test_deal_matches_the_shares_over_people_and_over_their_crimes(seed, weights):
    rng = np.random.default_rng(seed)
    w = np.array(weights)
    shares = np.array([0.2, 0.5, 0.3])
    cats = deal(rng, w, shares)
    people = np.bincount(cats, minlength=3)
    assert np.all(np.abs(people - shares * len(w)) <= 1)
    crimes = np.bincount(cats, weights=w, minlength=3)
    assert np.all(np.abs(crimes - shares * w.sum()) <= w.max() + 1)


def test_a_power_law_band_hits_its_total_and_has_a_heavy_tail():
    rng = np.random.default_rng(7)
    k = truncated_power_law(rng, 320, 5, 80, 2207 / 320, total=2207)
    assert k.sum() == 2207 and k.min() >= 5
    assert k.max() >= 3 * k.mean()
    # Most of the band sits at the bottom, as in a power law (mode at the lower bound).
    assert np.argmax(np.bincount(k)) == 5
