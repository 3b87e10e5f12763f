"""Partner intelligence counts in the warehouse and the assessment (#14): the section appears
only when the web app's counts are loaded, counts them over their own months, matches sums made
here from the rows written, protects small counts against the totals they add up to, and a
missing month stops the assessment like any other source."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter

import pytest

from safecity.engine.assessment.build import build_assessment
from safecity.engine.assessment.model import Suppressed
from safecity.engine.coverage import CoverageError
from safecity.engine.ingest.run import ingest_paths
from safecity.engine.warehouse import Warehouse

from .synthetic import build_extract, write_warehouse

HEADER = ["recorded_date", "theme", "source_agency", "ward_name", "lsoa_code", "submissions"]


def _rows(first=(2018, 4), months=24, skip=(), hate=True):
    """Counts for ``months`` months from ``first``: drugs every month from the police (many),
    ASB from the council (a few), and 2 hate submissions in one month only."""
    rows = []
    year, number = first
    for i in range(months):
        day = dt.date(year, number, 1)
        if f"{day:%Y-%m}" not in skip:
            rows.append([day, "drugs", "Police", "Bevois", "E01017153", 10 + i % 3])
            rows.append([day, "asb", "City Council", "Shirley", "", 5])
            if hate and i == 15:
                rows.append([day, "hate", "City Council", "", "", 2])
        year, number = (year, number + 1) if number < 12 else (year + 1, 1)
    return rows


def _warehouse(tmp_path, rows):
    root = tmp_path / "warehouse"
    write_warehouse(root, build_extract())
    if rows is not None:
        path = tmp_path / "intelligence-counts.csv"
        with path.open("w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            writer.writerows([[d.isoformat(), *rest] for d, *rest in rows])
        report = ingest_paths([path], source="intelligence", warehouse=Warehouse(root))
        assert report.files[0].stored == len(rows)
    return root


def _section(result, key="intelligence"):
    return next((s for s in result.sections if s.key == key), None)


def _table(section, key):
    return next(t for t in section.tables if t.key == key)


def test_the_section_is_absent_when_no_counts_are_loaded(tmp_path):
    result = build_assessment("2019/20", warehouse=_warehouse(tmp_path, None))
    assert _section(result) is None
    assert "partner_intelligence" not in dict(result.headlines)


def test_the_section_counts_the_exported_submissions_by_theme_source_and_ward(tmp_path):
    rows = _rows(hate=False)  # no small count, so nothing is withheld
    result = build_assessment("2019/20", warehouse=_warehouse(tmp_path, rows))
    section = _section(result)
    assert section is not None and section.number == 14
    cur = [r for r in rows if dt.date(2019, 4, 1) <= r[0] <= dt.date(2020, 3, 31)]
    prev = [r for r in rows if dt.date(2018, 4, 1) <= r[0] <= dt.date(2019, 3, 31)]
    heads = dict(result.headlines)
    assert heads["partner_intelligence"] == sum(r[5] for r in cur)
    assert heads["partner_intelligence_previous"] == sum(r[5] for r in prev)
    by_theme = {r[0]: (r[1], r[2]) for r in _table(section, "partner_intelligence_by_theme").rows}
    themes_cur, themes_prev = Counter(), Counter()
    for r in cur:
        themes_cur[r[1]] += r[5]
    for r in prev:
        themes_prev[r[1]] += r[5]
    assert by_theme["Drugs"] == (themes_cur["drugs"], themes_prev["drugs"])
    assert by_theme["Anti-social behaviour"] == (themes_cur["asb"], themes_prev["asb"])
    by_source = {r[0]: r[1] for r in _table(section, "partner_intelligence_by_source").rows}
    assert by_source["Police"] == sum(r[5] for r in cur if r[2] == "Police")
    wards = {r[0] for r in _table(section, "partner_intelligence_by_ward").rows}
    assert {"Bevois", "Shirley", "All submissions"} == wards


def test_a_small_count_is_withheld_and_cannot_be_worked_back_from_the_total(tmp_path):
    # The 2 hate submissions (July 2019) are below the threshold: withheld, and so is another
    # cell of the same column, so the total minus the published cells does not give them back.
    result = build_assessment("2019/20", warehouse=_warehouse(tmp_path, _rows()))
    rows = {r[0]: r for r in _table(_section(result), "partner_intelligence_by_theme").rows}
    assert isinstance(rows["Hate"][1], Suppressed)
    current = [r[1] for r in rows.values()]
    total = rows["All submissions"][1]
    withheld = [c for c in current if isinstance(c, Suppressed)]
    assert len(withheld) >= 2 or isinstance(total, Suppressed)


def test_a_month_missing_from_the_counts_stops_the_assessment_with_a_sentence(tmp_path):
    root = _warehouse(tmp_path, _rows(first=(2018, 7), months=21))  # Apr-Jun 2018 missing
    with pytest.raises(CoverageError, match="partner intelligence submissions"):
        build_assessment("2019/20", warehouse=root)
    result = build_assessment("2019/20", warehouse=root, partial=True)
    heads = dict(result.headlines)
    # like for like: Jul 2019 - Mar 2020 against Jul 2018 - Mar 2019
    rows = _rows(first=(2018, 7), months=21)
    assert heads["partner_intelligence"] == sum(
        r[5] for r in rows if dt.date(2019, 7, 1) <= r[0] <= dt.date(2020, 3, 31))
    assert heads["partner_intelligence_previous"] == sum(
        r[5] for r in rows if dt.date(2018, 7, 1) <= r[0] <= dt.date(2019, 3, 31))
    assert "9 of 12 months" in _section(result).narrative[0]
