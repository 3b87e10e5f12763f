"""Benchmarking says "in England" only when every English force is loaded, otherwise it names
the set ranked; the data-coverage text follows the LSOA vintage of the files loaded."""

from __future__ import annotations

import pytest

from safecity.engine import benchmark_data as bd
from safecity.engine.assessment.build import build_assessment
from safecity.engine.assessment.sections.benchmarking import compared_set
from safecity.engine.ingest.run import ingest_paths

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
          "LSOA name,Crime type,Last outcome category,Context\n")


@pytest.fixture
def one_force(tmp_path, shared_data, monkeypatch):
    monkeypatch.setenv("SAFECITY_HOME", str(tmp_path))
    monkeypatch.setenv("SAFECITY_PROGRESS", "false")
    months = ("2018-10", "2018-11", "2018-12", "2019-01", "2019-02")
    ingest_paths([shared_data / "police-uk" / "hampshire" / f"{m}-hampshire-street.csv.gz"
                  for m in months], source="police-uk", warehouse=tmp_path / "warehouse")
    return build_assessment(period="2018-10..2019-02", warehouse=tmp_path / "warehouse",
                            partial=True)


def test_with_one_force_loaded_the_ranking_names_its_force_area_not_england(one_force):
    bench = next(s for s in one_force.sections if s.key == "benchmarking")
    said = " ".join(bench.narrative)
    assert "in England" not in said
    assert "of the 12 CSPs in the Hampshire police force area" in said
    table = bench.tables[0]
    labels = [c.label for c in table.columns]
    assert "Rank among the CSPs compared (1 = highest)" in labels
    assert not any("England" in label for label in labels)
    assert any("Ranked: the 12 CSPs in the Hampshire police force area" in n
               for n in table.notes)


def test_files_with_2011_codes_are_said_to_use_2011_codes(one_force):
    assert any("use 2011 LSOA codes" in line for line in one_force.data_coverage)
    assert not any("use 2021 LSOA codes" in line for line in one_force.data_coverage)


def test_files_with_2021_codes_are_said_to_use_2021_codes(tmp_path, monkeypatch):
    monkeypatch.setenv("SAFECITY_HOME", str(tmp_path))
    monkeypatch.setenv("SAFECITY_PROGRESS", "false")
    folder = tmp_path / "police-uk"
    folder.mkdir()
    for month in ("2022-05", "2023-05"):
        # E01035444 is a 2021 LSOA of Southampton whose 2011 LSOA is E01017140.
        (folder / f"{month}-hampshire-street.csv").write_text(HEADER + "".join(
            f"{month}-{i},{month},Hampshire Constabulary,Hampshire Constabulary,-1.40,50.91,"
            f"On or near X,{code},Southampton 001A,Burglary,Under investigation,\n"
            for i, code in enumerate(["E01035444"] * 3 + ["E01017140"] * 2)), encoding="utf-8")
    ingest_paths([folder], source="police-uk", warehouse=tmp_path / "warehouse")
    sa = build_assessment(period="2023-05..2023-05", warehouse=tmp_path / "warehouse")
    assert dict(sa.headlines)["recorded_crime"] == 5
    line = next(line for line in sa.data_coverage if "LSOA codes" in line and "files" in line)
    assert "use 2021 LSOA codes" in line and "6 crimes" in line  # 3 in each year


def _table(complete: set[str], pfa: dict[str, str], missing=()) -> bd.BenchmarkTable:
    pops = {c: 1000 for c in pfa}
    return bd.BenchmarkTable(source="test", level="police_uk_category", period="p",
                             counts={(c, bd.ALL): 10 for c in complete}, populations=pops,
                             names={c: c for c in pfa}, pfa=pfa, complete=frozenset(complete),
                             missing=tuple(missing))


def test_england_is_said_only_when_every_english_csp_is_complete():
    pfa = {"E1": "Hampshire", "E2": "Hampshire", "E3": "Dorset", "W1": "Gwent"}
    assert compared_set(_table({"E1", "E2", "E3"}, pfa)) == ("in England", True)
    assert compared_set(_table({"E1", "E2"}, pfa, ["Dorset: no data for 2019-01."])) == (
        "in the Hampshire police force area", False)
    assert compared_set(_table({"E1", "E3"}, {**pfa, "E4": "Kent"})) == (
        "in the police force areas of Dorset and Hampshire", False)
