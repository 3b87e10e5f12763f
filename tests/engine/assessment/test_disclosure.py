"""Primary and secondary suppression: no published set of cells lets a withheld one be worked
out from its total."""

from __future__ import annotations

from hypothesis import given, settings
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


def _attack(protected, relations):
    """What the attacker of the attack test (integer programs of its own, not this module's
    audit) pins down from the protected cells and the relations it is told."""
    from .attacker import Attack

    at = Attack()
    for key, value in protected.values.items():
        at.cell(key, "[c]" if isinstance(value, Suppressed) else str(value))
    for coefs, sense in relations:
        (at.eq if sense == "==" else at.le)(coefs)
    return at.recovered()


def test_band_multiplicities_take_a_complement_so_no_band_is_pinned():
    # 2 victims with 2 crimes each among 12 victims with 14 crimes: crimes = v1 + 2 v2
    led = disclosure.Ledger(5)
    v1, v2 = led.count("v1", 10), led.count("v2", 2)
    c1, c2 = led.count("c1", 10), led.count("c2", 4)
    led.total(led.count("V", 12), [v1, v2])
    led.total(led.count("L", 14), [c1, c2])
    led.relate({c1: 1, v1: -1})
    led.relate({c2: 1, v2: -2})
    p = led.protect()
    assert isinstance(p["v2"], Suppressed) and isinstance(p["c2"], Suppressed)
    assert not _attack(p, [({"V": -1, "v1": 1, "v2": 1}, "=="), ({"L": -1, "c1": 1, "c2": 1}, "=="),
                           ({"c1": 1, "v1": -1}, "=="), ({"c2": 1, "v2": -2}, "==")])


def test_a_share_is_withheld_when_its_part_or_its_base_is():
    led = disclosure.Ledger(5)
    led.total(led.count("all", 40), [led.count("a", 3), led.count("b", 37)])
    p = led.protect()
    assert isinstance(p.pct("a", "all"), Suppressed) and isinstance(p.pct("b", "all"), Suppressed)
    assert p["all"] == 40


def test_a_figure_withheld_by_one_section_stays_withheld_in_the_next():
    registry: dict = {}
    first = disclosure.Ledger(5, registry)
    rape, other = "crimes|s|rape|in_cur", "crimes|s|other|in_cur"
    first.total(first.count("crimes|g|sexual|in_cur", 10),
                [first.count(rape, 4), first.count(other, 6)])
    first.protect()
    second = disclosure.Ledger(5, registry)  # publishes the subgroups again, no total
    second.count(rape, 4)
    second.count(other, 6)
    p = second.protect()
    assert isinstance(p[rape], Suppressed) and isinstance(p[other], Suppressed)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=4),
       st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=4))
def test_no_withheld_cell_of_a_two_way_table_is_pinned(row_a, row_b):
    # two rows with their row, column and grand totals published; the attacker of the attack
    # test (integer programs of its own) must pin no withheld cell
    from .attacker import Attack

    n = min(len(row_a), len(row_b))
    table = [row_a[:n], row_b[:n]]
    led = disclosure.Ledger(5)
    for i, row in enumerate(table):
        cells = [led.count(f"r{i}c{j}", v) for j, v in enumerate(row)]
        led.total(led.count(f"r{i}", sum(row), sensitive=False), cells)
    for j in range(n):
        led.total(led.count(f"c{j}", table[0][j] + table[1][j], sensitive=False),
                  [f"r0c{j}", f"r1c{j}"])
    led.total(led.count("all", sum(map(sum, table)), sensitive=False), ["r0", "r1"])
    p = led.protect()
    at = Attack()
    for key, value in p.values.items():
        at.cell(key, "[c]" if isinstance(value, Suppressed) else str(value))
        if not isinstance(value, Suppressed) and key.startswith("r") and "c" in key:
            assert value == 0 or value >= 5
    for i in range(2):
        at.total(f"r{i}", [f"r{i}c{j}" for j in range(n)])
    for j in range(n):
        at.total(f"c{j}", [f"r0c{j}", f"r1c{j}"])
    at.total("all", ["r0", "r1"])
    assert not at.recovered() and not p.unsafe
