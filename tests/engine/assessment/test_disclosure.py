"""Primary and secondary suppression: no published set of cells lets a withheld one be worked
out from its total."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from safecity.engine.assessment import disclosure
from safecity.engine.assessment.model import Suppressed


def test_a_count_below_the_threshold_is_withheld_and_zero_is_published():
    assert isinstance(disclosure.primary(4, 5), Suppressed)
    assert disclosure.primary(0, 5) == 0 and disclosure.primary(5, 5) == 5


def test_one_withheld_cell_takes_the_smallest_other_cell_with_it():
    cells = disclosure.protect([120, 3, 40, 9], 5)
    assert cells[0] == 120 and cells[2] == 40
    assert isinstance(cells[1], Suppressed) and isinstance(cells[3], Suppressed)


def test_a_small_total_withholds_every_non_zero_cell():
    cells = disclosure.protect([2, 0, 1], 5)
    assert isinstance(cells[0], Suppressed) and cells[1] == 0 and isinstance(cells[2], Suppressed)


def test_a_share_of_a_withheld_count_is_withheld_and_of_nothing_is_none():
    assert isinstance(disclosure.share(Suppressed(), 10), Suppressed)
    assert disclosure.share(3, 0) is None
    assert isinstance(disclosure.percent(2, 300, 5), Suppressed)
    assert isinstance(disclosure.percent(200, 3, 5), Suppressed)
    assert disclosure.percent(150, 300, 5) == 50.0


def test_small_whole_numbers_in_headlines_are_withheld_but_not_flags_or_shares():
    out = disclosure.protect_counts({"a": 3, "b": 30, "c": True, "d": 2.5}, 5)
    assert isinstance(out["a"], Suppressed) and out["b"] == 30 and out["c"] is True
    assert out["d"] == 2.5


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=8),
       st.integers(min_value=2, max_value=10))
def test_no_set_with_a_published_total_has_exactly_one_withheld_cell(counts, threshold):
    cells = disclosure.protect(counts, threshold)
    withheld = [c for c in cells if isinstance(c, Suppressed)]
    assert len(withheld) != 1 or sum(1 for c in counts if c) == 1
    for count, cell in zip(counts, cells):
        if not isinstance(cell, Suppressed):
            assert cell == count and (cell == 0 or cell >= threshold)
