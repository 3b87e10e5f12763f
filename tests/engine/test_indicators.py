"""Engine indicators: each metric counted from a small warehouse, checked against a plain Python
count of the same rows (a second implementation), and compared with the year before."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from safecity.engine import contract
from safecity.engine.assessment.model import Period
from safecity.engine.indicators import METRICS, compute
from safecity.engine.warehouse import Batch, Warehouse, new_batch_id

AREA = "E22000120"
FY = Period("2019/20", dt.date(2019, 4, 1), dt.date(2020, 3, 31))


def _crime(ref, day, lsoa="L1", **flags):
    return {"crime_ref": ref, "source": "police-extract", "recorded_date": day,
            "month": day.strftime("%Y-%m"), "lsoa11_code": lsoa, **flags}


def _crimes():
    rows = []
    for i in range(12):  # 12 crimes this year, 5 of them domestic violence
        rows.append(_crime(f"C{i}", dt.date(2019 + (3 + i) // 12, (3 + i) % 12 + 1, 3),
                           offence_group="Violence against the person" if i < 7 else "Robbery",
                           offence_code="5D" if i == 0 else "105A",
                           domestic_abuse=i < 5, hate_race=i == 11))
    for i in range(4):  # 4 last year; one outside the area
        rows.append(_crime(f"P{i}", dt.date(2018, 6, 1), lsoa="L9" if i == 3 else "L1",
                           offence_group="Violence against the person",
                           offence_code="28E" if i == 2 else "105A", domestic_abuse=i == 0))
    for i in range(12):  # a robbery in every month of last year: both years wholly loaded
        if i != 2:
            rows.append(_crime(f"R{i}", dt.date(2018 + (3 + i) // 12, (3 + i) % 12 + 1, 9),
                               offence_group="Robbery", offence_code="34B"))
    return rows


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


@pytest.fixture
def warehouse(home):
    wh = Warehouse(home / "warehouse")
    _load(wh, "crimes", _crimes())
    _load(wh, "geography", [
        {"lsoa11_code": "L1", "lad_code": "E06000045", "csp_code": AREA, "population": 1500,
         "population_10_17": 200},
        {"lsoa11_code": "L9", "lad_code": "E07000001", "csp_code": "E22000999",
         "population": 1500, "population_10_17": 100}])
    return wh


def _python_count(rows, period, keep):
    return sum(1 for r in rows if period.start <= r["recorded_date"] <= period.end
               and r["lsoa11_code"] == "L1" and keep(r))


@pytest.mark.parametrize("metric,keep", [
    ("recorded_crime", lambda r: True),
    ("violence_against_the_person",
     lambda r: r.get("offence_group") == "Violence against the person"),
    ("domestic_violent_crime", lambda r: r.get("offence_group") == "Violence against the "
     "person" and r.get("domestic_abuse")),
    ("hate_crime", lambda r: r.get("hate_race")),
    ("most_serious_violence", lambda r: r.get("offence_code") == "5D"),
])
def test_a_crime_metric_counts_the_same_rows_as_a_plain_python_count(warehouse, metric, keep):
    result = compute(metric, warehouse, FY, AREA)
    last_year = Period("2018/19", dt.date(2018, 4, 1), dt.date(2019, 3, 31))
    assert result.count == _python_count(_crimes(), FY, keep)
    assert result.previous_count == _python_count(_crimes(), last_year, keep)
    assert result.value == float(result.count)


def test_the_change_is_the_percentage_on_the_year_before_with_its_significance(warehouse):
    result = compute("recorded_crime", warehouse, FY, AREA)
    assert (result.count, result.previous_count) == (12, 14)
    assert result.change_pct == pytest.approx(100 * (12 - 14) / 14)
    assert result.significant == (result.p_value < 0.05)


def test_a_metric_whose_data_is_not_loaded_is_none_with_a_reason(warehouse):
    result = compute("asb_incidents", warehouse, FY, AREA)
    assert result.value is None and "No ASB data is loaded" in result.note


def test_first_time_entrants_are_a_rate_per_100000_of_the_10_to_17_population(warehouse):
    rows = [{"young_person_key": k, "offence_date": d, "outcome_date": d,
             "month": d.strftime("%Y-%m"), "outcome_type": "caution", "age_at_offence": 15}
            for k, d in [("a", dt.date(2019, 6, 1)), ("b", dt.date(2019, 7, 1)),
                         ("a", dt.date(2019, 9, 1)),   # a's second outcome: not first-time
                         ("c", dt.date(2018, 5, 1)), ("c", dt.date(2019, 8, 1))]]
    # Records from the first month of the comparison year to the last of the year, so both
    # years are wholly covered (engine/coverage.py); aged 19, never counted.
    rows += [{"young_person_key": "e", "offence_date": d, "outcome_date": d,
              "month": d.strftime("%Y-%m"), "outcome_type": "caution", "age_at_offence": 19}
             for d in (dt.date(2018, 4, 2), dt.date(2020, 3, 2))]
    _load(warehouse, "youth_justice", rows)
    result = compute("fte_rate", warehouse, FY, AREA)
    assert result.count == 2 and result.previous_count == 1
    assert result.value == pytest.approx(2 / 200 * 100000)


def test_every_metric_has_a_name_and_definition():
    assert all(m.name and m.definition and m.table in contract.TABLES for m in METRICS.values())
