"""Partner sources (fire, health/ISTV, ambulance, children's services, treatment): records and
quarterly returns through the one partner reader, rejects with reasons, keys pseudonymised."""

from __future__ import annotations

import pytest

from safecity.engine import contract, partners
from safecity.engine.errors import SafecityError
from safecity.engine.ingest.mapping import read_file
from safecity.engine.ingest.partners import ADAPTERS
from safecity.engine.ingest.run import guess_kind, ingest_paths

from .extract_helpers import load, rejects, rows, write_csv


def test_every_partner_has_a_reader_a_contract_table_and_returns():
    assert set(ADAPTERS) == set(contract.PARTNER_SOURCES)
    for spec in partners.SOURCES:
        assert contract.SOURCE_TABLES[spec.kind] == (spec.table, "partner_returns")
        assert spec.date_col in contract.table(spec.table).names


def test_fire_records_load_and_reject_with_reasons(tmp_path, home):
    wh = tmp_path / "w"
    p = write_csv(tmp_path / "fires.csv", ["incident_ref", "incident_date", "fire_type",
                                          "deliberate", "property_type", "lsoa_code"], [
        ["F1", "2019-04-02", "secondary", "Y", "refuse", "E01017140"],
        ["F2", "2019-05-09", "primary", "N", "dwelling", "E01017140"],
        ["F3", "2019-05-10", "tertiary", "Y", "", ""],
        ["F4", "2019-05-11", "primary", "maybe", "", ""],
        ["F5", "", "primary", "Y", "", ""],
        ["F1", "2019-04-03", "secondary", "Y", "refuse", ""],
    ])
    (batch,) = load(ADAPTERS["fire"], [p], wh)
    assert (batch.read, batch.stored, batch.rejected) == (6, 2, 4)
    assert batch.scope == "fire" and batch.months == ["2019-04", "2019-05"]
    assert rows(wh, "SELECT incident_ref, deliberate, fire_type, month, lsoa11_code FROM "
                    "fire_incidents ORDER BY 1") == [
        ("F1", True, "secondary", "2019-04", "E01017140"),
        ("F2", False, "primary", "2019-05", "E01017140")]
    reasons = [r["reason"] for r in rejects(wh, batch)]
    assert reasons[0].startswith("fire_type 'tertiary'")
    assert "deliberate" in reasons[1] and "maybe" in reasons[1]
    assert "incident_date" in reasons[2]
    assert "F1" in reasons[3] and "already on line 2" in reasons[3]


def test_health_istv_patient_is_pseudonymised_and_causes_checked(tmp_path, home):
    wh = tmp_path / "w"
    p = write_csv(tmp_path / "ed.csv", ["attendance_ref", "attendance_date", "setting",
                                       "patient_id", "age", "icd10_cause", "weapon",
                                       "assault_at", "place_type", "lsoa_code"], [
        ["A1", "2019-06-01", "emergency_department", "NHS123", "19", "", "knife_or_sharp",
         "2019-05-31 23:40", "street", "E01017140"],
        ["A2", "2019-06-02", "admission", "NHS123", "19", "x99.1", "knife_or_sharp", "",
         "licensed_premises", ""],
        ["A3", "2019-06-03", "admission", "NHS999", "40", "W19", "", "", "", ""],
        ["A4", "2019-06-03", "clinic", "NHS998", "40", "", "", "", "", ""],
    ])
    (batch,) = load(ADAPTERS["health"], [p], wh)
    assert (batch.stored, batch.rejected) == (2, 2)
    got = rows(wh, "SELECT attendance_ref, icd10_cause, length(patient_key), patient_key "
                   "FROM health_assaults ORDER BY 1")
    assert [g[:3] for g in got] == [("A1", None, 32), ("A2", "X991", 32)]
    assert got[0][3] == got[1][3] and "NHS123" not in got[0][3]
    assert "patient_id" not in contract.table("health_assaults").names
    reasons = [r["reason"] for r in rejects(wh, batch)]
    assert reasons == ["icd10_cause 'W19' is not an assault code (ICD-10 X85-Y09); mark the "
                       "row alcohol_related if it is an alcohol-related admission", reasons[1]]
    assert reasons[1].startswith("setting 'clinic'")
    # the rejects file never holds the identifier as supplied
    assert all("NHS99" not in str(r) for r in rejects(wh, batch))


def test_health_alcohol_related_admissions_load_and_reject_with_reasons(tmp_path, home):
    wh = tmp_path / "w"
    p = write_csv(tmp_path / "alcohol.csv", ["attendance_ref", "attendance_date", "setting",
                                            "patient_id", "icd10_cause", "alcohol_related"], [
        ["B1", "2019-06-01", "admission", "NHS1", "K70.3", "Y"],  # alcoholic liver disease
        ["B2", "2019-06-02", "admission", "NHS2", "Y04", "Y"],  # an assault, alcohol-related
        ["B3", "2019-06-03", "admission", "NHS3", "Y04", "N"],  # an assault
        ["B4", "2019-06-03", "admission", "NHS4", "", "Y"],  # no cause given
        ["B5", "2019-06-04", "emergency_department", "NHS5", "", "Y"],
        ["B6", "2019-06-04", "admission", "NHS6", "K70", "N"],
        ["B7", "2019-06-04", "admission", "NHS7", "liver", "Y"],
        ["B8", "2019-06-04", "admission", "NHS8", "", "often"],
    ])
    (batch,) = load(ADAPTERS["health"], [p], wh)
    assert (batch.stored, batch.rejected) == (4, 4)
    assert rows(wh, "SELECT attendance_ref, icd10_cause, alcohol_related, assault FROM "
                    "health_assaults ORDER BY 1") == [
        ("B1", "K703", True, False), ("B2", "Y04", True, True), ("B3", "Y04", False, True),
        ("B4", None, True, False)]
    reasons = [r["reason"] for r in rejects(wh, batch)]
    assert reasons[0].startswith("alcohol_related marks a hospital admission")
    assert "'emergency_department'" in reasons[0]
    assert reasons[1].startswith("icd10_cause 'K70' is not an assault code")
    assert "mark the row alcohol_related" in reasons[1]
    assert reasons[2] == "icd10_cause 'liver' is not an ICD-10 code"
    assert "alcohol_related" in reasons[3] and "often" in reasons[3]
    # the measures read the one assault rule: B2 counts as both, B1 and B4 as alcohol only
    spec = partners.by_kind("health")
    counted = {m.key: rows(wh, f"SELECT count(*) FROM health_assaults WHERE {m.where}")[0][0]
               for m in spec.measures}
    assert counted == {"ed_assault_attendances": 0, "assault_admissions": 2,
                       "sharp_object_admissions": 0, "alcohol_related_admissions": 3}


def test_quarterly_returns_cover_their_quarters_and_reject_with_reasons(tmp_path, home):
    wh = tmp_path / "w"
    p = write_csv(tmp_path / "fire-return-2019q2.csv", ["quarter", "measure", "lsoa_code",
                                                       "count"], [
        ["2019-Q2", "deliberate_primary_fires", "E01017140", "4"],
        ["2019 Q2", "deliberate_secondary_fires", "E01017140", "11"],
        ["2019-Q5", "deliberate_primary_fires", "", "1"],
        ["2019-Q2", "assault_admissions", "", "3"],
        ["2019-Q2", "deliberate_primary_fires", "E01017140", "2"],
        ["2019-Q2", "deliberate_fires", "", "-1"],
    ])
    report = ingest_paths([p], source="fire", warehouse=wh)
    (f,) = report.files
    assert (f.read, f.stored, f.rejected) == (6, 2, 4)
    assert f.months == ("2019-04", "2019-05", "2019-06")
    assert rows(wh, "SELECT partner, quarter, measure, month, count FROM partner_returns "
                    "ORDER BY measure") == [
        ("fire", "2019-Q2", "deliberate_primary_fires", "2019-04", 4),
        ("fire", "2019-Q2", "deliberate_secondary_fires", "2019-04", 11)]
    with open(f.rejects_file, encoding="utf-8") as fh:
        text = fh.read()
    assert "quarter '2019-Q5' is not a calendar quarter" in text
    assert "measure 'assault_admissions' is not one of the fire measures" in text
    assert "2019-Q2 deliberate_primary_fires for E01017140 appears more than once" in text
    assert "count -1 is negative" in text


def test_a_returns_file_needs_source_and_a_records_file_is_told_by_its_header(tmp_path):
    fires = write_csv(tmp_path / "fires.csv", ["incident_ref", "incident_date", "fire_type",
                                              "deliberate"], [["F1", "2019-04-02", "primary",
                                                               "Y"]])
    assert guess_kind(fires) == "fire"
    ret = write_csv(tmp_path / "ret.csv", ["quarter", "measure", "count"],
                    [["2019-Q2", "treatment_starts", "5"]])
    with pytest.raises(SafecityError) as err:
        guess_kind(ret)
    assert "--source" in err.value.fix


def test_a_mapping_reads_a_partners_own_headers(tmp_path, home):
    wh = tmp_path / "w"
    mapping = tmp_path / "csc.yaml"
    mapping.write_text(
        "kind: childrens-services\ntables:\n  childrens_assessments:\n    columns:\n"
        "      assessment_ref: \"Assessment ID\"\n      completed_date: \"Date Completed\"\n"
        "      child_id: \"Child ID\"\n      factor_domestic_abuse: \"DA Factor\"\n"
        "    values:\n      factor_domestic_abuse: {\"3A\": true, \"\": false}\n"
        "    dates: [\"%d/%m/%Y\"]\n", encoding="utf-8")
    p = write_csv(tmp_path / "csc.csv", ["Assessment ID", "Date Completed", "Child ID",
                                        "DA Factor"], [
        ["S1", "04/07/2019", "C1", "3A"], ["S2", "05/07/2019", "C2", ""]])
    (batch,) = load(ADAPTERS["childrens-services"], [p], wh, mapping=read_file(mapping))
    assert batch.stored == 2
    assert rows(wh, "SELECT assessment_ref, factor_domestic_abuse, length(child_key) FROM "
                    "childrens_assessments ORDER BY 1") == [("S1", True, 32), ("S2", False, 32)]


def test_a_mapping_may_not_store_free_text(tmp_path):
    from safecity.engine.errors import ConfigError
    from safecity.engine.ingest.mapping import parse

    with pytest.raises(ConfigError) as err:
        parse({"kind": "health", "tables": {"health_assaults": {"columns": {
            "attendance_ref": "Ref", "attendance_date": "Date", "setting": "Setting",
            "incident_description": "What happened"}}}}, "health")
    assert "never stores" in err.value.message
