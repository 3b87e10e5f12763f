"""A Partnership Action Group problem's evidence and closing comparison
(``engine/problem_solving.py``), checked against counts made here from the hand-built extract's
Python lists (tests/engine/assessment/synthetic.py), and the WDD against Wheeler & Ratcliffe's
formula worked by hand: (T1 - T0) - (C1 - C0), variance T0 + T1 + C0 + C1."""

from __future__ import annotations

import math
import sys
from collections import Counter
from pathlib import Path

import pytest

from safecity.engine import problem_solving as ps
from safecity.engine.errors import AssessmentError

sys.path.insert(0, str(Path(__file__).parent / "assessment"))
from synthetic import build_extract, write_warehouse  # noqa: E402

PLACE = ("E01017136", "E01017137")
CONTROL = ("E01017140",)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    ex = build_extract()
    root = tmp_path_factory.mktemp("pag") / "warehouse"
    write_warehouse(root, ex)
    return root, ex


def _count(ex, lsoas, first, last):
    return sum(1 for c in ex.crimes if c["lsoa11_code"] in lsoas and first <= c["month"] <= last)


def test_evidence_counts_the_places_crimes_by_month_as_the_extract_has_them(built):
    root, ex = built
    found = ps.evidence(ps.Place(PLACE), end_month="2020-03", warehouse=root)
    expected = Counter(c["month"] for c in ex.crimes if c["lsoa11_code"] in PLACE)
    assert found.months[0] == "2019-04" and found.months[-1] == "2020-03"
    assert found.crimes == tuple(expected[m] for m in found.months)
    assert found.crime_change.current == _count(ex, PLACE, "2019-04", "2020-03")
    assert found.crime_change.previous == _count(ex, PLACE, "2018-04", "2019-03")
    assert found.asb == (None,) * 12 and found.asb_change is None  # no ASB loaded: not zero


def test_a_drawn_area_takes_the_crimes_whose_points_fall_inside_it(built):
    root, ex = built
    square = ((442000, 112000), (443000, 112000), (443000, 113000), (442000, 113000))
    found = ps.evidence(ps.Place(polygon=square), end_month="2020-03", warehouse=root)
    inside = Counter(c["month"] for c in ex.crimes if 442000 < c["easting"] < 443000
                     and 112000 < c["northing"] < 113000)
    assert found.crimes == tuple(inside[m] for m in found.months)
    assert 0 < sum(found.crimes) < sum(1 for c in ex.crimes if "2019-04" <= c["month"])


def test_the_places_lsoas_carry_their_crimes_of_the_period_and_names_for_the_map(built):
    root, ex = built
    found = ps.evidence(ps.Place(PLACE), end_month="2020-03", warehouse=root)
    assert [a["code"] for a in found.by_lsoa] == sorted(PLACE)
    for a in found.by_lsoa:
        assert a["value"] == _count(ex, (a["code"],), "2019-04", "2020-03")
        assert a["name"].startswith("Southampton") and a["lad"] == "E06000045"  # geography
    assert sum(a["value"] for a in found.by_lsoa) == found.crime_change.current


def test_a_drawn_areas_lsoas_are_those_holding_its_crimes(built):
    root, ex = built
    square = ((442000, 112000), (443000, 112000), (443000, 113000), (442000, 113000))
    found = ps.evidence(ps.Place(polygon=square), end_month="2020-03", warehouse=root)
    inside = Counter(c["lsoa11_code"] for c in ex.crimes if 442000 < c["easting"] < 443000
                     and 112000 < c["northing"] < 113000 and "2019-04" <= c["month"] <= "2020-03")
    assert {a["code"]: a["value"] for a in found.by_lsoa} == dict(inside)


def test_hotspots_in_the_place_are_hot_cells_holding_one_of_its_crimes(built):
    root, ex = built
    found = ps.evidence(ps.Place(PLACE), end_month="2020-03", warehouse=root)
    size = found.cell_size
    assert size and found.hotspots
    mine = {(math.floor(c["easting"] / size), math.floor(c["northing"] / size))
            for c in ex.crimes if c["lsoa11_code"] in PLACE and c["month"] >= "2019-04"}
    for cell in found.hotspots:
        assert cell.label.startswith("hot")
        assert (math.floor(cell.x / size), math.floor(cell.y / size)) in mine


def test_before_and_after_with_a_control_area_gives_the_wdd_worked_by_hand(built):
    root, ex = built
    out = ps.before_after(ps.Place(PLACE), ("2018-07", "2018-12"), ("2019-07", "2019-12"),
                          control=ps.Place(CONTROL), warehouse=root)
    t0, t1 = _count(ex, PLACE, "2018-07", "2018-12"), _count(ex, PLACE, "2019-07", "2019-12")
    c0 = _count(ex, CONTROL, "2018-07", "2018-12")
    c1 = _count(ex, CONTROL, "2019-07", "2019-12")
    assert (out.before, out.after, out.control_before, out.control_after) == (t0, t1, c0, c1)
    assert out.wdd.estimate == (t1 - t0) - (c1 - c0)
    assert out.wdd.variance == t0 + t1 + c0 + c1
    assert out.change.current == t1 and out.change.previous == t0


def test_without_a_control_area_there_is_no_wdd(built):
    root, _ = built
    out = ps.before_after(ps.Place(PLACE), ("2018-07", "2018-12"), ("2019-07", "2019-12"),
                          warehouse=root)
    assert out.wdd is None and out.control_before is None


def test_a_residential_burglary_comparison_counts_only_residential_burglary(built):
    root, ex = built
    out = ps.before_after(ps.Place(PLACE), ("2018-04", "2019-03"), ("2019-04", "2020-03"),
                          crime_type="residential_burglary", warehouse=root)
    burglaries = [c for c in ex.crimes if c["offence_subgroup"] == "Residential burglary"
                  and c["lsoa11_code"] in PLACE]
    assert out.before == sum(1 for c in burglaries if c["month"] <= "2019-03")
    assert out.after == sum(1 for c in burglaries if c["month"] >= "2019-04")


@pytest.mark.parametrize("before, after, words", [
    (("2018-07", "2018-12"), ("2019-07", "2019-09"), "not the same length"),
    (("2019-07", "2019-12"), ("2019-10", "2020-03"), "must end before"),
    (("2016-01", "2016-06"), ("2019-07", "2019-12"), "No crimes are loaded for"),
])
def test_a_comparison_that_cannot_be_made_is_refused_with_a_sentence(built, before, after,
                                                                      words):
    root, _ = built
    with pytest.raises(AssessmentError, match=words):
        ps.before_after(ps.Place(PLACE), before, after, warehouse=root)


def test_a_drawn_area_with_a_bad_line_names_the_line():
    with pytest.raises(AssessmentError, match="Line 2"):
        ps.parse_polygon("442000, 112000\nsomewhere\n442500, 112500")
