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
