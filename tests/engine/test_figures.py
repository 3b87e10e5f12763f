"""One definition per figure: every scorecard indicator equals the matching figure of the
Strategic Assessment and of the monthly pack, on the demo warehouse and on an open-data
(data.police.uk) warehouse, for several periods.

The assessment is built through its own entry points (``build_assessment``,
``build_monthly_pack``) and its published headlines are read back; the indicators through
``indicators.compute_all``, which the web app's scorecard calls. Nothing here recomputes a
figure, so a rule restated anywhere (area, source precedence, offence selection, case of
offence names, first-time-entrant age) shows up as a difference.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from safecity.engine import contract, periods
from safecity.engine.assessment.build import build_assessment
from safecity.engine.assessment.model import Suppressed
from safecity.engine.assessment.monthly import build_monthly_pack
from safecity.engine.indicators import METRICS, compute_all
from safecity.engine.warehouse import Batch, Warehouse, new_batch_id

#: scorecard metric -> (assessment headline key, scale applied to the indicator to compare).
HEADLINE_OF = {
    "recorded_crime": "recorded_crime",
    "violence_against_the_person": "violent_crime",
    "domestic_violent_crime": "domestic_violent_crime",
    "repeat_victims_5plus": "victims_5plus",
    "hate_crime": "hate_crime",
    "most_serious_violence": "most_serious_violence",
    "residential_burglary": "residential_burglary",
    "asb_incidents": "asb_incidents",
    "fte_rate": "fte_count",  # the count; the rate is checked below
    "bladed_implement_offences": "bladed_implement_offences",
    "first_time_entrants": "fte_count",
    # issue #11's scorecard metrics
    "sexual_offences": "sexual_offences_crimes",
    "drug_offences": "drug_offences",
    "alcohol_affected_crime": "alcohol_affected_crime",
    "drug_affected_crime": "drug_affected_crime",
    "night_time_economy_crime": "night_time_economy_crime",
    "youth_reoffending": "youth_reoffenders",  # the re-offenders; the rate is checked below
}


def _plain(value):
    return None if value is None or isinstance(value, Suppressed) else value


def _assert_indicators_equal_assessment(sa, wh: Warehouse):
    heads = dict(sa.headlines)
    got = compute_all(list(METRICS), wh, sa.period)
    assert set(HEADLINE_OF) == set(METRICS), "a new metric needs its assessment figure here"
    differences = []
    for metric, key in HEADLINE_OF.items():
        value = got[metric]
        want = (_plain(heads.get(key)), _plain(heads.get(f"{key}_previous")))
        have = (value.count, value.previous_count)
        if isinstance(heads.get(key), Suppressed):  # withheld in the publication: counts only
            continue
        if have != want:
            differences.append(f"{metric} for {sa.period.label}: scorecard {have}, "
                               f"assessment {key} {want}")
    fte = got["fte_rate"]
    rate = _plain(heads.get("fte_rate_per_100k"))
    if rate is not None or fte.value is not None:
        assert fte.value is not None and rate == round(fte.value, 1), (fte, rate)
    # What a published run shows for an indicator (web/evidence) is the headline its metric
    # names: the same value as the scorecard's (a rate to one decimal place).
    for metric, spec in METRICS.items():
        published = _plain(heads.get(spec.headline))
        value = got[metric].value
        if published is not None or (value is not None and not isinstance(
                heads.get(spec.headline), Suppressed)):
            assert value is not None and published == pytest.approx(round(value, 1)), (
                metric, spec.headline, published, value)
    reo = got["youth_reoffending"]
    pct = (_plain(heads.get("youth_reoffending_binary_pct")),
           _plain(heads.get("youth_reoffending_binary_pct_previous")))
    if pct[0] is not None:
        assert (reo.value, reo.previous) == pct, (reo, pct)
    assert not differences, "\n".join(differences)
    return got


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from safecity.cli import main

    home = tmp_path_factory.mktemp("figures-demo")
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    assert main(["demo"]) == 0
    yield Warehouse(home / "warehouse")
    mp.undo()


@pytest.mark.parametrize("kwargs", [
    {"year": "2019/20"},
    {"year": "2018/19"},
    {"period": "2020-01..2020-06"},
    {"period": "2019-11-15..2020-02-10"},
])
def test_every_scorecard_indicator_equals_the_assessment_figure_on_the_demo(demo, kwargs):
    sa = build_assessment(warehouse=demo.root, **kwargs)
    got = _assert_indicators_equal_assessment(sa, demo)
    assert got["recorded_crime"].count > 1000 and got["fte_rate"].count > 0
    # The scorecard metrics added for issue #11: knife crime, and entrants as a count too.
    assert got["bladed_implement_offences"].count > 0
    assert got["first_time_entrants"].count == got["fte_rate"].count
    for metric in ("sexual_offences", "drug_offences", "alcohol_affected_crime",
                   "drug_affected_crime", "night_time_economy_crime"):
        assert got[metric].count > 0 and got[metric].previous_count > 0, got[metric]


@pytest.mark.parametrize("month", ["2020-11", "2019-06"])
def test_the_monthly_packs_rolling_year_equals_the_scorecard_headline_on_the_demo(demo, month):
    pack = build_monthly_pack(month, warehouse=demo.root)
    heads = dict(pack.headlines)
    rolling = periods.rolling_12_months(month)
    got = compute_all(["recorded_crime", "asb_incidents"], demo, rolling)
    assert (got["recorded_crime"].count, got["recorded_crime"].previous_count) == (
        heads["recorded_crime_rolling_12"], heads["recorded_crime_rolling_12_previous"])
    assert (got["asb_incidents"].count, got["asb_incidents"].previous_count) == (
        heads["asb_incidents_rolling_12"], heads["asb_incidents_rolling_12_previous"])
    the_month = compute_all(["recorded_crime"], demo, periods.month(month))["recorded_crime"]
    assert (the_month.count, the_month.previous_count) == (
        heads["recorded_crime_month"], heads["recorded_crime_month_previous"])


OPEN_MONTHS = ("2018-10", "2018-11", "2018-12", "2019-01", "2019-02")


@pytest.fixture(scope="module")
def open_data(tmp_path_factory, shared_data):
    from safecity.engine.ingest.run import ingest_paths

    home = tmp_path_factory.mktemp("figures-open")
    files = [shared_data / "police-uk" / "hampshire" / f"{m}-hampshire-street.csv.gz"
             for m in OPEN_MONTHS]
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    ingest_paths(files, source="police-uk", warehouse=home / "warehouse")
    yield Warehouse(home / "warehouse")
    mp.undo()


@pytest.mark.parametrize("period", ["2018-10..2019-02", "2018-11..2019-01", "2019-01..2019-01"])
def test_every_scorecard_indicator_equals_the_assessment_figure_on_open_data(open_data, period):
    sa = build_assessment(warehouse=open_data.root, period=period, partial=True)
    got = _assert_indicators_equal_assessment(sa, open_data)
    # Southampton's crimes only (the area rule), never every Hampshire row loaded.
    assert 0 < got["recorded_crime"].count < 20000
    assert got["domestic_violent_crime"].value is None
    assert "police.uk" in got["domestic_violent_crime"].note


def test_the_monthly_pack_and_the_scorecard_agree_on_open_data(open_data):
    pack = build_monthly_pack("2019-02", warehouse=open_data.root, partial=True)
    heads = dict(pack.headlines)
    got = compute_all(["recorded_crime", "asb_incidents"], open_data, periods.month("2019-02"))
    assert got["recorded_crime"].count == heads["recorded_crime_month"]
    assert got["asb_incidents"].count == heads["asb_incidents_month"]


# -- the rules the two used to disagree on, each on a small warehouse ----------------------

AREA = "E22000120"
FY = periods.financial_year("2019/20")


def _load(wh: Warehouse, table: str, rows: list[dict]) -> None:
    data = pa.Table.from_pylist(
        [{**r, "batch_id": "b", "source_line": n} for n, r in enumerate(rows, 1)],
        schema=contract.table(table).arrow_schema)
    batch_id = new_batch_id()
    with wh.transaction() as tx:
        written = tx.write_table(table, batch_id, data)
        months = sorted({r["month"] for r in rows if "month" in r})
        tx.add(Batch(batch_id, "test", table, [{"name": table, "sha256": batch_id, "size": 0}],
                     months, {table: written}, len(rows), len(rows), 0))


def _crime(ref, day, source="police-extract", lsoa="L1", **extra):
    return {"crime_ref": ref, "source": source, "recorded_date": day,
            "month": day.strftime("%Y-%m"), "lsoa11_code": lsoa, **extra}


@pytest.fixture
def small(home):
    wh = Warehouse(home / "warehouse")
    _load(wh, "geography", [
        {"lsoa11_code": "L1", "lad_code": "E06000045", "csp_code": AREA, "population": 1500,
         "population_10_17": 200},
        {"lsoa11_code": "L9", "lad_code": "E07000001", "csp_code": "E22000999",
         "population": 1500, "population_10_17": 100}])
    return wh


def test_an_extract_wins_over_police_uk_and_its_crimes_without_an_lsoa_count(small, monkeypatch):
    monkeypatch.setenv("SAFECITY_PARTNERSHIP_CSP", AREA)
    day = dt.date(2019, 6, 3)
    _load(small, "crimes", [
        _crime("E1", day, offence_group="VIOLENCE AGAINST THE PERSON", offence_code="105A"),
        _crime("E2", day, lsoa=None, offence_group="Violence against the person",
               offence_code="105A"),
        _crime("U1", day, source="police-uk", police_uk_category="Violence and sexual offences"),
        _crime("U2", day, source="police-uk", police_uk_category="Burglary"),
    ])
    got = compute_all(["recorded_crime", "violence_against_the_person"], small, FY, AREA)
    # The extract's 2 crimes (one with no LSOA), never the 2 police.uk rows as well; the
    # offence group matched whatever its case.
    assert got["recorded_crime"].count == 2
    assert got["violence_against_the_person"].count == 2
    sa = build_assessment(warehouse=small.root, year="2019/20", area=AREA, partial=True)
    assert dict(sa.headlines)["recorded_crime"] == 2


def test_a_first_time_entrant_is_aged_10_to_17_on_the_first_outcome(small, monkeypatch):
    monkeypatch.setenv("SAFECITY_PARTNERSHIP_CSP", AREA)
    # Crimes in every month of both years, so both years are wholly loaded.
    _load(small, "crimes", [_crime(f"E{m}", dt.date(2018 + (3 + m) // 12, (3 + m) % 12 + 1, 3))
                            for m in range(24)])

    def outcome(key, day, age_offence, age_outcome):
        return {"young_person_key": key, "offence_date": day, "outcome_date": day,
                "month": day.strftime("%Y-%m"), "outcome_type": "caution",
                "age_at_offence": age_offence, "age_at_outcome": age_outcome}

    _load(small, "youth_justice", [
        outcome("a", dt.date(2019, 6, 1), 15, 15),   # counts
        outcome("b", dt.date(2019, 7, 1), 17, 18),   # offence at 17, outcome at 18: not 10-17
        outcome("c", dt.date(2019, 8, 1), 16, None),  # outcome age unknown: age at offence
        outcome("d", dt.date(2018, 8, 1), 14, 14),   # first outcome last year
        outcome("d", dt.date(2019, 8, 1), 15, 15),   # so not first-time this year
        # Records from the first month of the comparison year to the last of the year, so
        # both years are wholly covered (engine/coverage.py); aged 19, never counted.
        outcome("e", dt.date(2018, 4, 2), 19, 19), outcome("e", dt.date(2020, 3, 2), 19, 19),
    ])
    fte = compute_all(["fte_rate"], small, FY, AREA)["fte_rate"]
    assert (fte.count, fte.previous_count) == (2, 1)
    assert fte.value == pytest.approx(2 / 200 * 100000)


def _violence(ref, when, group="Violence against the person", lsoa="L1", nte=None):
    return _crime(ref, when.date(), lsoa=lsoa, offence_group=group, offence_code="105A",
                  committed_from=when, night_time_economy=nte)


def test_night_time_economy_crime_is_the_flag_or_violence_in_its_nights_hours_and_area(
        small, monkeypatch):
    monkeypatch.setenv("SAFECITY_PARTNERSHIP_CSP", AREA)
    at = dt.datetime
    _load(small, "crimes", [
        _violence("fri23", at(2019, 6, 7, 23, 0)),   # Friday 7 June, 23:00: counts
        _violence("sat02", at(2019, 6, 8, 2, 30)),   # 02:30 on Saturday is Friday night
        _violence("sat22", at(2019, 6, 8, 22, 0)),   # Saturday night
        _violence("sun05", at(2019, 6, 9, 5, 59)),   # the last minute of Saturday night
        _violence("sun06", at(2019, 6, 9, 6, 0)),    # 06:00: the night is over
        _violence("fri19", at(2019, 6, 7, 19, 59)),  # before 20:00
        _violence("thu23", at(2019, 6, 6, 23, 0)),   # Thursday night
        _violence("fri02", at(2019, 6, 7, 2, 0)),    # 02:00 on Friday is Thursday night
        _violence("theft", at(2019, 6, 7, 23, 0), group="Theft offences"),  # not violence
        _violence("flag", at(2019, 6, 4, 12, 0), group="Theft offences", nte=True),  # flagged
        _violence("both", at(2019, 6, 7, 23, 30), lsoa="L1", nte=True),  # counted once
    ])

    def nte():
        got = compute_all(["night_time_economy_crime"], small, FY, AREA)
        sa = build_assessment(warehouse=small.root, year="2019/20", area=AREA, partial=True)
        assert got["night_time_economy_crime"].count == \
            dict(sa.headlines)["night_time_economy_crime"]
        return got["night_time_economy_crime"].count

    assert nte() == 6  # fri23, sat02, sat22, sun05, flag, both
    monkeypatch.setenv("SAFECITY_NTE_NIGHTS", "thu")
    assert nte() == 4  # thu23, fri02, flag, both
    monkeypatch.setenv("SAFECITY_NTE_NIGHTS", "fri,sat")
    monkeypatch.setenv("SAFECITY_NTE_LSOAS", "L2")  # the area's town centre is elsewhere
    assert nte() == 2  # the flagged ones only


def test_nte_settings_refuse_bad_values_with_a_sentence(monkeypatch):
    from safecity.engine import settings
    from safecity.engine.errors import ConfigError

    monkeypatch.setenv("SAFECITY_NTE_HOURS", "20-20")
    with pytest.raises(ConfigError, match="SAFECITY_NTE_HOURS"):
        settings.get("nte_hours")
    monkeypatch.setenv("SAFECITY_NTE_NIGHTS", "friday,payday")
    with pytest.raises(ConfigError, match="weekday"):
        settings.get("nte_nights")


def test_youth_reoffending_is_the_latest_matured_cohort_against_a_year_earlier(
        small, monkeypatch):
    monkeypatch.setenv("SAFECITY_PARTNERSHIP_CSP", AREA)
    monkeypatch.setenv("SAFECITY_SUPPRESSION_THRESHOLD", "1")  # tiny cohorts, all published
    d = dt.date

    def outcome(key, offence, proven):
        return {"young_person_key": key, "offence_date": offence, "outcome_date": proven,
                "month": proven.strftime("%Y-%m"), "outcome_type": "caution",
                "age_at_offence": 15, "age_at_outcome": 15}

    _load(small, "youth_justice", [
        # Cohort Jan-Mar 2017: e and f; f re-offends (committed and proven in time): 1 of 2.
        outcome("e", d(2017, 1, 20), d(2017, 2, 1)),
        outcome("f", d(2017, 1, 20), d(2017, 2, 1)), outcome("f", d(2017, 5, 1), d(2017, 8, 1)),
        # Cohort Jan-Mar 2018, index dates 10 February: 1 of 4 re-offends.
        outcome("a", d(2018, 1, 5), d(2018, 2, 10)), outcome("a", d(2018, 6, 1), d(2018, 9, 1)),
        # b's next offence is committed after the 12-month follow-up: not a re-offence
        outcome("b", d(2018, 1, 5), d(2018, 2, 10)), outcome("b", d(2019, 3, 1), d(2019, 4, 1)),
        # c's is committed in time but proven after 18 months: not counted
        outcome("c", d(2018, 1, 5), d(2018, 2, 10)), outcome("c", d(2018, 12, 1), d(2019, 10, 1)),
        outcome("d", d(2018, 1, 5), d(2018, 2, 10)),
    ])
    # 2018/19 against 2017/18: cohorts from April 2017 to March 2019. The last outcome (1 Oct
    # 2019) matures every cohort that ended by 31 March 2018; Jan-Mar 2018 is the latest.
    period = periods.financial_year("2018/19")
    reo = compute_all(["youth_reoffending"], small, period, AREA)["youth_reoffending"]
    assert (reo.value, reo.previous, reo.count, reo.previous_count) == (25.0, 50.0, 1, 1)
    assert "Jan 2018 – Mar 2018" in reo.note
    heads = dict(build_assessment(warehouse=small.root, year="2018/19", area=AREA,
                                  partial=True).headlines)
    assert (heads["youth_reoffending_binary_pct"], heads["youth_reoffending_binary_pct_previous"],
            heads["youth_reoffenders"]) == (25.0, 50.0, 1)


def test_a_cohort_cut_by_the_dates_asked_for_is_labelled_by_its_span(small, monkeypatch):
    """The youth table's cohorts run from the comparison's start to the period's end; a quarter
    cut by either is labelled by the index dates it counts (periods.label_for), not as the
    whole quarter, and the headline cohort likewise."""
    monkeypatch.setenv("SAFECITY_PARTNERSHIP_CSP", AREA)
    monkeypatch.setenv("SAFECITY_SUPPRESSION_THRESHOLD", "1")
    d = dt.date

    def outcome(key, day):
        return {"young_person_key": key, "offence_date": day - dt.timedelta(days=20),
                "outcome_date": day, "month": day.strftime("%Y-%m"), "outcome_type": "caution",
                "age_at_offence": 15, "age_at_outcome": 15}

    _load(small, "youth_justice", [
        outcome("h", d(2017, 10, 2)),   # before the comparison's start (16 Oct 2017): left out
        outcome("g", d(2017, 11, 20)),  # Oct-Dec 2017, cut to 16 Oct - 31 Dec 2017
        outcome("j", d(2018, 5, 1)),    # Apr-Jun 2018, whole
        outcome("k", d(2019, 10, 3)),   # Oct-Dec 2019, cut at the period's end (15 Oct 2019)
        outcome("z", d(2021, 12, 1)),   # the last outcome: every cohort above has matured
    ])
    # 16 Oct 2018 - 15 Oct 2019 against 16 Oct 2017 - 15 Oct 2018
    sa = build_assessment(warehouse=small.root, period="2018-10-16..2019-10-15", area=AREA,
                          partial=True)
    (table,) = [t for s in sa.sections for t in s.tables if t.key == "youth_reoffending"]
    assert [r[0] for r in table.rows] == ["16 Oct – 31 Dec 2017", "Apr 2018 – Jun 2018",
                                          "1 Oct – 15 Oct 2019"]
    assert [r[1] for r in table.rows] == [1, 1, 1]
    assert dict(sa.headlines)["youth_reoffending_cohort"] == "1 Oct – 15 Oct 2019"
