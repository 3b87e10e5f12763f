"""Coverage: a figure and its comparison are counted only over months loaded on both sides.

On the demo (crimes to December 2020) and on five months of data.police.uk files: periods the
data do not cover stop ``safecity assess`` with one sentence (exit 2); ``--partial`` compares
like for like and every label says so; a monthly pack for a month with no data is refused;
"nothing out of the ordinary" is never said when nothing could be compared; flagged months carry
a caveat beside the statements that use them; excluded months are left out. Counts are checked
against the demo's own crimes.csv read with the csv module.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter

import pytest

from safecity.cli import main
from safecity.engine import coverage, periods
from safecity.engine.assessment.build import build_assessment
from safecity.engine.assessment.monthly import build_monthly_pack
from safecity.engine.warehouse import Warehouse


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    home = tmp_path_factory.mktemp("coverage-demo")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    assert main(["demo"]) == 0
    by_month = Counter()
    with open(home / "demo" / "crimes.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            d = dt.datetime.strptime(row["Date Recorded"][:10], "%d/%m/%Y").date()
            by_month[d.strftime("%Y-%m")] += 1
    yield home, by_month
    mp.undo()


def _run(args, capsys) -> tuple[int, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out + out.err


def test_a_year_the_data_only_partly_cover_stops_with_one_sentence(demo, capsys):
    home, _ = demo
    code, text = _run(["assess", "--year", "2020/21", "--no-pdf", "--out",
                       str(home / "x")], capsys)
    assert code == 2
    assert "Jan 2021 – Mar 2021 of 2020/21" in text and "--partial" in text
    assert "Traceback" not in text and not (home / "x").exists()


@pytest.mark.parametrize("month", ["2021-02", "2030-01"])
def test_a_monthly_pack_for_a_month_with_no_data_is_refused(demo, capsys, month):
    home, _ = demo
    for extra in ([], ["--partial"]):
        code, text = _run(["assess", "--month", month, "--no-pdf", "--out",
                           str(home / "m")] + extra, capsys)
        assert code == 2
        assert f"No crimes are loaded for {periods.month(month).label}" in text
        assert "--month 2020-12" in text


def test_partial_compares_the_months_loaded_in_both_years_and_says_so(demo):
    home, by_month = demo
    sa = build_assessment("2020/21", warehouse=home / "warehouse", partial=True)
    heads = dict(sa.headlines)
    used = [f"2020-{m:02d}" for m in range(4, 13)]
    assert heads["recorded_crime"] == sum(by_month[m] for m in used)
    assert heads["recorded_crime_previous"] == sum(
        by_month[periods.shift_month(m, -12)] for m in used)
    assert sa.period.label == "2020/21 (9 of 12 months: Apr 2020 – Dec 2020)"
    assert sa.comparison.label == "2019/20 (9 of 12 months: Apr 2019 – Dec 2019)"
    overview = next(s for s in sa.sections if s.key == "overview")
    assert "9 of 12 months" in overview.narrative[0]
    assert all("9 of 12 months" in t.title for t in overview.tables)
    assert any("not loaded: Jan 2021 – Mar 2021" in line for line in sa.data_coverage)


def test_open_data_without_a_comparison_year_stops_or_says_nothing_can_be_judged(
        tmp_path, shared_data, capsys, monkeypatch):
    from safecity.engine.ingest.run import ingest_paths

    monkeypatch.setenv("SAFECITY_HOME", str(tmp_path))
    monkeypatch.setenv("SAFECITY_PROGRESS", "false")
    months = ("2018-10", "2018-11", "2018-12", "2019-01", "2019-02")
    ingest_paths([shared_data / "police-uk" / "hampshire" / f"{m}-hampshire-street.csv.gz"
                  for m in months], source="police-uk", warehouse=tmp_path / "warehouse")
    code, text = _run(["assess", "--period", "2018-10..2019-02", "--no-pdf"], capsys)
    assert code == 2 and "Oct 2017 – Feb 2018 of Oct 2017 – Feb 2018" in text
    code, text = _run(["assess", "--month", "2019-02", "--no-pdf"], capsys)
    assert code == 2 and "Mar 2018 – Sep 2018 of 12 months to Feb 2019" in text

    sa = build_assessment(period="2018-10..2019-02", warehouse=tmp_path / "warehouse",
                          partial=True)
    said = " ".join(t for s in sa.sections for t in s.narrative)
    assert "chance variation" not in said
    assert "No change can be judged" in said
    pack = build_monthly_pack("2019-02", warehouse=tmp_path / "warehouse", partial=True)
    assert pack.period.label == "12 months to Feb 2019 (5 of 12 months: Oct 2018 – Feb 2019)"
    said = " ".join(t for s in pack.sections for t in s.narrative)
    assert "Nothing is out of the ordinary" not in said
    assert "Nothing could be compared" in said


def _manifest_add(home, field: str, entry: dict) -> None:
    """Record a flag or an exclusion the way ingest does (engine/ingest/anomalies.py)."""
    path = home / "warehouse" / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.setdefault(field, []).append(entry)
    path.write_text(json.dumps(data), encoding="utf-8")


def _manifest_reset(home, field: str) -> None:
    path = home / "warehouse" / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop(field, None)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_a_flagged_month_carries_its_caveat_beside_the_busiest_month_and_changes(demo):
    home, by_month = demo
    busiest = max((m for m in by_month if "2019-04" <= m <= "2020-03"), key=by_month.get)
    _manifest_add(home, "month_flags", {"source": "police-extract", "force": None,
                                        "month": busiest, "reason": "categories out of mix"})
    try:
        sa = build_assessment("2019/20", warehouse=home / "warehouse")
    finally:
        _manifest_reset(home, "month_flags")
    time_text = " ".join(next(s for s in sa.sections if s.key == "time").narrative)
    assert f"The busiest month was {busiest}" in time_text
    assert "caveat: " in time_text and "categories out of mix" in time_text
    groups = next(s for s in sa.sections if s.key == "crime_groups").narrative[0]
    assert "statistically significant" in groups and "categories out of mix" in groups
    assert any("categories out of mix" in line for line in sa.data_coverage)


def test_an_excluded_month_is_not_counted_and_a_year_without_it_stops(demo, capsys):
    home, by_month = demo
    _manifest_add(home, "exclusions", {"source": "police-extract", "force": None,
                                       "month": "2020-01", "reason": "partial extract",
                                       "excluded_at": "2026-12-07T05:00:00+00:00"})
    try:
        with pytest.raises(coverage.CoverageError, match="Jan 2020 of 2019/20"):
            build_assessment("2019/20", warehouse=home / "warehouse")
        sa = build_assessment("2019/20", warehouse=home / "warehouse", partial=True)
    finally:
        _manifest_reset(home, "exclusions")
    used = [m for m in periods.months_in(periods.financial_year("2019/20")) if m != "2020-01"]
    heads = dict(sa.headlines)
    assert heads["recorded_crime"] == sum(by_month[m] for m in used)
    assert heads["recorded_crime_previous"] == sum(
        by_month[periods.shift_month(m, -12)] for m in used)
    assert "11 of 12 months" in sa.period.label


def test_the_scorecard_counts_like_for_like_and_says_so(demo):
    from safecity.engine.indicators import compute

    home, by_month = demo
    value = compute("recorded_crime", Warehouse(home / "warehouse"),
                    periods.financial_year("2020/21"))
    used = [f"2020-{m:02d}" for m in range(4, 13)]
    assert value.count == sum(by_month[m] for m in used)
    assert value.previous_count == sum(by_month[periods.shift_month(m, -12)] for m in used)
    assert "9 of 12 months" in value.note


# -- every source is counted over its own months ---------------------------------------------


def _copy_without(home, tmp_path, table: str, date_col: str, months: set[str]):
    """A copy of the demo warehouse whose ``table`` has no rows in ``months``."""
    import shutil

    import duckdb

    root = tmp_path / "warehouse"
    shutil.copytree(home / "warehouse", root)
    (root / ".lock").unlink(missing_ok=True)
    _drop_months(root, table, date_col, months)
    return root


def _drop_months(root, table: str, date_col: str, months: set[str]) -> None:
    """Remove ``table``'s rows in ``months`` from the warehouse at ``root``."""
    import duckdb

    for path in (root / "data" / table).glob("*.parquet"):
        tmp = path.with_suffix(".tmp")
        con = duckdb.connect()
        con.execute(f"COPY (SELECT * FROM read_parquet('{path}') WHERE strftime({date_col}, "
                    f"'%Y-%m') NOT IN ({', '.join(repr(m) for m in months)})) TO '{tmp}' "
                    "(FORMAT parquet)")
        con.close()
        tmp.replace(path)


def _csv_months(home, name: str, date_col: str) -> Counter:
    with open(home / "demo" / name, newline="", encoding="utf-8") as fh:
        return Counter(row[date_col][:7] for row in csv.DictReader(fh))


def _year(fy: str) -> list[str]:
    return list(periods.months_in(periods.financial_year(fy)))


def test_asb_missing_a_month_crimes_have_stops_or_is_counted_over_its_own_months(
        demo, tmp_path):
    home, by_month = demo
    root = _copy_without(home, tmp_path, "asb_incidents", "recorded_date", {"2019-06"})
    with pytest.raises(coverage.CoverageError) as err:
        build_assessment("2019/20", warehouse=root)
    assert "ASB incidents are not loaded for Jun 2019 of 2019/20" in str(err.value)
    assert "rimes are not loaded" not in str(err.value)  # crimes cover the year

    sa = build_assessment("2019/20", warehouse=root, partial=True)
    heads = dict(sa.headlines)
    asb = _csv_months(home, "asb.csv", "recorded_date")
    used = [m for m in _year("2019/20") if m != "2019-06"]
    assert heads["asb_incidents"] == sum(asb[m] for m in used)
    assert heads["asb_incidents_previous"] == sum(asb[periods.shift_month(m, -12)] for m in used)
    assert heads["recorded_crime"] == sum(by_month[m] for m in _year("2019/20"))
    assert sa.period.label == "2019/20"  # crimes are whole
    overview = next(s for s in sa.sections if s.key == "overview")
    row = next(r for r in overview.tables[0].rows if r[0].startswith("Anti-social"))
    assert "2019/20 (11 of 12 months: Apr 2019 – May 2019, Jul 2019 – Mar 2020)" in row[0]
    assert "11 of 12 months" in " ".join(overview.narrative)
    assert any(line.startswith("2019/20: ASB incidents are counted for 11 of 12 months")
               and "not loaded: Jun 2019" in line for line in sa.data_coverage)
    assert any(line.startswith("2019/20: youth justice outcomes are counted for 12 of 12")
               for line in sa.data_coverage)


def test_first_time_entrants_are_counted_over_the_youth_justice_months(demo, tmp_path):
    home, _ = demo
    # The youth justice records end in December 2019; crimes run to December 2020.
    gone = {f"2020-{m:02d}" for m in range(1, 13)}
    root = _copy_without(home, tmp_path, "youth_justice", "outcome_date", gone)
    with pytest.raises(coverage.CoverageError,
                       match="Youth justice outcomes are not loaded for Jan 2020 – Mar 2020 "
                             "of 2019/20"):
        build_assessment("2019/20", warehouse=root)
    sa = build_assessment("2019/20", warehouse=root, partial=True)
    assert sa.period.label == "2019/20"  # crimes are whole, youth justice is not
    youth = next(s for s in sa.sections if s.key == "youth")
    fte = next(t for t in youth.tables if t.key == "first_time_entrants")
    assert [r[0] for r in fte.rows] == ["2019/20 (9 of 12 months: Apr 2019 – Dec 2019)",
                                        "2018/19 (9 of 12 months: Apr 2018 – Dec 2018)"]
    full = build_assessment("2019/20", warehouse=home / "warehouse")
    full_fte = next(t for t in next(s for s in full.sections if s.key == "youth").tables
                    if t.key == "first_time_entrants")
    assert full_fte.rows[1][0] == "2018/19"
    # Fewer months of the comparison year are counted than on the full warehouse.
    assert dict(sa.headlines)["fte_count_previous"] < dict(full.headlines)["fte_count_previous"]


def test_referrals_are_counted_over_their_own_months(demo, tmp_path):
    home, _ = demo
    # The referrals start in July 2018; crimes start in April 2017.
    gone = {m for m in _csv_months(home, "referrals.csv", "referral_date") if m < "2018-07"}
    root = _copy_without(home, tmp_path, "referrals", "referral_date", gone)
    with pytest.raises(coverage.CoverageError,
                       match="High-risk domestic abuse referrals are not loaded for Apr 2018 "
                             "– Jun 2018 of 2018/19"):
        build_assessment("2019/20", warehouse=root)
    sa = build_assessment("2019/20", warehouse=root, partial=True)
    refs = _csv_months(home, "referrals.csv", "referral_date")
    used = [m for m in _year("2019/20") if m >= "2019-07"]
    both = used + [periods.shift_month(m, -12) for m in used]
    assert dict(sa.headlines)["hrda_referrals"] == sum(refs[m] for m in both)
    domestic = next(s for s in sa.sections if s.key == "domestic")
    title = next(t.title for t in domestic.tables if t.key == "hrda_referrals")
    assert "2018/19 (9 of 12 months: Jul 2018 – Mar 2019)" in title
    assert "2019/20 (9 of 12 months: Jul 2019 – Mar 2020)" in title


def test_a_month_purged_under_retention_is_said_to_be_purged(demo, tmp_path):
    home, _ = demo
    root = _copy_without(home, tmp_path, "asb_incidents", "recorded_date", {"2018-05"})
    path = root / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["purges"] = [{"at": "2026-12-07T05:00:00+00:00", "by": "test", "rules": [],
                       "removed": [{"source": "asb", "table": "asb_incidents",
                                    "months": ["2018-05"], "rows": 1}]}]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(coverage.CoverageError) as err:
        build_assessment("2019/20", warehouse=root)
    said = str(err.value)
    assert ("The records of ASB incidents for May 2018 of 2018/19 were purged under the asb "
            "source's retention (only monthly counts remain in the monthly_counts table)") in said
    assert "not loaded for May 2018" not in said and "load those months" not in said
    assert "--partial" in said


def test_hate_reports_missing_a_month_stop_or_are_counted_over_their_own_months(demo, tmp_path):
    home, _ = demo
    root = _copy_without(home, tmp_path, "hate_reports", "recorded_date", {"2019-09"})
    with pytest.raises(coverage.CoverageError,
                       match="Hate reports are not loaded for Sep 2019 of 2019/20"):
        build_assessment("2019/20", warehouse=root)
    sa = build_assessment("2019/20", warehouse=root, partial=True)
    hate = next(s for s in sa.sections if s.key == "hate")
    centres = next(t for t in hate.tables if t.key == "hate_third_party_by_centre")
    assert "2019/20 (11 of 12 months: Apr 2019 – Aug 2019, Oct 2019 – Mar 2020)" in centres.title
    assert any(line.startswith("2019/20: hate reports are counted for 11 of 12 months")
               for line in sa.data_coverage)



def test_the_monthly_packs_asb_and_hate_labels_show_their_own_coverage(demo, tmp_path):
    home, by_month = demo
    # Crimes cover every month; ASB and hate reports each miss Sep 2019, a month of the
    # rolling year of a pack for June 2020 (and of no month's comparison).
    root = _copy_without(home, tmp_path, "asb_incidents", "recorded_date", {"2019-09"})
    _drop_months(root, "hate_reports", "recorded_date", {"2019-09"})
    with pytest.raises(coverage.CoverageError, match="Sep 2019"):
        build_monthly_pack("2020-06", warehouse=root)
    pack = build_monthly_pack("2020-06", warehouse=root, partial=True)
    rolling = periods.rolling_12_months("2020-06")
    assert pack.period.label == rolling.label  # crimes are whole
    heads = dict(pack.headlines)
    assert heads["recorded_crime_rolling_12"] == sum(by_month[m]
                                                     for m in periods.months_in(rolling))
    own = (f" ({rolling.label} (11 of 12 months: Jul 2019 – Aug 2019, Oct 2019 – Jun 2020) "
           f"against {periods.previous_year(rolling).label} (11 of 12 months: Jul 2018 – "
           "Aug 2018, Oct 2018 – Jun 2019))")
    section = next(s for s in pack.sections if s.key == "rolling")
    assert [r[0] for r in section.tables[0].rows if "nti-social" in r[0]] == [
        "Anti-social behaviour incidents" + own]
    assert any(own in line for line in section.narrative if "ASB" in line)
    asb = _csv_months(home, "asb.csv", "recorded_date")
    used = [m for m in periods.months_in(rolling) if m != "2019-09"]
    assert heads["asb_incidents_rolling_12"] == sum(asb[m] for m in used)
    assert heads["asb_incidents_rolling_12_previous"] == sum(
        asb[periods.shift_month(m, -12)] for m in used)
    # The month and its comparison are whole for ASB: its label is plain.
    section = next(s for s in pack.sections if s.key == "month")
    assert [r[0] for r in section.tables[0].rows if "nti-social" in r[0]] == [
        "Anti-social behaviour incidents"]
    hate = next(s for s in pack.sections if s.key == "third_party_hate")
    titles = {t.key: t.title for t in hate.tables}
    assert titles["hate_third_party_by_centre"].endswith(
        f"{rolling.label} (11 of 12 months: Jul 2019 – Aug 2019, Oct 2019 – Jun 2020)")
    assert titles["hate_third_party_by_centre_in_cp"].endswith(", Jun 2020")
