"""Every real data.police.uk file in shared/data loads with exactly the counts the csv module gives.

The expected counts are computed here independently, row by row, with these rules:

* a row whose Crime type is "Anti-social behaviour" is an ASB incident (stored in asb_incidents);
* any other row is a crime (stored in crimes), unless it has a non-blank Crime ID and repeats an
  earlier row of the same file in every field safecity keeps (month, force, longitude, latitude,
  LSOA code, crime type, outcome; padding aside): then it is rejected as a duplicate;
* a row with a non-blank Crime ID seen earlier in the file, but different content, is stored with
  duplicate_id true.

The ingest runs once per session (the whole folder in one call) to keep the suite fast.
"""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from pathlib import Path

import pytest

from safecity.engine.ingest.run import ingest_paths
from safecity.engine.warehouse import Warehouse

ASB = "Anti-social behaviour"


def expected_counts(path: Path) -> dict[str, Counter]:
    crimes: Counter = Counter()
    asb: Counter = Counter()
    rejected: Counter = Counter()
    duplicate_ids = 0
    no_location = 0
    seen_rows: set[tuple[str, ...]] = set()
    seen_ids: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        at = {name: i for i, name in enumerate(header)}

        def kept(row: list[str]) -> tuple:
            def number(text: str) -> float | str:
                try:
                    return float(text)
                except ValueError:
                    return text.strip()
            force = row[at["Falls within"]].strip() or row[at["Reported by"]].strip()
            return (row[at["Crime ID"]].strip(), row[at["Month"]].strip(), force,
                    number(row[at["Longitude"]]), number(row[at["Latitude"]]),
                    row[at["LSOA code"]].strip(), row[at["Crime type"]].strip().lower(),
                    row[at["Last outcome category"]].strip())
        for row in reader:
            key = (row[at["Month"]], row[at["Crime type"]])
            crime_id = row[at["Crime ID"]]
            if row[at["Crime type"]] == ASB:
                asb[key] += 1
            elif crime_id and kept(row) in seen_rows:
                rejected[key] += 1
                continue
            else:
                crimes[key] += 1
                if crime_id in seen_ids:
                    duplicate_ids += 1
            if not row[at["Longitude"]] and not row[at["LSOA code"]]:
                no_location += 1
            if crime_id:
                seen_rows.add(kept(row))
                seen_ids.add(crime_id)
    return {"crimes": crimes, "asb": asb, "rejected": rejected,
            "duplicate_ids": Counter({"n": duplicate_ids}),
            "no_location": Counter({"n": no_location})}


@pytest.fixture(scope="session")
def loaded(shared_data, tmp_path_factory):
    files = sorted((shared_data / "police-uk").rglob("*-street.csv.gz"))
    assert len(files) > 200, "the shared police.uk files are missing"
    root = tmp_path_factory.mktemp("shared-police-uk") / "warehouse"
    report = ingest_paths([shared_data / "police-uk"], source="police-uk", warehouse=root)
    return files, report, Warehouse(root)


def actual_counts(warehouse: Warehouse) -> dict[str, dict[str, Counter]]:
    by_batch = {b.batch_id: b.inputs[0]["name"] for b in warehouse.batches()}
    result: dict[str, dict[str, Counter]] = {}

    def slot(batch_id: str) -> dict[str, Counter]:
        return result.setdefault(Path(by_batch[batch_id]).name, {
            "crimes": Counter(), "asb": Counter(), "rejected": Counter(),
            "duplicate_ids": Counter({"n": 0}), "no_location": Counter({"n": 0})})

    con = warehouse.connect()
    for batch_id, month, category, n, dups in con.execute(
            "SELECT batch_id, month, police_uk_category, count(*), "
            "count(*) FILTER (duplicate_id) FROM crimes GROUP BY ALL").fetchall():
        slot(batch_id)["crimes"][(month, category)] += n
        slot(batch_id)["duplicate_ids"]["n"] += dups
    for batch_id, month, n in con.execute(
            "SELECT batch_id, month, count(*) FROM asb_incidents GROUP BY ALL").fetchall():
        slot(batch_id)["asb"][(month, ASB)] += n
    for table in ("crimes", "asb_incidents"):
        for batch_id, n in con.execute(
                f"SELECT batch_id, count(*) FROM {table} WHERE longitude IS NULL "
                "AND lsoa_code IS NULL GROUP BY ALL").fetchall():
            slot(batch_id)["no_location"]["n"] += n
    for batch in warehouse.batches():
        if batch.rejects_file:
            with open(warehouse.root / batch.rejects_file, encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    assert row["reason"].startswith("duplicate of line ")
                    slot(batch.batch_id)["rejected"][(row["Month"], row["Crime type"])] += 1
    return result


def test_every_shared_police_uk_file_loads_with_the_counts_the_csv_module_gives(loaded):
    files, report, warehouse = loaded
    actual = actual_counts(warehouse)
    assert sorted(actual) == sorted(p.name for p in files)
    for path in files:
        assert actual[path.name] == expected_counts(path), path.name


def test_every_row_read_is_stored_or_rejected(loaded):
    files, report, _ = loaded
    assert len(report.files) == len(files)
    assert not any(f.skipped for f in report.files)
    for f in report.files:
        assert f.read == f.stored + f.rejected
    assert report.read == sum(
        sum(1 for _ in gzip.open(p, "rt", encoding="utf-8")) - 1 for p in files)


def test_duplicates_and_rows_without_location_are_reported_in_notes(loaded):
    _, report, _ = loaded
    avon = next(f for f in report.files if f.name.endswith("2018-10-avon-and-somerset-street.csv.gz"))
    assert any("no location" in n for n in avon.notes)
    assert any("duplicate_id" in n for n in avon.notes)
    assert avon.rejects_file and Path(avon.rejects_file).exists()


def test_2021_lsoa_codes_get_their_2011_code_and_free_text_is_not_stored(loaded):
    _, _, warehouse = loaded
    con = warehouse.connect()
    unmatched = con.execute(
        "SELECT count(*) FROM crimes WHERE month = '2025-01' AND lsoa_code LIKE 'E01%' "
        "AND lsoa11_code IS NULL").fetchall()[0][0]
    converted = con.execute(
        "SELECT count(*) FROM crimes WHERE month = '2025-01' AND lsoa_code <> lsoa11_code"
        ).fetchall()[0][0]
    assert unmatched == 0
    assert converted > 0
    columns = {r[0] for r in con.execute("DESCRIBE crimes").fetchall()}
    assert not {"location", "lsoa_name", "Location", "LSOA name"} & columns


def test_hampshire_months_are_scoped_to_the_force(loaded):
    _, _, warehouse = loaded
    scopes = {b.scope for b in warehouse.batches() if "hampshire" in b.inputs[0]["name"]}
    assert scopes == {"hampshire"}
    con = warehouse.connect()
    totals = dict(con.execute(
        "SELECT month, count(*) FROM (SELECT month, force FROM crimes UNION ALL "
        "SELECT month, force FROM asb_incidents) WHERE force = 'Hampshire Constabulary' "
        "GROUP BY month").fetchall())
    # Published totals in SOURCES.md.
    assert totals == {"2017-02": 14834, "2018-10": 14162, "2018-11": 13620, "2018-12": 12396,
                      "2019-01": 12774, "2019-02": 11792}


def test_the_grid_reference_is_derived_from_longitude_and_latitude_as_pyproj_gives_it(loaded):
    """Ingest stores police.uk's longitude and latitude as published and every located row's
    British National Grid reference beside them (in every file), equal to pyproj's."""
    import numpy as np
    import pyarrow.parquet as pq

    from safecity.engine import geo

    _, _, warehouse = loaded
    for table in ("crimes", "asb_incidents"):
        for path in warehouse.files(table):
            assert {"easting", "northing"} <= set(pq.read_schema(path).names), path
    got = warehouse.connect().execute(
        "SELECT longitude, latitude, easting, northing FROM crimes WHERE longitude IS NOT NULL "
        "USING SAMPLE reservoir(5000 ROWS) REPEATABLE (7)").fetchnumpy()
    assert len(got["easting"]) > 1000 and not np.isnan(got["easting"]).any()
    east, north = geo.to_bng(got["longitude"], got["latitude"])
    assert np.hypot(got["easting"] - east, got["northing"] - north).max() < 0.01
    located = warehouse.connect().execute(
        "SELECT count(*) FILTER (longitude IS NOT NULL), count(easting) FROM crimes").fetchall()
    assert located[0][0] == located[0][1]


def test_no_real_month_raises_an_anomaly_alarm_and_a_corrupted_one_would(loaded):
    """Issue 9: every real month under shared/data/police-uk (238 files, grouped by force) is
    checked against its force's other months and raises no alarm, at ingest (the manifest's
    flags), in status and in the report; each of them with its categories mis-assigned (one
    ballooning to ~80 % of rows while anti-social behaviour and shoplifting collapse, the total
    unchanged) would raise one."""
    from safecity.engine.ingest.anomalies import check_month, month_flags
    from safecity.engine.ingest.status import warehouse_status

    from .test_anomalies import _corrupt

    files, report, warehouse = loaded
    assert month_flags(warehouse) == {}
    assert report.warnings == ()
    status = warehouse_status(warehouse)
    (src,) = status.sources
    assert src.flagged == () and src.checked == len(files) == 238 and src.unchecked == 0
    by_force: dict[str, dict[str, dict[str, int]]] = {}
    for batch in warehouse.batches():
        for month, counts in batch.profile.items():
            by_force.setdefault(batch.scope, {})[month] = {
                k.partition("/")[2] or "Anti-social behaviour": n for k, n in counts.items()}
    assert len(by_force) == 40 and sum(len(m) for m in by_force.values()) == 238
    for force, months in by_force.items():
        for month, counts in months.items():
            others = {m: c for m, c in months.items() if m != month}
            assert check_month(month, counts, others) == (True, None), (force, month)
            if "Anti-social behaviour" in counts:  # British Transport Police records no ASB
                checked, reason = check_month(month, _corrupt(counts), others)
                assert reason is not None, (force, month)
