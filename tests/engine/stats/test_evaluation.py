"""WDD, PAI and PEI against the methods.md s. 8 anchors (Wheeler & Ratcliffe 2018; ptools tests)."""

import math

import pytest

from safecity.engine.errors import AssessmentError
from safecity.engine.stats import evaluation


def test_wdd_reproduces_the_wheeler_ratcliffe_paper_example():
    r = evaluation.wdd(control=(308, 318), treated=(207, 110), disp_control=(150, 140),
                       disp_treated=(178, 157))
    assert r.estimate == -118
    assert r.variance == 1568
    assert r.se == pytest.approx(39.598, abs=1e-3)
    assert round(r.z, 2) == -2.98
    assert (round(r.low), round(r.high)) == (-196, -40)
    assert r.p == pytest.approx(0.0029, abs=1e-4)


def test_wdd_with_a_longer_pre_period_weights_counts_per_unit_time():
    r = evaluation.wdd((100, 50), (80, 20), time_weights=(2, 1))
    assert r.estimate == pytest.approx(-20)
    assert r.se == pytest.approx(math.sqrt(115))


def test_wdd_area_weights_turn_counts_into_densities():
    # a treated area twice the size of its control: compare crimes per unit area
    r = evaluation.wdd((20, 20), (40, 20), area_weights=(1, 2, 1, 1))
    assert r.estimate_local == pytest.approx((20 / 2 - 40 / 2) - 0)
    assert r.variance == pytest.approx(20 / 4 + 40 / 4 + 20 + 20)


def test_wdd_displacement_variance_follows_the_paper_not_the_ptools_bracket():
    r = evaluation.wdd((0, 0), (0, 0), disp_control=(30, 30), disp_treated=(30, 20))
    assert r.estimate_displacement == -10
    assert r.se_displacement == pytest.approx(math.sqrt(110))


def test_wdd_with_no_crime_at_all_has_no_z_score():
    r = evaluation.wdd((0, 0), (0, 0))
    assert r.z is None and r.p is None and r.estimate == 0


def test_wdd_rejects_a_count_that_is_not_a_pair():
    with pytest.raises(AssessmentError, match="for example"):
        evaluation.wdd((1, 2, 3), (4, 5))


def test_pai_and_pei_match_the_ptools_anchor():
    assert evaluation.pai((6, 3, 0), (3, 2, 1)) == (2.0, 1.5, 1.0)
    assert evaluation.pei((6, 3, 0), (3, 2, 1)) == (1.0, 1.0, 1.0)


def test_pai_table_reports_hit_rate_and_area_share():
    steps = evaluation.pai_table((6, 7, 3, 2, 1, 0), (8, 4, 4, 2, 1, 0))
    first, second = steps[0], steps[1]
    assert (first.cum_count, first.hit_rate, first.area_share) == (6, 6 / 19, 1 / 6)
    # prediction ties (4, 4) go lower count first, the least flattering order
    assert second.cum_count == 6 + 3
    assert steps[-1].pai == 1.0 and steps[-1].pei == 1.0
    # the oracle takes 7 then 6 first, so PEI at one cell is (6/19)/(7/19)
    assert first.pei == pytest.approx(6 / 7)


def test_pai_with_unequal_areas_uses_each_cells_area():
    steps = evaluation.pai_table((10, 0), (5, 1), areas=(1, 3))
    assert steps[0].pai == pytest.approx((10 / 10) / (1 / 4))


def test_pai_without_any_crime_is_none():
    assert evaluation.pai((0, 0), (1, 2)) == (None, None)


def test_single_hotspot_pai():
    assert evaluation.hotspot_pai(47, 1000, 2.5, 100) == pytest.approx(1.88)
    assert evaluation.hotspot_pai(5, 0, 2.5, 100) is None
