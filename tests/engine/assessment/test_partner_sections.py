"""Partner sections (fire, health, ambulance, children's services, treatment) in the assessment:
counts against hand counts, a section only when loaded, coverage per partner, quarterly returns
only over whole quarters, and small counts of people withheld with their complements."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from safecity.engine.assessment import output
from safecity.engine.assessment.build import build_assessment
from safecity.engine.assessment.model import Suppressed
from safecity.engine.coverage import CoverageError
from safecity.engine.ingest.run import ingest_paths

from .synthetic import SOUTHAMPTON_LSOAS, build_extract, write_warehouse

OUTSIDE = "E01000001"


def write_csv(path, header, rows):
    import csv

    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path  # City of London: not in the area


def _months(first: dt.date, n: int):
    y, m = first.year, first.month
    for _ in range(n):
        yield dt.date(y, m, 1)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _fires(skip: str | None = None):
    """Fires over 2018/19 and 2019/20 with the counts the test expects, computed here."""
    rng = random.Random(5)
    rows, n = [], 0
    for first in _months(dt.date(2018, 4, 1), 24):
        if first.strftime("%Y-%m") == skip:
            continue
        for i in range(rng.randint(3, 9)):
            n += 1
            day = first + dt.timedelta(days=rng.randint(0, 27))
            rows.append([f"F{n}", day.isoformat(), rng.choice(["primary", "secondary"]),
                         rng.choice(["true", "false"]),
                         rng.choice(["refuse", "vehicle", "outdoor", ""]),
                         rng.choice(SOUTHAMPTON_LSOAS + (OUTSIDE, ""))])
    return rows


def _in(day: str, year: int) -> bool:
    d = dt.date.fromisoformat(day)
    return dt.date(year, 4, 1) <= d <= dt.date(year + 1, 3, 31)


@pytest.fixture
def warehouse(tmp_path, home):
    write_warehouse(tmp_path / "wh", build_extract())
    return tmp_path / "wh"


FIRE_HEADER = ["incident_ref", "incident_date", "fire_type", "deliberate", "property_type",
               "lsoa_code"]


def test_no_partner_section_when_no_partner_data_is_loaded(warehouse):
    a = build_assessment("2019/20", warehouse=warehouse)
    keys = {s.key for s in a.sections}
    assert not keys & {"fire", "health", "ambulance", "childrens_services", "treatment"}
    assert all(title not in t for t, _ in a.not_available for title in ("Fire", "Health"))


def test_fire_section_counts_match_a_hand_count(warehouse, tmp_path):
    rows = _fires()
    ingest_paths([write_csv(tmp_path / "fires.csv", FIRE_HEADER, rows)], warehouse=warehouse)
    a = build_assessment("2019/20", warehouse=warehouse)
    heads = dict(a.headlines)
    inside = [r for r in rows if r[5] != OUTSIDE]  # no LSOA: the partnership's own area
    for year, suffix in ((2019, ""), (2018, "_previous")):
        mine = [r for r in inside if _in(r[1], year) and r[3] == "true"]
        assert heads[f"deliberate_fires{suffix}"] == len(mine)
        assert heads[f"deliberate_primary_fires{suffix}"] == sum(r[2] == "primary" for r in mine)
    (fire,) = [s for s in a.sections if s.key == "fire"]
    by_type = {t.key: t for t in fire.tables}["fire_by_property_type"]
    got = {r[0]: r[1] for r in by_type.rows}
    mine = [r for r in inside if _in(r[1], 2019) and r[3] == "true"]
    assert got["Refuse"] == sum(r[4] == "refuse" for r in mine)
    assert got["Not recorded"] == sum(r[4] == "" for r in mine)
    assert got["All"] == len(mine)
    # the reference geography has no wards (the demo's geography file does)
    assert any("by ward" in p for p in fire.partial)
    assert heads["deliberate_fires_rate_per_1000"] == round(1000 * len(mine) / a.population, 2)


def test_a_missing_partner_month_stops_the_assessment_unless_partial(warehouse, tmp_path):
    ingest_paths([write_csv(tmp_path / "fires.csv", FIRE_HEADER, _fires(skip="2019-07"))],
                 warehouse=warehouse)
    with pytest.raises(CoverageError) as err:
        build_assessment("2019/20", warehouse=warehouse)
    assert "Fire data are not loaded for Jul 2019 of 2019/20" in str(err.value)
    a = build_assessment("2019/20", warehouse=warehouse, partial=True)
    (fire,) = [s for s in a.sections if s.key == "fire"]
    assert "11 of 12 months" in fire.tables[0].title


RETURN_HEADER = ["quarter", "measure", "lsoa_code", "count"]


def test_quarterly_returns_count_over_whole_quarters_only(warehouse, tmp_path):
    rows = []
    expected = {2018: 0, 2019: 0}
    for year in (2018, 2019):
        for q in ((year, 2), (year, 3), (year, 4), (year + 1, 1)):
            for measure, n in (("ed_assault_attendances", 40 + q[1]),
                               ("assault_admissions", 9), ("sharp_object_admissions", 2),
                               ("alcohol_related_admissions", 30 + q[1])):
                rows.append([f"{q[0]}-Q{q[1]}", measure, "", str(n)])
                if measure == "ed_assault_attendances":
                    expected[year] += n
    ingest_paths([write_csv(tmp_path / "ret.csv", RETURN_HEADER, rows)], source="health",
                 warehouse=warehouse)
    a = build_assessment("2019/20", warehouse=warehouse)
    heads = dict(a.headlines)
    assert heads["ed_assault_attendances"] == expected[2019]
    assert heads["ed_assault_attendances_previous"] == expected[2018]
    assert heads["assault_admissions"] == 36
    assert heads["alcohol_related_admissions"] == 4 * 30 + 2 + 3 + 4 + 1  # the returns' sum
    (health,) = [s for s in a.sections if s.key == "health"]
    assert any("quarterly returns carry no breakdown" in p for p in health.partial)
    assert any("quarterly returns" in line for line in a.data_coverage)
    # a period that is not whole quarters cannot be counted from returns
    b = build_assessment(None, period="2019-05..2019-10", warehouse=warehouse)
    (health,) = [s for s in b.sections if s.key == "health"]
    assert not health.available
    assert "not made of whole calendar quarters" in health.unavailable_reason


def test_small_counts_of_people_are_withheld_with_a_complement(warehouse, tmp_path):
    header = ["attendance_ref", "attendance_date", "setting", "patient_id", "weapon",
              "lsoa_code"]
    rows, n = [], 0
    for first in _months(dt.date(2018, 4, 1), 24):
        for weapon, k in (("body", 3), ("blunt", 1)):
            for _ in range(k):
                n += 1
                rows.append([f"A{n}", first.isoformat(), "emergency_department", f"P{n}",
                             weapon, SOUTHAMPTON_LSOAS[n % 3]])
        if first == dt.date(2019, 6, 1):
            n += 1
            rows.append([f"A{n}", first.isoformat(), "emergency_department", f"P{n}",
                         "firearm", SOUTHAMPTON_LSOAS[0]])
    ingest_paths([write_csv(tmp_path / "ed.csv", header, rows)], warehouse=warehouse)
    a = build_assessment("2019/20", warehouse=warehouse)
    (health,) = [s for s in a.sections if s.key == "health"]
    weapons = {r[0]: r[1] for r in {t.key: t for t in health.tables}["health_by_weapon"].rows}
    assert isinstance(weapons["Firearm"], Suppressed)  # one attendance
    # the total is published, so a second count is withheld: the firearm count cannot be
    # recovered by subtraction
    assert weapons["All"] == 12 * 4 + 1
    assert sum(isinstance(v, Suppressed) for v in weapons.values()) >= 2
    out = output.write(a, tmp_path / "out", pdf=False, report=False)
    text = (tmp_path / "out" / "tables" / "health_by_weapon.csv").read_text()
    assert "[c]" in text and ",1," not in text
    assert out


def test_alcohol_related_admissions_are_counted_and_small_counts_withheld(warehouse, tmp_path):
    header = ["attendance_ref", "attendance_date", "setting", "patient_id", "icd10_cause",
              "alcohol_related", "lsoa_code"]
    rows, n = [], 0
    for first in _months(dt.date(2018, 4, 1), 24):
        for _ in range(4):
            n += 1
            rows.append([f"A{n}", first.isoformat(), "emergency_department", f"P{n}", "", "",
                         SOUTHAMPTON_LSOAS[n % 3]])
        alcohol = 3 if first >= dt.date(2019, 4, 1) else (1 if first.month == 6 else 0)
        for i in range(alcohol):
            n += 1  # one a month of 2019/20 is an assault as well (Y04)
            rows.append([f"B{n}", first.isoformat(), "admission", f"P{n}",
                         "Y04" if i == 0 else "K70", "true", SOUTHAMPTON_LSOAS[n % 3]])
    ingest_paths([write_csv(tmp_path / "health.csv", header, rows)], warehouse=warehouse)
    a = build_assessment("2019/20", warehouse=warehouse)
    heads = dict(a.headlines)
    assert heads["alcohol_related_admissions"] == 36  # hand count: 3 a month
    assert heads["assault_admissions"] == 12  # the alcohol-related assaults only
    # one alcohol-related admission in 2018/19: a count of people below the threshold
    assert isinstance(heads["alcohol_related_admissions_previous"], Suppressed)
    assert heads.get("alcohol_related_admissions_change_pct") is None
    (health,) = [s for s in a.sections if s.key == "health"]
    measures = {r[0]: r[1:3] for r in {t.key: t for t in health.tables}["health_measures"].rows}
    got = measures["Admissions for alcohol-related conditions (narrow)"]
    assert got[0] == 36 and isinstance(got[1], Suppressed)
    output.write(a, tmp_path / "out", pdf=False, report=False)
    text = (tmp_path / "out" / "tables" / "health_measures.csv").read_text()
    assert "Admissions for alcohol-related conditions (narrow),36,[c]" in text
