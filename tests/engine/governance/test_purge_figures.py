"""Figures after a purge: trends and comparisons are counted from the monthly counts it kept.

The demo holds crimes and ASB from April 2017 to December 2020. With 104 months' retention on
7 December 2026 the purge removes 2017/18 (the oldest financial year) and keeps its monthly
counts. The 2018/19 assessment compared with 2017/18, the monthly series, the scorecard and the
monthly pack's rolling year must then give the same numbers as before the purge; the expected
numbers are also counted a second way, from the demo's own CSV files with the csv module.
Figures that need the records (repeat victims, offenders, times of day) are not given for
2017/18, and the data-coverage notes and labels say so.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import shutil
from collections import Counter

import pytest

from safecity.cli import main
from safecity.engine import figures, periods
from safecity.engine.assessment.area import resolve
from safecity.engine.assessment.build import build_assessment
from safecity.engine.assessment.context import open_context
from safecity.engine.assessment.monthly import build_monthly_pack
from safecity.engine.governance.purge import purge, purged_months
from safecity.engine.governance.register import load_register, save_entry
from safecity.engine.indicators import compute_all
from safecity.engine import warehouse as warehouse_module
from safecity.engine.warehouse import Warehouse

TODAY = dt.date(2026, 12, 7)
PURGED = tuple(periods.months_in(periods.financial_year("2017/18")))


def _by_month(path, column: str, parse) -> Counter:
    with open(path, newline="", encoding="utf-8") as fh:
        return Counter(parse(row[column]) for row in csv.DictReader(fh))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    home = tmp_path_factory.mktemp("purge-figures")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    assert main(["demo"]) == 0
    crimes = _by_month(home / "demo" / "crimes.csv", "Date Recorded",
                       lambda d: dt.datetime.strptime(d[:10], "%d/%m/%Y").strftime("%Y-%m"))
    asb = _by_month(home / "demo" / "asb.csv", "recorded_date", lambda d: d[:7])
    yield home, crimes, asb
    mp.undo()


def _head(sa, key: str):
    return dict(sa.headlines).get(key)  # a figure not given has no headline row


def _tables(sa) -> dict:
    return {(s.key, t.key): t for s in sa.sections for t in s.tables}


@pytest.fixture(scope="module")
def purged(demo, tmp_path_factory):
    """(warehouse before, warehouse after the purge of 2017/18, assessments before and after)."""
    home, _, _ = demo
    before = tmp_path_factory.mktemp("before") / "w"
    shutil.copytree(home / "warehouse", before)
    after = tmp_path_factory.mktemp("after") / "w"
    shutil.copytree(home / "warehouse", after)
    for entry in load_register(after):
        if entry.source in ("police-extract", "asb"):
            save_entry(after, dataclasses.replace(entry, retention_months=104), by="test")
    result = purge(Warehouse(after), TODAY, user="test")
    removed = {(i["source"], i["table"]): tuple(i["months"]) for i in result.record["removed"]}
    assert removed[("police-extract", "crimes")] == PURGED
    assert removed[("asb", "asb_incidents")] == PURGED
    assert Warehouse(after).connect().execute(
        "SELECT count(*) FROM crimes WHERE month < '2018-04'").fetchone()[0] == 0
    return (before, after, build_assessment("2018/19", warehouse=before),
            build_assessment("2018/19", warehouse=after))


def test_the_comparison_with_a_purged_year_equals_the_one_made_from_its_records(demo, purged):
    _, crimes, asb = demo
    _, _, old, new = purged
    cur_months = periods.months_in(periods.financial_year("2018/19"))
    for key in ("recorded_crime", "asb_incidents"):
        want = crimes if key == "recorded_crime" else asb
        # a second computation: the demo's own files counted with the csv module
        assert _head(new, key) == _head(old, key) == sum(want[m] for m in cur_months)
        assert (_head(new, f"{key}_previous") == _head(old, f"{key}_previous")
                == sum(want[m] for m in PURGED))
        assert _head(new, f"{key}_change_pct") == _head(old, f"{key}_change_pct")
    before, after = _tables(old), _tables(new)
    for key in (("overview", "overview"), ("crime_groups", "crime_by_offence_group"),
                ("crime_groups", "crime_by_police_uk_category"), ("time", "monthly_series"),
                ("harm", "harm_by_subgroup"), ("sexual", "sexual_offences"),
                ("violence", "violence"), ("substances", "substances"),
                ("place", "crime_by_ward")):
        assert after[key].rows == before[key].rows, key
    strands = ("hate", "hate_crime_by_strand")  # rows carry the periods' labels
    assert [r[2:] for r in after[strands].rows] == [r[2:] for r in before[strands].rows]
    assert after[strands].rows[0][1].endswith("from monthly counts, records purged)")
    for name in ("violent_crime_change_pct", "residential_burglary_change_pct",
                 "modern_slavery_change_pct"):
        assert _head(new, name) == _head(old, name) and _head(old, name) is not None


def test_the_monthly_series_of_a_purged_year_is_its_months_counts(demo, purged):
    _, crimes, _ = demo
    *_, new = purged
    series = _tables(new)[("time", "monthly_series")]
    assert [(r[2], r[3]) for r in series.rows] == [(m, crimes[m]) for m in PURGED]


def test_labels_and_coverage_notes_say_the_year_rests_on_monthly_counts(purged):
    *_, old, new = purged
    label = "2017/18 (Apr 2017 – Mar 2018 from monthly counts, records purged)"
    assert new.comparison.label == label and old.comparison.label == "2017/18"
    assert label in _tables(new)[("overview", "overview")].title
    notes = " ".join(new.data_coverage)
    assert ("2017/18: crimes are counted for 12 of 12 months. The records of Apr 2017 – Mar 2018 "
            "were purged under retention") in notes
    assert "figures that need the records (victims, suspects, times, places below an LSOA) " \
           "are not given for 2017/18" in notes
    # the demo keeps youth justice outcomes 120 months: those before Dec 2016 went too, and
    # first-time entrants are judged against the outcomes kept
    assert ("Youth justice outcomes of Apr 2015 – Nov 2016 were purged under retention: "
            "first-time entrants are judged against the outcomes kept (from Dec 2016)") in notes
    assert not any("purged" in line for line in old.data_coverage)


def test_record_level_figures_are_not_given_for_the_purged_year(purged):
    before, after, old, new = purged
    for name in ("victims_5plus", "unique_person_victims", "victims_repeat"):
        assert _head(old, f"{name}_previous") is not None
        assert _head(new, f"{name}_previous") is None
        assert _head(new, name) == _head(old, name)  # the kept year is as it was
    wh = Warehouse(after)
    con = wh.connect()
    area = resolve("E22000120", wh, partnership="E22000120", con=con)
    year = periods.financial_year("2018/19")
    ctx = open_context(wh, area, year, periods.previous_year(year), None, None, threshold=5,
                       con=con)
    cur, prev = figures.count(ctx, "repeat_victims_5plus")
    assert cur == _head(old, "victims_5plus") and prev is None
    assert figures.count(ctx, "recorded_crime")[1] == _head(old, "recorded_crime_previous")


def test_a_year_whose_records_were_all_purged_still_gives_its_trend_figures(demo, purged):
    _, crimes, _ = demo
    _, after, _, _ = purged
    sa = build_assessment("2017/18", warehouse=after, partial=True)
    assert _head(sa, "recorded_crime") == sum(crimes[m] for m in PURGED)
    assert _head(sa, "recorded_crime_previous") is None  # 2016/17 was never loaded
    by_key = {s.key: s for s in sa.sections}
    assert not by_key["repeat"].available  # no victims: their records are gone
    assert by_key["crime_groups"].available


def test_the_scorecard_and_the_monthly_pack_count_the_purged_months_from_their_counts(purged):
    before, after, _, _ = purged
    year = periods.financial_year("2018/19")
    counted = ["recorded_crime", "violence_against_the_person", "residential_burglary",
               "asb_incidents", "most_serious_violence", "domestic_violent_crime", "hate_crime",
               "sexual_offences", "drug_offences", "alcohol_affected_crime"]
    # repeat victims need the victims; the night-time economy rule needs the offence times
    records = ["repeat_victims_5plus", "night_time_economy_crime"]
    old = compute_all(counted + records, Warehouse(before), year)
    new = compute_all(counted + records, Warehouse(after), year)
    for m in counted:
        assert (new[m].count, new[m].previous_count) == (old[m].count, old[m].previous_count), m
        assert old[m].previous_count
    for m in records:
        assert new[m].count == old[m].count and old[m].previous_count
        assert new[m].previous_count is None, m
    pack_old = build_monthly_pack("2019-03", warehouse=before)
    pack_new = build_monthly_pack("2019-03", warehouse=after)
    for key in (("rolling", "rolling_comparison"), ("exceptions", "exceptions"),
                ("month", "month_comparison")):
        assert _tables(pack_new)[key].rows == _tables(pack_old)[key].rows, key


def test_counts_written_before_they_kept_the_classification_still_give_group_figures(
        purged, tmp_path):
    """A warehouse purged by an earlier version kept only the category (the offence group):
    group totals still come from it; subgroups say the counts cannot answer for them."""
    _, after, old, _ = purged
    root = tmp_path / "w"
    shutil.copytree(after, root)
    wh = Warehouse(root)
    (file,) = wh.files("monthly_counts")
    con = wh.connect()
    con.execute(f"COPY (SELECT source, table_name, month, lsoa11_code, category, "
                f"sum(count)::INTEGER AS count FROM read_parquet('{file}') GROUP BY ALL) "
                f"TO '{file}.old' (FORMAT parquet)")
    shutil.move(f"{file}.old", file)
    # An earlier version also wrote no schema marks in the manifest (a marked file is read
    # as carrying every contract column, without opening its footer).
    manifest = json.loads((root / "manifest.json").read_text())
    for batch in manifest["batches"]:
        batch["tables"].get("monthly_counts", {}).pop("schema", None)
    (root / "manifest.json").write_text(json.dumps(manifest))
    # committed files are never rewritten in place, so the warehouse caches their columns
    warehouse_module._columns_of.cache_clear()
    assert purged_months(wh)["police-extract"] == set(PURGED)
    sa = build_assessment("2018/19", warehouse=root)
    assert _head(sa, "recorded_crime_previous") == _head(old, "recorded_crime_previous")
    assert _head(sa, "violent_crime_change_pct") == _head(old, "violent_crime_change_pct")
    assert _head(sa, "residential_burglary_previous") is None


def test_the_long_run_series_survives_the_purge(demo, purged):
    """2019/20's long-run table (every year loaded, each against the one before) reads the
    purged 2017/18 from its monthly counts: the same as before the purge and as the demo's
    files counted by financial year with the csv module."""
    _, crimes, asb = demo
    before, after, _, _ = purged
    runs = []
    for root in (before, after):
        sa = build_assessment("2019/20", warehouse=root)
        runs.append(_tables(sa)[("time", "long_run")].rows)
    old, new = runs
    assert [r[:-1] for r in new] == [r[:-1] for r in old]
    years = ("2017/18", "2018/19", "2019/20")
    fy = {y: periods.months_in(periods.financial_year(y)) for y in years}
    assert [(r[0], r[1], r[4]) for r in new] == [
        (y, sum(crimes[m] for m in fy[y]), sum(asb[m] for m in fy[y])) for y in years]
    assert [r[-1] for r in old] == [None, None, None]
    assert new[0][-1] == "Apr 2017 – Mar 2018 from monthly counts, records purged"
    assert new[1][2] == old[1][2] == round(100 * (new[1][1] - new[0][1]) / new[0][1], 1)


def test_a_purged_year_loaded_again_is_counted_once(demo, purged, tmp_path):
    """Records loaded again for purged months are counted, and their kept counts are not
    (never both)."""
    from safecity.engine.ingest.run import ingest_paths

    home, crimes, _ = demo
    _, after, old, _ = purged
    root = tmp_path / "w"
    shutil.copytree(after, root)
    again = tmp_path / "crimes-2017-18.csv"
    with open(home / "demo" / "crimes.csv", newline="", encoding="utf-8") as src, \
            open(again, "w", newline="", encoding="utf-8") as out:
        reader = csv.DictReader(src)
        writer = csv.DictWriter(out, reader.fieldnames)
        writer.writeheader()
        writer.writerows(row for row in reader if dt.datetime.strptime(
            row["Date Recorded"][:10], "%d/%m/%Y").strftime("%Y-%m") in PURGED)
    ingest_paths([again], source="police-extract", warehouse=root,
                 mapping=home / "demo" / "police-extract-mapping.yaml")
    sa = build_assessment("2018/19", warehouse=root)
    assert _head(sa, "recorded_crime_previous") == sum(crimes[m] for m in PURGED) == _head(
        old, "recorded_crime_previous")
    assert sa.comparison.label == "2017/18"  # the records are back: nothing rests on counts


def _days(path, column: str, parse) -> Counter:
    with open(path, newline="", encoding="utf-8") as fh:
        return Counter(parse(row[column]) for row in csv.DictReader(fh))


@pytest.mark.parametrize("period, years", [
    ("2019-12-06..2019-12-19", ("6 Dec – 19 Dec 2017", "6 Dec – 19 Dec 2018",
                                "6 Dec – 19 Dec 2019")),
    ("2019-03-15..2020-03-14", ("15 Mar 2017 – 14 Mar 2018", "15 Mar 2018 – 14 Mar 2019",
                                "15 Mar 2019 – 14 Mar 2020")),
    ("2019-04..2020-03", ("2017/18", "2018/19", "2019/20"))])
def test_the_long_run_table_counts_the_same_dates_each_year(demo, purged, period, years):
    """Each year of the long-run table is the period's own dates a year earlier (a fortnight in
    December is a fortnight in every December, not the month), and the period's own row is the
    overview's figure: both counted again from the demo's CSV files with the csv module. A year
    that starts in March 2017, before the demo's first month, is not counted."""
    home, _, _ = demo
    before, _, _, _ = purged
    crimes = _days(home / "demo" / "crimes.csv", "Date Recorded",
                   lambda d: dt.datetime.strptime(d[:10], "%d/%m/%Y").date())
    asb = _days(home / "demo" / "asb.csv", "recorded_date", lambda d: dt.date.fromisoformat(d[:10]))
    span = periods.parse_custom_period(period)
    spans = [span, periods.previous_year(span), periods.previous_year(periods.previous_year(span))]

    def within(days, p):
        if p.start < dt.date(2017, 4, 1):  # the demo starts in April 2017
            return None
        return sum(n for d, n in days.items() if p.start <= d <= p.end)

    sa = build_assessment(period=period, warehouse=before)
    rows = _tables(sa)[("time", "long_run")].rows
    assert [(r[0], r[1], r[4]) for r in rows] == [
        (p.label, within(crimes, p), within(asb, p)) for p in reversed(spans)]
    assert tuple(r[0] for r in rows) == years
    assert rows[-1][1] == _head(sa, "recorded_crime")
    assert rows[-1][4] == _head(sa, "asb_incidents")
    assert rows[-2][1] == _head(sa, "recorded_crime_previous")


def test_a_fortnight_cannot_be_counted_from_whole_purged_months(purged):
    """The monthly counts a purge keeps are whole months: a fortnight of December 2017 cannot
    be counted from them, so the table is left out and the section says why."""
    _, after, _, _ = purged
    sa = build_assessment(period="2019-12-06..2019-12-19", warehouse=after)
    assert ("time", "long_run") not in _tables(sa)
    (time,) = [s for s in sa.sections if s.key == "time"]
    assert ("There is no long-run table by year: the records of Dec 2017 were purged under "
            "retention and the monthly counts kept for them are whole months, so the same dates "
            "as 6 Dec – 19 Dec 2019 cannot be counted in earlier years.") in time.narrative
