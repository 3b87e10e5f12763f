"""Primary and secondary suppression: no published set of cells lets a withheld one be worked
out from its total."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safecity.engine.assessment import disclosure
from safecity.engine.assessment.model import Suppressed


def test_a_count_below_the_threshold_is_withheld_and_zero_is_published():
    led = disclosure.Ledger(5)
    for key, n in (("a", 4), ("b", 0), ("c", 5), ("d", 3)):
        led.count(key, n)
    led.count("e", 2, sensitive=False)
    p = led.protect()
    assert isinstance(p["a"], Suppressed) and isinstance(p["d"], Suppressed)
    assert (p["b"], p["c"], p["e"]) == (0, 5, 2)


def test_one_withheld_cell_takes_the_smallest_other_cell_of_its_total_with_it():
    led = disclosure.Ledger(5)
    cells = [led.count(k, n) for k, n in (("a", 120), ("b", 3), ("c", 40), ("d", 9))]
    led.total(led.count("all", 172, public=True), cells)
    p = led.protect()
    assert (p["a"], p["c"], p["all"]) == (120, 40, 172)
    assert isinstance(p["b"], Suppressed) and isinstance(p["d"], Suppressed)


def test_a_small_total_is_withheld_with_its_non_zero_cells():
    led = disclosure.Ledger(5)
    cells = [led.count(k, n) for k, n in (("a", 2), ("b", 0), ("c", 1))]
    led.total(led.count("all", 3), cells)
    p = led.protect()
    assert p["b"] == 0 and all(isinstance(p[k], Suppressed) for k in ("a", "c", "all"))


def test_a_share_or_derived_figure_of_a_withheld_count_is_withheld_and_of_nothing_is_none():
    led = disclosure.Ledger(5)
    led.count("part", 3)
    led.count("whole", 300)
    led.count("none", 0)
    led.count("big", 150)
    p = led.protect()
    assert isinstance(p.pct("part", "whole"), Suppressed)
    assert p.pct("big", "none") is None and p.pct("big", "whole") == 50.0
    assert isinstance(p.derived(1.5, "big", "part"), Suppressed) and p.derived(1.5, "big") == 1.5


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=8),
       st.integers(min_value=2, max_value=10))
def test_no_withheld_cell_of_a_published_total_can_be_recovered(counts, threshold):
    led = disclosure.Ledger(threshold)
    keys = [led.count(f"k{i}", n) for i, n in enumerate(counts)]
    led.total(led.count("all", sum(counts), public=True), keys)
    p = led.protect()
    for key, count in zip(keys, counts):
        cell = p[key]
        if not isinstance(cell, Suppressed):
            assert cell == count and (cell == 0 or cell >= threshold)
    # a public total of one non-zero cell is that cell: nothing can protect it, and the
    # ledger says so (``unsafe``) rather than pretend
    assert not p.unsafe or sum(1 for c in counts if c) == 1
    assert set(_attack(p, [({"all": -1, **{k: 1 for k in keys}}, "==")])) <= set(p.unsafe)


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
