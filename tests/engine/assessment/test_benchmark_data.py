"""Benchmarking inputs: data.police.uk months of every force aggregated to CSPs (real files),
and the Home Office CSP open-data table reader."""

from __future__ import annotations

import csv
import gzip

import pytest

from safecity.engine import benchmark_data as bd
from safecity.engine.errors import SourceError

MONTHS = ["2018-10", "2018-11", "2018-12", "2019-01", "2019-02"]
SOUTHAMPTON = "E22000120"
PORTSMOUTH = "E22000118"


@pytest.fixture(scope="module")
def national(shared_data):
    files = sorted(p for p in (shared_data / "police-uk").glob("*/*.csv.gz")
                   if p.name[:7] in MONTHS)
    assert len(files) > 150
    return bd.from_police_uk_files(files, MONTHS, "Oct 2018 – Feb 2019")


def test_forces_missing_from_the_real_months_are_named(national):
    text = " ".join(national.missing)
    for force in ("Metropolitan Police", "Greater Manchester", "West Midlands",
                  "West Yorkshire"):
        assert force in text
    assert "Lancashire: no data for 2018-10." in national.missing
    assert "Northumbria: no data for 2018-10." in national.missing
    assert "Hampshire" not in text


def test_csps_of_missing_forces_are_never_ranked_as_complete(national):
    assert "E22000120" in national.complete
    met = [c for c, p in national.pfa.items() if p == "Metropolitan Police"]
    lancs = [c for c, p in national.pfa.items() if p == "Lancashire"]
    assert met and lancs and not (set(met) | set(lancs)) & national.complete
    r = bd.rank(national, SOUTHAMPTON, bd.ALL)
    assert r.area_complete and r.rank is not None and r.excluded >= len(met) + len(lancs)
    lancaster = bd.rank(national, lancs[0], bd.ALL)
    assert lancaster.rank is None and not lancaster.area_complete


def test_southampton_counts_equal_the_raw_files(national, shared_data):
    expected = {}
    for m in MONTHS:
        with gzip.open(shared_data / "police-uk" / "hampshire" / f"{m}-hampshire-street.csv.gz",
                       "rt", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if (row["LSOA name"].startswith("Southampton ")
                        and row["Crime type"] != "Anti-social behaviour"):
                    expected[row["Crime type"]] = expected.get(row["Crime type"], 0) + 1
    got = {cat: n for (csp, cat), n in national.counts.items()
           if csp == SOUTHAMPTON and cat != bd.ALL}
    # Other forces' out-of-area rows in Southampton LSOAs are counted too (by LSOA, not force).
    for cat, n in expected.items():
        assert got[cat] >= n
    assert sum(got.values()) - sum(expected.values()) <= 0.01 * sum(expected.values())


def test_rank_is_one_for_the_highest_rate_among_a_group(national):
    group = [SOUTHAMPTON, PORTSMOUTH]
    rates = {c: national.rate(c, bd.ALL) for c in group}
    r = bd.rank(national, SOUTHAMPTON, bd.ALL, group)
    assert r.among == 2
    assert r.rank == (1 if rates[SOUTHAMPTON] > rates[PORTSMOUTH] else 2)


def test_ranking_every_csp_at_once_equals_ranking_each_alone(national):
    """All-CSP benchmarking (``ranks``, one sort per category) gives each CSP the rank
    ``rank`` gives it alone, for every category."""
    assert len(national.populations) > 300
    for category in national.categories:
        every = bd.ranks(national, category)
        assert set(every) == set(national.populations)
        for csp in national.populations:
            assert every[csp] == bd.rank(national, csp, category), (csp, category)


def test_the_home_office_csp_table_is_read_by_name_and_year(tmp_path):
    path = tmp_path / "prc-csp.csv"
    path.write_text(
        "Police recorded crime by CSP\n\n"
        "Financial Year,Financial Quarter,Force Name,CSP Name,Offence Description,Offence Group,"
        "Offence Subgroup,Offence Code,Number of Offences\n"
        "2019/20,1,Hampshire,Southampton,Rape of a female aged 16 and over,Sexual offences,Rape,"
        "19C,90\n"
        "2019/20,2,Hampshire,Southampton,Rape of a female aged 16 and over,Sexual offences,Rape,"
        "19C,110\n"
        "2019/20,1,Hampshire,Portsmouth,Rape of a female aged 16 and over,Sexual offences,Rape,"
        "19C,150\n"
        "2018/19,1,Hampshire,Portsmouth,Rape of a female aged 16 and over,Sexual offences,Rape,"
        "19C,999\n"
        "2019/20,1,Nowhere,Atlantis,Robbery,Robbery,Robbery of personal property,34B,5\n",
        encoding="utf-8")
    table = bd.read_ho_csp_table(path, "2019/20")
    assert table.counts[(SOUTHAMPTON, "Sexual offences")] == 200
    assert table.counts[(PORTSMOUTH, "Sexual offences")] == 150
    assert table.unmatched == ("Atlantis",)
    rate = table.rate(SOUTHAMPTON, "Sexual offences")
    assert rate == pytest.approx(200 * 1000 / table.populations[SOUTHAMPTON])
    assert bd.rank(table, SOUTHAMPTON, "Sexual offences", [PORTSMOUTH]).among == 2


def test_a_table_without_the_expected_header_gets_a_sentence(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(SourceError, match="Number of Offences"):
        bd.read_ho_csp_table(path, "2019/20")


def _csv_counts(files, *, repeats: bool) -> dict[tuple[str, str], int]:
    """CSP x police.uk category counts of street files, by the csv module: every crime
    (not ASB, not British Transport Police) goes to the CSP of its LSOA's 2011 code.
    ``repeats=False`` leaves out a row repeating an earlier one of its file in its Crime ID
    and every field but the free text (what ingest rejects as a duplicate)."""
    from safecity.engine import geo, reference

    csp_of = {code: row["csp_code"] for code, row in reference.lsoa_index().items()}
    counts: dict[tuple[str, str], int] = {}
    for path in files:
        seen = set()
        with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if (row["Crime type"] == "Anti-social behaviour"
                        or row["Falls within"] == "British Transport Police"):
                    continue
                key = tuple(v for k, v in row.items()
                            if k not in ("Location", "LSOA name", "Context"))
                if not repeats and row["Crime ID"] and key in seen:
                    continue
                seen.add(key)
                csp = csp_of.get(geo.lsoa11_for(row["LSOA code"].strip()) or "")
                if csp:
                    for key in ((csp, row["Crime type"]), (csp, bd.ALL)):
                        counts[key] = counts.get(key, 0) + 1
    return counts


def test_every_csp_count_from_the_warehouse_and_from_the_files_equals_the_csv_module(
        shared_data, tmp_path, monkeypatch):
    """All-CSP benchmarking over one month of every force: from the warehouse (as the
    assessment and the national bench read it; duplicate rows were rejected at ingest) and
    straight from the files (every row), every CSP and category count equals an independent
    count by the csv module, and both say the same about coverage."""
    from safecity.engine.ingest.run import ingest_paths
    from safecity.engine.warehouse import Warehouse

    monkeypatch.setenv("SAFECITY_PROGRESS", "false")
    files = sorted((shared_data / "police-uk").glob("*/2019-01-*-street.csv.gz"))
    assert len(files) == 40
    ingest_paths(files, source="police-uk", warehouse=tmp_path / "w")
    stored = bd.from_warehouse_police_uk(Warehouse(tmp_path / "w").connect(), ["2019-01"], "Jan")
    direct = bd.from_police_uk_files(files, ["2019-01"], "Jan")
    assert stored.counts == _csv_counts(files, repeats=False)
    assert direct.counts == _csv_counts(files, repeats=True)
    assert (stored.complete, stored.missing) == (direct.complete, direct.missing)
    assert len(stored.complete) > 250 and SOUTHAMPTON in stored.complete
