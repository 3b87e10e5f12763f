"""Partner counts in the monthly pack (engine/assessment/pack_partners.py): the month against the
same month last year and the rolling 12 months against the previous 12, against hand counts; a
partial partner labelled with its own coverage; a month not sent blank with the reason, never 0;
quarterly returns over whole quarters only; small counts of people withheld with a complement."""

from __future__ import annotations

import datetime as dt

import pytest

from safecity.engine.assessment import output
from safecity.engine.assessment.model import Suppressed
from safecity.engine.assessment.monthly import build_monthly_pack
from safecity.engine.ingest.run import ingest_paths

from .synthetic import SOUTHAMPTON_LSOAS, build_extract, write_warehouse
from .test_partner_sections import FIRE_HEADER, OUTSIDE, RETURN_HEADER, _fires, _months, write_csv


@pytest.fixture
def warehouse(tmp_path, home):
    write_warehouse(tmp_path / "wh", build_extract())
    return tmp_path / "wh"


def _section(pack):
    found = [s for s in pack.sections if s.key == "partners"]
    return found[0] if found else None


def _rows(table):
    return {r[0]: r[1:] for r in table.rows}


def _deliberate(rows, first: dt.date, last: dt.date) -> int:
    return sum(1 for r in rows if r[3] == "true" and r[5] != OUTSIDE
               and first <= dt.date.fromisoformat(r[1]) <= last)


def test_no_partner_section_when_no_partner_data_is_loaded(warehouse):
    assert _section(build_monthly_pack("2020-03", warehouse=warehouse)) is None


def test_fire_counts_in_the_pack_match_a_hand_count(warehouse, tmp_path):
    rows = _fires()
    ingest_paths([write_csv(tmp_path / "fires.csv", FIRE_HEADER, rows)], warehouse=warehouse)
    pack = build_monthly_pack("2020-03", warehouse=warehouse)
    section = _section(pack)
    (table,) = section.tables
    assert table.key == "partner_fire" and not table.sensitive
    got = _rows(table)["Deliberate fires"]
    month = _deliberate(rows, dt.date(2020, 3, 1), dt.date(2020, 3, 31))
    last_year = _deliberate(rows, dt.date(2019, 3, 1), dt.date(2019, 3, 31))
    rolling = _deliberate(rows, dt.date(2019, 4, 1), dt.date(2020, 3, 31))
    before = _deliberate(rows, dt.date(2018, 4, 1), dt.date(2019, 3, 31))
    assert (got[0], got[1], got[3], got[4]) == (month, last_year, rolling, before)
    heads = dict(pack.headlines)
    assert heads["deliberate_fires_month"] == month
    assert heads["deliberate_fires_month_previous"] == last_year
    assert heads["deliberate_fires_rolling_12"] == rolling
    assert heads["deliberate_fires_rolling_12_previous"] == before
    primary = _rows(table)["Deliberate primary fires"]
    secondary = _rows(table)["Deliberate secondary fires"]
    assert primary[3] + secondary[3] == rolling
    # the pack's numbering stays whole with the new section in it
    assert [s.number for s in pack.sections] == list(range(1, len(pack.sections) + 1))
    output.write(pack, tmp_path / "out", pdf=False, report=True)
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Partner data" in html and "Deliberate primary fires" in html


def test_a_partner_month_not_sent_is_blank_with_the_reason_and_does_not_stop_the_pack(
        warehouse, tmp_path):
    rows = [r for r in _fires(skip="2019-07") if not r[1].startswith("2020-03")]
    ingest_paths([write_csv(tmp_path / "fires.csv", FIRE_HEADER, rows)], warehouse=warehouse)
    pack = build_monthly_pack("2020-03", warehouse=warehouse)  # crimes are whole: no refusal
    (table,) = _section(pack).tables
    got = _rows(table)["Deliberate fires"]
    assert got[0] is None and got[2] is None  # not 0: March 2020 was not sent
    assert any(n.startswith("The month: not available (no fire data is loaded for Mar 2020")
               for n in table.notes)
    assert "deliberate_fires_month" not in dict(pack.headlines)
    # the rolling year is like for like over the months the partner sent in both years
    rolling_label = [c.label for c in table.columns if c.key == "rolling"][0]
    assert "10 of 12 months" in rolling_label
    expected = sum(_deliberate(rows, m, m.replace(day=28)) for m in
                   _months(dt.date(2019, 4, 1), 12) if m.month not in (7, 3))
    assert got[3] == expected


def test_quarterly_returns_give_the_rolling_year_but_not_the_month(warehouse, tmp_path):
    rows = []
    for year in (2018, 2019):
        for q in ((year, 2), (year, 3), (year, 4), (year + 1, 1)):
            rows.append([f"{q[0]}-Q{q[1]}", "ed_assault_attendances", "", str(40 + q[1])])
    ingest_paths([write_csv(tmp_path / "ret.csv", RETURN_HEADER, rows)], source="health",
                 warehouse=warehouse)
    pack = build_monthly_pack("2020-03", warehouse=warehouse)
    (table,) = _section(pack).tables
    got = _rows(table)["A&E attendances for assault"]
    assert got[0] is None and got[3] == 41 + 42 + 43 + 44 and got[4] == 41 + 42 + 43 + 44
    assert any("quarterly returns" in n and "not made of whole calendar quarters" in n
               for n in table.notes)
    # a rolling year that is not whole quarters cannot be counted from returns either
    pack = build_monthly_pack("2020-02", warehouse=warehouse, partial=True)
    (table,) = _section(pack).tables
    assert _rows(table)["A&E attendances for assault"][3] is None


def test_small_counts_of_people_are_withheld_with_a_complement(warehouse, tmp_path):
    header = ["attendance_ref", "attendance_date", "setting", "patient_id", "icd10_cause",
              "lsoa_code"]
    rows, n = [], 0
    for first in _months(dt.date(2018, 4, 1), 24):
        for setting, k in (("emergency_department", 9), ("admission", 1)):
            for _ in range(k):
                n += 1
                rows.append([f"A{n}", first.isoformat(), setting, f"P{n}",
                             "Y04" if setting == "admission" else "",
                             SOUTHAMPTON_LSOAS[n % 3]])
    ingest_paths([write_csv(tmp_path / "ed.csv", header, rows)], warehouse=warehouse)
    pack = build_monthly_pack("2020-03", warehouse=warehouse)
    (table,) = _section(pack).tables
    assert table.sensitive
    got = _rows(table)
    # one admission in the month: withheld, and so is what would give it back
    assert isinstance(got["Hospital admissions for assault"][0], Suppressed)
    assert got["Hospital admissions for assault"][3] == 12
    withheld = [v for r in table.rows for v in r[1:] if isinstance(v, Suppressed)]
    assert len(withheld) >= 2
    out = output.write(pack, tmp_path / "out", pdf=False, report=False)
    text = (tmp_path / "out" / "tables" / "partner_health.csv").read_text()
    assert "[c]" in text and out
