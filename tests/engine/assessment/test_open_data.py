"""Acceptance: with only data.police.uk files loaded (Hampshire, Oct 2018 – Feb 2019), the
Southampton assessment completes, its counts by police.uk category equal counts computed from the
raw files with the csv module, and sections the open data cannot support say why. The monthly
pack runs on the same warehouse."""

from __future__ import annotations

import csv
import gzip
import json
from collections import Counter

import pytest

from safecity.cli import main
from safecity.engine.ingest.run import ingest_paths

MONTHS = ("2018-10", "2018-11", "2018-12", "2019-01", "2019-02")


@pytest.fixture(scope="module")
def open_data(tmp_path_factory, shared_data):
    home = tmp_path_factory.mktemp("open-data")
    files = [shared_data / "police-uk" / "hampshire" / f"{m}-hampshire-street.csv.gz"
             for m in MONTHS]
    mp = pytest.MonkeyPatch()
    mp.setenv("SAFECITY_HOME", str(home))
    mp.setenv("SAFECITY_PROGRESS", "false")
    try:
        ingest_paths(files, source="police-uk", warehouse=home / "warehouse")
        assert main(["assess", "--period", "2018-10..2019-02", "--out", str(home / "annual"),
                     "--no-pdf", "--partial"]) == 0
        assert main(["assess", "--month", "2019-02", "--out", str(home / "monthly"),
                     "--no-pdf", "--partial"]) == 0
    finally:
        mp.undo()
    return files, home


def _raw_counts(files, months=MONTHS) -> tuple[Counter, int]:
    """Crimes and ASB rows of Southampton LSOAs, counted straight from the street files."""
    crimes, asb = Counter(), 0
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["Month"] not in months or not row["LSOA name"].startswith("Southampton "):
                    continue
                if row["Crime type"] == "Anti-social behaviour":
                    asb += 1
                else:
                    crimes[row["Crime type"]] += 1
    return crimes, asb


def _table(folder, key) -> list[dict]:
    with open(folder / "tables" / f"{key}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_counts_by_police_uk_category_equal_the_raw_files(open_data):
    files, home = open_data
    expected, asb = _raw_counts(files)
    got = {r["category"]: int(r["current"])
           for r in _table(home / "annual", "crime_by_police_uk_category")}
    assert got == dict(expected)
    heads = dict(csv.reader(open(home / "annual" / "headlines.csv", encoding="utf-8")))
    assert int(heads["recorded_crime"]) == sum(expected.values())
    assert int(heads["asb_incidents"]) == asb


def test_sections_the_open_data_cannot_support_say_why_and_show_no_zeros(open_data):
    _, home = open_data
    data = json.loads((home / "annual" / "assessment.json").read_text(encoding="utf-8"))
    missing = {s["key"]: s["unavailable_reason"] for s in data["sections"]
               if not s["available"]}
    assert {"harm", "repeat", "domestic", "sexual", "violence", "hate", "youth"} <= set(missing)
    assert "victim" in missing["repeat"] and "offence code" in missing["harm"]
    assert all(reason.endswith(".") for reason in missing.values())
    assert {n["section"] for n in data["not_available"]} >= {"Repeat victimisation"}
    heads = data["headlines"]
    # No comparison year is loaded (Oct 2017 – Feb 2018): no previous value, never a zero.
    assert not any(k.endswith("_previous") and k.startswith(("recorded_crime", "crimes_"))
                   for k in heads)
    assert "domestic_share_of_crime_pct" not in heads and "unique_person_victims" not in heads
    place = next(s for s in data["sections"] if s["key"] == "place")
    assert any("Night-time economy" in p for p in place["partial"])


def test_the_monthly_pack_compares_the_month_and_the_rolling_year(open_data):
    files, home = open_data
    expected, asb = _raw_counts(files, ("2019-02",))
    heads = dict(csv.reader(open(home / "monthly" / "headlines.csv", encoding="utf-8")))
    assert int(heads["recorded_crime_month"]) == sum(expected.values())
    assert int(heads["asb_incidents_month"]) == asb
    rolling, _ = _raw_counts(files)
    assert int(heads["recorded_crime_rolling_12"]) == sum(rolling.values())
    assert "exceptions" in heads
    month = {r["group"]: r for r in _table(home / "monthly", "month_comparison")}
    assert int(month["Shoplifting"]["current"]) == expected["Shoplifting"]
    assert month["Shoplifting"]["previous"] == ""  # Feb 2018 is not loaded: blank, not 0
    data = json.loads((home / "monthly" / "assessment.json").read_text(encoding="utf-8"))
    assert data["kind"] == "monthly"
    keys = [s["key"] for s in data["sections"]]
    assert keys[:3] == ["month", "rolling", "exceptions"]
    # open data has no flags or offence codes: those priorities are listed with the reason
    missing = {n["section"]: n["reason"] for n in data["not_available"]}
    assert "data.police.uk files carry no domestic abuse" in missing["Domestic abuse"].lower()
    assert "asb" in keys and "hotspots" in keys


def test_benchmarking_from_one_force_says_how_partial_the_ranking_is(open_data):
    _, home = open_data
    data = json.loads((home / "annual" / "assessment.json").read_text(encoding="utf-8"))
    bench = next(s for s in data["sections"] if s["key"] == "benchmarking")
    assert bench["available"]
    assert any("Metropolitan Police" in p for p in bench["partial"])
    rows = _table(home / "annual", "benchmarking")
    everything = next(r for r in rows if r["category"] == "All crime")
    assert int(everything["ranked_england"]) == 12  # the Hampshire force area's CSPs only
    assert int(everything["excluded"]) > 250
